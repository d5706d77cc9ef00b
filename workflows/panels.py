"""The workflow's sections on the agreement page: tasks (who, when, outcome, comment), and
deadlines with their reminder history."""

from django.utils import timezone

from agreements.compiled import ByKey
from agreements.dates import default_calendar
from agreements.models import Deadline, Decision, ReminderDelivery

from .inbox import agreement_tasks

# The agreement page's sections by the agreement's id, compiled once per process
# (``agreements.compiled``): compiling took longer than running them.
_HUMAN_TASKS = ByKey(
    lambda pk: (
        agreement_tasks()
        .filter(process__agreementprocess__agreement=pk, flow_task_type="HUMAN")
        .order_by("created", "pk")
    )
)
_OPEN_DEADLINES = ByKey(
    lambda pk: Deadline.objects.filter(agreement=pk, closed_at__isnull=True).select_related(
        "assignee"
    )
)
_REMINDERS_SENT = ByKey(
    lambda pk: (
        ReminderDelivery.objects.filter(deadline__agreement=pk)
        .select_related("deadline", "rule", "recipient", "addressee")
        .order_by("-created_at", "-pk")[:100]
    )
)


def task_panel_context(request, agreement):
    task_rows = _HUMAN_TASKS.all(agreement.pk)
    decisions = {
        d.task_id: d for d in Decision.objects.filter(task_id__in=[t.pk for t in task_rows])
    }
    return {"task_rows": [(task, decisions.get(task.pk)) for task in task_rows]}


def deadline_panel_context(request, agreement):
    """Open deadlines with working days left, and every reminder sent about this agreement."""
    now = timezone.now()
    today = timezone.localdate()
    calendar = default_calendar()
    rows = []
    for deadline in _OPEN_DEADLINES.all(agreement.pk):
        deadline.days_left = deadline.working_days_left(today, calendar)
        deadline.days_overdue = -deadline.days_left
        deadline.overdue = deadline.is_overdue(now)
        rows.append(deadline)
    return {"deadlines": rows, "reminders": _REMINDERS_SENT.all(agreement.pk)}
