from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Avtaler")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .document_views import document_panel_context
        from .panels import register_detail_panel

        register_detail_panel(5, "agreements/panel_documents.html", document_panel_context)
