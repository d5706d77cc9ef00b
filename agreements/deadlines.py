"""Keeping deadline rows in step with agreements and tasks, and scheduling their reminders.

Called inside the transaction that changes the agreement or the task (``agreements.lifecycle``
for agreement dates and status, ``workflows.actions`` for tasks), so a deadline is never out of
step with what it tracks.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

from . import step_writes
from .compiled import ByKey, UpdateByKey
from .dates import (
    OutsideCalendar,
    WorkingCalendar,
    add_months,
    clamp_to_allowed_range,
    default_calendar,
    in_allowed_range,
)
from .kinds import kind_spec
from .models import (
    Agreement,
    Deadline,
    FollowUpDecision,
    Organisation,
    ReminderDelivery,
    ReminderRule,
    Requirement,
    User,
)
from .models.deadlines import due_moment, reminder_moment
from .roles import Role

Kind = Deadline.Kind
Status = Agreement.Status
logger = logging.getLogger(__name__)

# Agreement deadlines are open only while they can still be met.
_OPEN_WHILE = {
    Kind.TARGET_DATE: {
        Status.DRAFT,
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.AWAITING_APPROVAL,
        Status.AWAITING_SIGNATURE,
    },
    Kind.NOTICE_DATE: {Status.ACTIVE},
    Kind.END_DATE: {Status.ACTIVE, Status.TERMINATED},
    Kind.REVISION_DATE: {Status.ACTIVE},
}


def default_target_date(agreement: Agreement, calendar: WorkingCalendar | None = None):
    """The requirement's deadline moved to a working day (2022-10-01 becomes 2022-10-03).

    ``None`` when there is no such deadline, or when it lies outside the dates a user may give
    (an administrator's typing error, logged): the owner then sets the target themself.
    """
    if not (agreement.requirement_id and agreement.requirement.deadline):
        return None
    deadline = agreement.requirement.deadline
    if not in_allowed_range(deadline):
        logger.warning(
            "requirement %s: deadline %s is out of range", agreement.requirement, deadline
        )
        return None
    return (calendar or default_calendar()).next_working_day(deadline)


def agreement_due_dates(agreement: Agreement) -> dict[str, date | None]:
    """The due date of each agreement-level deadline, ``None`` where the agreement has none.

    The notice date is the end date minus the notice period, in calendar months; it is not moved
    off a weekend, because notice given later than that date is too late. It has none once the
    owner has decided what happens at this end date (``agreements.renewal``). The yearly revision
    of a kind that has one is due on the first anniversary of the start date not yet revised.
    """
    end = agreement.end_date
    notice = add_months(end, -agreement.notice_months) if end else None
    # Asked only where the deadline can be open: the decision is a query.
    if notice and agreement.pk and agreement.status in _OPEN_WHILE[Kind.NOTICE_DATE]:
        decided = agreement.follow_up_decisions.filter(
            topic=FollowUpDecision.Topic.NOTICE, concerns_date=end
        )
        notice = None if decided.exists() else notice
    return {
        Kind.TARGET_DATE: agreement.target_date or default_target_date(agreement),
        Kind.NOTICE_DATE: notice,
        Kind.END_DATE: end,
        Kind.REVISION_DATE: (
            next_revision_date(agreement)
            if agreement.status in _OPEN_WHILE[Kind.REVISION_DATE]
            else None
        ),
    }


def next_revision_date(agreement: Agreement) -> date | None:
    """The first anniversary of the start date after the latest revision recorded; ``None`` for
    a kind without yearly revision or an agreement without a start date."""
    if not (kind_spec(agreement.kind).yearly_revision and agreement.start_date and agreement.pk):
        return None
    latest = (
        agreement.follow_up_decisions.filter(topic=FollowUpDecision.Topic.REVISION)
        .order_by("-concerns_date")
        .values_list("concerns_date", flat=True)
        .first()
    )
    years = 1
    while add_months(agreement.start_date, 12 * years) <= (latest or agreement.start_date):
        years += 1
    return add_months(agreement.start_date, 12 * years)


def sync_agreement_deadlines(agreement: Agreement, now: datetime | None = None) -> None:
    """Open, move or close the agreement's target, notice and end deadlines to match it."""
    now = now or timezone.now()
    open_rows = {d.kind: d for d in _OPEN_AGREEMENT_DEADLINES.all(agreement.pk)}
    for kind, due in agreement_due_dates(agreement).items():
        row = open_rows.get(kind)
        wanted = due is not None and agreement.status in _OPEN_WHILE[kind]
        if row and (not wanted or row.due_date != due):
            _close(row, now)
            row = None
        if wanted and row is None:
            _open(agreement, kind, due, now)


# Each status change of an agreement reads these: compiled once (``compiled``).
_OPEN_AGREEMENT_DEADLINES = ByKey(
    lambda agreement_pk: Deadline.objects.select_for_update().filter(
        agreement=agreement_pk, task_id__isnull=True, closed_at__isnull=True
    )
)


def _open(agreement, kind, due, now, **fields) -> Deadline:
    deadline = Deadline(
        agreement=agreement,
        kind=kind,
        due_date=due,
        due_at=due_moment(due),
        scheduled_from=now,
        **fields,
    )
    deadline.next_reminder_at = next_reminder_at(deadline, now, active_rules(kind))
    if not step_writes.keep(deadline):  # in a workflow step: written at its end
        deadline.save()
    return deadline


def _close(deadline: Deadline, now) -> None:
    deadline.closed_at = now
    deadline.next_reminder_at = None
    # In a workflow step, at its end (a row read and locked: not one the step adds).
    step_writes.update_by_key(_CLOSE, deadline.pk, closed_at=now, next_reminder_at=None)


def delivery_due_date(requirement: Requirement, calendar=None) -> date | None:
    """When the delivery a requirement asks for is due: its deadline moved to a working day.

    ``None`` when the requirement asks for no delivery, has no deadline or one outside the
    allowed dates, or when the delivery is already recorded.
    """
    if not (requirement.delivers_to_rhf and requirement.deadline):
        return None
    if not in_allowed_range(requirement.deadline) or requirement.deliveries.exists():
        return None
    return (calendar or default_calendar()).next_working_day(requirement.deadline)


def sync_delivery_deadline(requirement: Requirement, now: datetime | None = None) -> None:
    """Open, move or close the requirement's delivery deadline to match it (called when an
    administrator saves the requirement and when a delivery is recorded)."""
    now = now or timezone.now()
    row = (
        Deadline.objects.select_for_update()
        .filter(requirement=requirement, kind=Kind.REQUIREMENT_DELIVERY, closed_at__isnull=True)
        .first()
    )
    due = delivery_due_date(requirement)
    if row and row.due_date != due:
        _close(row, now)
        row = None
    if due is not None and row is None:
        _open(None, Kind.REQUIREMENT_DELIVERY, due, now, requirement=requirement)


def it_service_managers() -> list[User]:
    """Helse Nord IKT's active service managers: whom a requirement's delivery deadline reminds."""
    return list(
        User.objects.filter(
            organisation__code=Organisation.IT_PROVIDER_CODE,
            groups__name=Role.SERVICE_MANAGER,
            is_active=True,
        ).distinct()
    )


def record_requirement_reminders(rows: list[ReminderDelivery], now: datetime) -> None:
    """A requirement has no audit trail of its own: its history gets one entry per reminder sent
    about its delivery (the requirements' rows among ``rows``, in the sending transaction)."""
    requirements = []
    for row in (r for r in rows if r.deadline.requirement_id):
        requirement = row.deadline.requirement
        reason = f"{_('Påminnelse sendt')}: {row.rule.name} → {row.recipient}"
        requirement._change_reason = reason[:100]
        requirements.append(requirement)
    if requirements:
        Requirement.history.bulk_history_create(requirements, update=True, default_date=now)


def task_due_date(created: date, sla_days: int, agreement: Agreement, calendar=None) -> date:
    """Created + the node's SLA in working days, but never later than the agreement's target.

    A target outside the allowed dates (a row from before they were checked) counts as the
    nearer end of the range, which keeps the comparison's outcome.
    """
    calendar = calendar or default_calendar()
    due = calendar.add_working_days(created, sla_days)
    target = agreement.target_date or default_target_date(agreement, calendar)
    if target is not None:
        due = min(due, calendar.next_working_day(clamp_to_allowed_range(target)))
    return due


def do_open_task_deadline(
    agreement: Agreement,
    *,
    task_id: int,
    title: str,
    sla_days: int,
    assignee: User | None,
    now: datetime | None = None,
) -> Deadline:
    """Create the deadline of a new workflow task (the task's own transaction)."""
    now = now or timezone.now()
    due = task_due_date(timezone.localtime(now).date(), sla_days, agreement)
    return _open(
        agreement, Kind.TASK_DUE, due, now, task_id=task_id, title=title[:200], assignee=assignee
    )


def do_set_task_assignee(task_id: int, assignee: User | None) -> None:
    """Record who has the task now (claimed) or that it is back in the queue (``None``)."""
    # In a workflow step, written at its end (the task's row exists: not one the step adds).
    step_writes.update_by_key(_SET_TASK_ASSIGNEE, task_id, assignee=assignee)


def do_close_task_deadline(task_id: int, now: datetime | None = None) -> None:
    """Close a task's deadline when the task is finished or cancelled; a no-op when closed."""
    step_writes.update_by_key(
        _CLOSE_TASK_DEADLINE, task_id, closed_at=now or timezone.now(), next_reminder_at=None
    )


# A claim, release and completion write these: their SQL made once (``compiled``).
_CLOSE = UpdateByKey(lambda pk: Deadline.objects.filter(pk=pk), ("closed_at", "next_reminder_at"))


def _open_deadline_of_task(task_id):
    return Deadline.objects.filter(task_id=task_id, closed_at__isnull=True)


_SET_TASK_ASSIGNEE = UpdateByKey(_open_deadline_of_task, ("assignee",))
_CLOSE_TASK_DEADLINE = UpdateByKey(_open_deadline_of_task, ("closed_at", "next_reminder_at"))


def active_rules(kind: str | None = None) -> list[ReminderRule]:
    if kind is not None:  # every deadline opened asks this: compiled once (``compiled``)
        return _ACTIVE_RULES_OF_KIND.all(kind)
    return list(ReminderRule.objects.filter(active=True))


_ACTIVE_RULES_OF_KIND = ByKey(
    lambda kind: ReminderRule.objects.filter(active=True, deadline_kind=kind), keys=(str,)
)


def rule_moments(deadline: Deadline, rule: ReminderRule, now: datetime, calendar):
    """(the latest reminder moment at or before ``now``, the first one after), either may be None.

    A moment before ``deadline.scheduled_from`` does not count: that reminder was due before the
    deadline existed (a task created two days before its due date gets no "5 days before").
    A deadline the holiday calendar cannot count to (a row from before dates were checked) gets
    no reminders, with a warning in the log, rather than stopping the request or the sweep.
    """
    today = timezone.localtime(now).date()
    latest = upcoming = None
    try:
        days = rule.occurrences_near(deadline.due_date, today, calendar)
    except OutsideCalendar:
        logger.warning(
            "no reminders for deadline %s due %s: outside the holiday calendar",
            deadline.pk,
            deadline.due_date,
            extra={"agreement": deadline.subject.reference},
        )
        return None, None
    for day in days:
        moment = reminder_moment(day)
        if moment < deadline.scheduled_from:
            continue
        if moment <= now:
            if latest is None or moment > latest[0]:
                latest = (moment, day)
        elif upcoming is None or moment < upcoming:
            upcoming = moment
    return latest, upcoming


def next_reminder_at(
    deadline: Deadline, now: datetime, rules: Iterable[ReminderRule], calendar=None
) -> datetime | None:
    """The first reminder moment after ``now`` over ``rules``, or ``None`` when none is left."""
    calendar = calendar or default_calendar()
    moments = [rule_moments(deadline, r, now, calendar)[1] for r in rules]
    moments = [m for m in moments if m is not None]
    return min(moments) if moments else None


def reschedule_open_deadlines(kind: str, now: datetime | None = None) -> int:
    """Recompute ``next_reminder_at`` after the rules for ``kind`` changed; returns rows updated."""
    now = now or timezone.now()
    rules, calendar = active_rules(kind), default_calendar()
    rows = list(Deadline.objects.filter(kind=kind, closed_at__isnull=True))
    for row in rows:
        row.next_reminder_at = next_reminder_at(row, now, rules, calendar)
    Deadline.objects.bulk_update(rows, ["next_reminder_at"], batch_size=1000)
    return len(rows)


# Everyone who may claim an unclaimed task. ``workflows`` registers the resolver (it knows the
# task's node and its guard); agreements does not import workflows.
_task_candidates: Callable[[int], list[User]] | None = None


def register_task_candidates(resolver: Callable[[int], list[User]]) -> None:
    global _task_candidates
    _task_candidates = resolver


def task_candidates(task_id: int) -> list[User]:
    """Everyone who may claim the unclaimed task ``task_id``.

    Raises ``ImproperlyConfigured`` when no resolver was registered (the ``workflows`` app is not
    installed or not ready): an empty answer would silently remind nobody.
    """
    if _task_candidates is None:
        raise ImproperlyConfigured(
            "No task candidate resolver is registered; is the workflows app installed?"
        )
    return _task_candidates(task_id)
