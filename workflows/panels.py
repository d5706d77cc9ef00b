"""The workflow's section on the agreement page: every task with who, when, outcome, comment."""

from agreements.models import Decision

from .tasks import agreement_tasks


def task_panel_context(request, agreement):
    task_rows = list(
        agreement_tasks()
        .filter(process__agreementprocess__agreement=agreement, flow_task_type="HUMAN")
        .order_by("created", "pk")
    )
    decisions = {
        d.task_id: d for d in Decision.objects.filter(task_id__in=[t.pk for t in task_rows])
    }
    return {"task_rows": [(task, decisions.get(task.pk)) for task in task_rows]}
