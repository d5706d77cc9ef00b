"""The reminder sweep: which ledger rows are due, for whom, and handing them to the senders."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import deadlines as deadline_rules
from ..dates import default_calendar
from ..jobs import SEND_REMINDER_DIGEST, SEND_REMINDER_DIGESTS, enqueue_after_commit
from ..models import Deadline, ReminderDelivery, ReminderRule, User
from ..models.deadlines import reminder_moment
from ..roles import Role
from .sending import Status, stale_cutoff

Audience = ReminderRule.Audience
Frequency = User.ReminderFrequency

# How many due deadlines one sweep takes; the beat runs again in a few minutes for the rest.
SWEEP_BATCH = 5000


@dataclass
class SweepResult:
    sweep: uuid.UUID
    deadlines: int = 0
    deliveries: int = 0
    recipient_ids: list[int] = field(default_factory=list)


def _addressees(deadline: Deadline, rule: ReminderRule, cache: dict, today) -> list[tuple]:
    """(addressee, recipient) pairs ``rule`` reminds about ``deadline`` on ``today``.

    Deactivated people are never reminded. An unclaimed task reminds those who may claim it, or
    the present stand-in of one who is away only if that stand-in may claim it too: whoever is
    reminded can take the task. Everything else goes down the substitute chain.
    """
    if rule.audience == Audience.SERVICE_MANAGERS or deadline.agreement_id is None:
        return _with_stand_ins(_delivery_people(deadline, rule, cache), today)
    agreement = deadline.agreement
    if rule.audience == Audience.OWNER_APPROVER:
        organisation_id = agreement.owner.organisation_id
        # Where another organisation manages the agreement (requirement 89), its service
        # managers follow the agreement's escalations too.
        key = ("approvers", organisation_id, agreement.manager_id)
        if key not in cache:
            audience = Q(organisation_id=organisation_id, groups__name=Role.APPROVER)
            if agreement.manager_id != organisation_id:
                audience |= Q(
                    organisation_id=agreement.manager_id, groups__name=Role.SERVICE_MANAGER
                )
            cache[key] = list(
                User.objects.filter(audience, is_active=True)
                .exclude(pk=agreement.owner_id)
                .distinct()
            )
        people = cache[key]
    elif rule.audience == Audience.OWNER or deadline.task_id is None:
        people = [agreement.owner]
    elif deadline.assignee_id:
        people = [deadline.assignee]
    else:
        candidates = deadline_rules.task_candidates(deadline.task_id)
        ids = {c.pk for c in candidates}
        pairs = [(c, c.present_stand_in(today)) for c in candidates]
        return [(a, r) for a, r in pairs if r is not None and r.pk in ids]
    return _with_stand_ins(people, today)


def _with_stand_ins(people, today) -> list[tuple]:
    pairs = [(p, p.reminder_stand_in(today)) for p in people if p.is_active]
    return [(a, r) for a, r in pairs if r is not None]


def _delivery_people(deadline: Deadline, rule: ReminderRule, cache: dict) -> list:
    """An OD requirement's delivery (no agreement): Helse Nord IKT's service managers, or for
    any other audience the requirement's responsible person."""
    if rule.audience == Audience.SERVICE_MANAGERS:
        if "service_managers" not in cache:
            cache["service_managers"] = deadline_rules.it_service_managers()
        return cache["service_managers"]
    responsible = deadline.requirement.responsible
    return [responsible] if responsible else []


def _send_after(recipient: User, now: datetime):
    """A weekly reader's reminders wait for Monday's digest."""
    if recipient.reminder_frequency != Frequency.WEEKLY:
        return None
    today = timezone.localtime(now).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7)
    return max(now, reminder_moment(monday))


def _rows_for(deadline, rule, latest_day, now, cache, sweep) -> list[ReminderDelivery]:
    today = timezone.localtime(now).date()
    rows = []
    for addressee, recipient in _addressees(deadline, rule, cache, today):
        overdue_only = recipient.reminder_frequency == Frequency.OVERDUE_ONLY
        if overdue_only and not deadline.is_overdue(now):
            continue
        rows.append(
            ReminderDelivery(
                deadline=deadline,
                rule=rule,
                occurrence=latest_day.isoformat(),
                addressee=addressee,
                recipient=recipient,
                sweep=sweep,
                send_after=_send_after(recipient, now),
            )
        )
    return rows


def do_sweep_reminders(
    now: datetime, *, enqueue: bool = True, limit: int = SWEEP_BATCH
) -> SweepResult:
    """Write the deliveries that are due at ``now`` and, after commit, queue one digest task per
    recipient (``enqueue=False``: write only, e.g. to hand them out by hand).

    Returns what this sweep wrote: a sweep that finds its work already done (a second beat, a
    rerun) writes no delivery and enqueues nobody.
    """
    result = SweepResult(sweep=uuid.uuid4())
    calendar = default_calendar()
    with transaction.atomic():
        due = list(
            Deadline.objects.filter(closed_at__isnull=True, next_reminder_at__lte=now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("agreement__owner", "assignee", "requirement__responsible")
            .order_by("next_reminder_at")[:limit]
        )
        if not due:
            return result
        rules_by_kind = defaultdict(list)
        for rule in deadline_rules.active_rules():
            rules_by_kind[rule.deadline_kind].append(rule)
        cache: dict = {}
        rows = []
        for deadline in due:
            upcoming = []
            for rule in rules_by_kind[deadline.kind]:
                latest, next_moment = deadline_rules.rule_moments(deadline, rule, now, calendar)
                if next_moment:
                    upcoming.append(next_moment)
                if latest is not None:
                    rows += _rows_for(deadline, rule, latest[1], now, cache, result.sweep)
            deadline.next_reminder_at = min(upcoming) if upcoming else None
        ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        Deadline.objects.bulk_update(due, ["next_reminder_at"], batch_size=1000)
        written = ReminderDelivery.objects.filter(sweep=result.sweep)
        result.deadlines = len(due)
        result.deliveries = written.count()
        result.recipient_ids = sorted(set(written.values_list("recipient_id", flat=True)))
        if enqueue:
            size = settings.REMINDER_SEND_BATCH
            for start in range(0, len(result.recipient_ids), size):
                enqueue_after_commit(
                    SEND_REMINDER_DIGESTS, result.recipient_ids[start : start + size]
                )
    return result


def preview_reminders(now: datetime) -> list[ReminderDelivery]:
    """What a sweep at ``now`` would write, computed by running it and rolling it back."""
    with transaction.atomic():
        result = do_sweep_reminders(now, enqueue=False)
        planned = list(
            ReminderDelivery.objects.filter(sweep=result.sweep)
            .select_related(
                "recipient", "addressee", "rule", "deadline__agreement", "deadline__requirement"
            )
            .order_by("recipient__username", "deadline__due_at")
        )
        transaction.set_rollback(True)
    return planned


def do_requeue_stale_deliveries(now: datetime, older_than: timedelta | None = None) -> list[int]:
    """Hand out again the recipients whose rows nobody has tried for a while.

    Covers a worker killed mid-send (its rows stay "sending"), an unknown outcome's one resend,
    retries lost with a worker, and weekly digests whose Monday has come. Returns the recipient
    ids enqueued; a task that finds its rows taken does nothing.
    """
    cutoff = now - older_than if older_than else stale_cutoff(now)
    with transaction.atomic():
        # Only this job decides that a row is stale, so a slow live sender keeps its rows.
        ReminderDelivery.objects.filter(
            Q(status=Status.SENDING) | Q(status=Status.UNKNOWN, resent_at__isnull=True),
            last_attempt_at__lt=cutoff,
        ).update(status=Status.RESEND)
        recipient_ids = sorted(
            set(
                ReminderDelivery.objects.filter(
                    Q(status=Status.PENDING, created_at__lt=cutoff, send_after__isnull=True)
                    | Q(status=Status.PENDING, send_after__lt=cutoff)
                    | Q(status=Status.FAILED, last_attempt_at__lt=cutoff)
                    | Q(status=Status.RESEND)
                ).values_list("recipient_id", flat=True)
            )
        )
        for recipient_id in recipient_ids:
            enqueue_after_commit(SEND_REMINDER_DIGEST, recipient_id)
    return recipient_ids
