"""The reminder sweep and the digest sender: exactly-once email about deadlines.

How nothing is sent twice, and nothing is lost:

1. ``do_sweep_reminders(now)`` reads the open deadlines whose ``next_reminder_at`` has come (one
   query on a partial index), locks them with ``SKIP LOCKED`` (a second beat running at the same
   moment skips them), and writes one ``ReminderDelivery`` per (deadline, rule, occurrence,
   addressee) with ``ON CONFLICT DO NOTHING`` under a unique constraint: a sweep that runs again
   writes nothing. Only after the transaction commits does it hand each recipient to a send task
   (by task name, like every job agreements queues: see ``agreements.jobs``).
2. ``do_send_reminder_digest(recipient_id)`` locks that recipient's unsent rows with
   ``SELECT ... FOR UPDATE SKIP LOCKED`` (a duplicate task finds nothing to do), sends ONE email
   over SMTP, and marks the rows sent in the same transaction. The SMTP connection is closed only
   after the commit, so the gap between the server accepting the message and the rows being
   marked sent is one UPDATE and one COMMIT.
3. If the worker dies before the server accepts the message, the transaction rolls back, the rows
   are unsent and unlocked, and ``do_requeue_stale_deliveries`` (beat) hands them out again.
   An SMTP error marks them ``failed`` with the error text; the task retries with backoff and the
   re-enqueue job picks up whatever a lost retry leaves behind.

The honest limit: a worker killed in the sub-millisecond gap between the SMTP server's "250
accepted" and the database COMMIT sends that digest again on retry (at-least-once there). No
protocol can close that gap without the mail server taking part; the digest's Message-ID is
derived from its delivery ids so a receiving system can recognise the duplicate.
"""

import contextlib
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import deadlines as deadline_rules
from .dates import default_calendar
from .jobs import SEND_REMINDER_DIGEST, enqueue_after_commit
from .models import AuditEvent, Deadline, ReminderDelivery, ReminderRule, User
from .roles import Role

Audience = ReminderRule.Audience
DeliveryStatus = ReminderDelivery.Status

# How many due deadlines one sweep takes; the beat runs again in a few minutes for the rest.
SWEEP_BATCH = 5000


@dataclass
class SweepResult:
    sweep: uuid.UUID
    deadlines: int = 0
    deliveries: int = 0
    recipient_ids: list[int] = field(default_factory=list)


def _addressees(deadline: Deadline, rule: ReminderRule, candidates_cache: dict) -> list[User]:
    """Whom ``rule`` reminds about ``deadline``, before substitutes are applied."""
    # -- OD requirement deliveries (no agreement): Helse Nord IKT's service managers, or for
    # any other audience the requirement's responsible person.
    if rule.audience == Audience.SERVICE_MANAGERS:
        if "service_managers" not in candidates_cache:
            candidates_cache["service_managers"] = deadline_rules.it_service_managers()
        return candidates_cache["service_managers"]
    if deadline.agreement_id is None:
        responsible = deadline.requirement.responsible
        return [responsible] if responsible and responsible.is_active else []
    # -- end of requirement deliveries
    agreement = deadline.agreement
    if rule.audience == Audience.OWNER:
        return [agreement.owner]
    if rule.audience == Audience.OWNER_APPROVER:
        organisation_id = agreement.owner.organisation_id
        key = ("approvers", organisation_id)
        if key not in candidates_cache:
            candidates_cache[key] = list(
                User.objects.filter(
                    organisation_id=organisation_id, groups__name=Role.APPROVER, is_active=True
                ).exclude(pk=agreement.owner_id)
            )
        return candidates_cache[key]
    # ASSIGNEE: the person who has the task, or while it is unclaimed everyone who may claim it;
    # for an agreement's own dates, its owner.
    if deadline.task_id is None:
        return [agreement.owner]
    if deadline.assignee_id:
        return [deadline.assignee]
    return deadline_rules.task_candidates(deadline.task_id)


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
    today = timezone.localtime(now).date()
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
                if latest is None:
                    continue
                for addressee in _addressees(deadline, rule, cache):
                    recipient = addressee.acting_substitute(today) or addressee
                    rows.append(
                        ReminderDelivery(
                            deadline=deadline,
                            rule=rule,
                            occurrence=latest[1].isoformat(),
                            addressee=addressee,
                            recipient=recipient,
                            sweep=result.sweep,
                        )
                    )
            deadline.next_reminder_at = min(upcoming) if upcoming else None
        ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        Deadline.objects.bulk_update(due, ["next_reminder_at"], batch_size=1000)
        written = ReminderDelivery.objects.filter(sweep=result.sweep)
        result.deadlines = len(due)
        result.deliveries = written.count()
        result.recipient_ids = sorted(set(written.values_list("recipient_id", flat=True)))
        if enqueue:
            for recipient_id in result.recipient_ids:
                enqueue_after_commit(SEND_REMINDER_DIGEST, recipient_id)
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


@dataclass
class DigestOutcome:
    sent: int = 0
    cancelled: int = 0
    error: str = ""


def do_send_reminder_digest(recipient_id: int, now: datetime | None = None) -> DigestOutcome:
    """Send ``recipient_id`` one email with all their unsent reminders, exactly once.

    Returns how many deliveries went out; ``error`` is set (and the rows marked failed) when the
    SMTP server could not be reached or refused the message. Nothing to send is not an error:
    another task got there first, or it was already sent.
    """
    outcome = DigestOutcome()
    connection = None
    with transaction.atomic():
        rows = list(
            ReminderDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                recipient_id=recipient_id,
                status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
            )
            .select_related("deadline__agreement", "rule", "recipient", "addressee")
            .order_by("deadline__due_at", "pk")
        )
        now = now or timezone.now()
        # A task finished since the sweep needs no reminder any more.
        closed = [r.pk for r in rows if r.deadline.closed_at is not None]
        if closed:
            ReminderDelivery.objects.filter(pk__in=closed).update(status=DeliveryStatus.CANCELLED)
            outcome.cancelled = len(closed)
        rows = [r for r in rows if r.deadline.closed_at is None]
        if not rows:
            return outcome
        ids = [r.pk for r in rows]
        message = build_digest(rows[0].recipient, rows)
        try:
            connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
            connection.open()
            connection.send_messages([message])
        except (SMTPException, OSError) as exc:
            _close_quietly(connection)
            outcome.error = f"{type(exc).__name__}: {exc}"[:2000]
            ReminderDelivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.FAILED,
                attempts=F("attempts") + 1,
                last_attempt_at=now,
                last_error=outcome.error,
            )
            return outcome
        ReminderDelivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENT,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            sent_at=now,
            last_error="",
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                agreement=r.deadline.agreement,
                action=AuditEvent.Action.REMINDER_SENT,
                message=f"{r.rule.name}: {r.deadline.display_title} → {r.recipient}"[:500],
            )
            for r in rows
            if r.deadline.agreement_id
        )
        deadline_rules.record_requirement_reminders(rows, now)
        outcome.sent = len(rows)
    # QUIT only after the commit: the server has accepted the message; keep the gap short.
    _close_quietly(connection)
    return outcome


def _close_quietly(connection) -> None:
    if connection is None:
        return
    with contextlib.suppress(SMTPException, OSError):
        connection.close()


def do_requeue_stale_deliveries(now: datetime, older_than: timedelta | None = None) -> list[int]:
    """Hand out again the recipients whose unsent rows nobody has tried for a while.

    Covers a worker killed mid-send (its lock went with it) and retries lost with a worker. Rows a
    live task holds are skipped by that task's ``SKIP LOCKED``, so an extra task is harmless.
    Returns the recipient ids enqueued.
    """
    older_than = older_than or timedelta(minutes=settings.REMINDER_STALE_MINUTES)
    cutoff = now - older_than
    recipient_ids = sorted(
        set(
            ReminderDelivery.objects.filter(
                Q(status=DeliveryStatus.PENDING, created_at__lt=cutoff)
                | Q(status=DeliveryStatus.FAILED, last_attempt_at__lt=cutoff)
            ).values_list("recipient_id", flat=True)
        )
    )
    for recipient_id in recipient_ids:
        enqueue_after_commit(SEND_REMINDER_DIGEST, recipient_id)
    return recipient_ids


@dataclass
class DigestItem:
    delivery: ReminderDelivery
    title: str
    agreement: object
    due_date: date
    days_left: int
    url: str
    note: str
    escalation: bool


def _days_text(days_left: int) -> str:
    if days_left > 0:
        return ngettext("%(n)s arbeidsdag igjen", "%(n)s arbeidsdager igjen", days_left) % {
            "n": days_left
        }
    if days_left == 0:
        return _("Fristen er i dag")
    return ngettext("%(n)s arbeidsdag på overtid", "%(n)s arbeidsdager på overtid", -days_left) % {
        "n": -days_left
    }


def digest_items(rows: list[ReminderDelivery]) -> list[DigestItem]:
    calendar = default_calendar()
    items = []
    for row in rows:
        deadline = row.deadline
        # Counted from the reminder's own day, so a retried email says what it said on that day.
        days_left = deadline.working_days_left(row.reminder_date, calendar)
        if deadline.task_id:
            # By URL name: the task page belongs to workflows, which agreements does not import.
            path = reverse("workflows:task", kwargs={"task_pk": deadline.task_id})
        elif deadline.requirement_id:
            path = reverse("followup:detail", kwargs={"requirement_pk": deadline.requirement_id})
        else:
            path = reverse("agreements:detail", kwargs={"reference": deadline.agreement.reference})
        url = settings.SITE_URL + path
        note = ""
        if row.addressee_id != row.recipient_id:
            note = _("Du får denne som stedfortreder for %(name)s.") % {"name": row.addressee}
        elif row.rule.is_escalation:
            who = deadline.assignee or _("ingen (ikke tatt)")
            note = _("Eskalert til deg: oppgaven er på overtid. Ansvarlig: %(who)s.") % {"who": who}
        items.append(
            DigestItem(
                delivery=row,
                title=str(deadline.display_title),
                # The agreement, or the OD requirement a delivery deadline belongs to.
                agreement=deadline.subject,
                due_date=deadline.due_date,
                days_left=days_left,
                url=url,
                note=note,
                escalation=row.rule.is_escalation,
            )
        )
    return items


def message_id(rows: list[ReminderDelivery]) -> str:
    digest = hashlib.sha256(",".join(str(r.pk) for r in sorted(rows, key=lambda r: r.pk)).encode())
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<reminder-{digest.hexdigest()[:32]}@{domain}>"


def build_digest(recipient: User, rows: list[ReminderDelivery]) -> EmailMultiAlternatives:
    """One email (text + HTML) in the recipient's language listing every reminder in ``rows``."""
    with (
        translation.override(recipient.language or settings.LANGUAGE_CODE),
        timezone.override("Europe/Oslo"),
    ):
        items = digest_items(rows)
        for item in items:
            item.days_text = _days_text(item.days_left)
        overdue = sum(1 for i in items if i.days_left < 0)
        subject = ngettext("Påminnelse: %(n)s frist", "Påminnelse: %(n)s frister", len(items)) % {
            "n": len(items)
        }
        if overdue:
            subject += " – " + ngettext("%(n)s på overtid", "%(n)s på overtid", overdue) % {
                "n": overdue
            }
        context = {"recipient": recipient, "items": items, "site_url": settings.SITE_URL}
        text = render_to_string("agreements/email/reminder_digest.txt", context)
        html = render_to_string("agreements/email/reminder_digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[recipient.email],
        # The ledger rows this email carries: lets an operator (and the tests) trace every
        # reminder to the one message that delivered it.
        headers={
            "Message-ID": message_id(rows),
            "X-Avtaleflyt-Reminders": ",".join(str(r.pk) for r in rows),
        },
    )
    message.attach_alternative(html, "text/html")
    return message
