from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Avtaler")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .panels import register_detail_panel
        from .views.documents import document_panel_context
        from .views.timeline import timeline_panel_context

        register_detail_panel(5, "agreements/panel_documents.html", document_panel_context)
        register_detail_panel(3, "agreements/panel_timeline.html", timeline_panel_context)
