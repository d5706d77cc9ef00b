from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Arbeidsflyt")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from agreements.deadlines import register_task_candidates
        from agreements.panels import register_detail_panel

        from .aftersign_panel import follow_up_panel_context
        from .inbox import claim_candidates
        from .panels import deadline_panel_context, task_panel_context

        register_detail_panel(5, "workflows/panel_deadlines.html", deadline_panel_context)
        register_detail_panel(10, "workflows/panel_tasks.html", task_panel_context)
        register_detail_panel(1, "workflows/panel_follow_up.html", follow_up_panel_context)
        register_task_candidates(claim_candidates)
