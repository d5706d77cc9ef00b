"""The digest sender: one email per recipient, its ledger rows moved through their states.

pending/failed --lock, build--> sending (Message-ID committed) --DATA, 250--> sent
                                        |-- 4xx, no connection --> failed (retried with backoff,
                                        |                          dead after REMINDER_MAX_ATTEMPTS)
                                        |-- 5xx --> bounced (never retried)
                                        '-- no answer after the final dot --> unknown

A row left in ``sending`` (the worker died) or in ``unknown`` may have been delivered; after
``REMINDER_STALE_MINUTES`` the requeue job marks it ``resend`` and it goes out once more with the
same Message-ID (an unknown row only once; a sending row once per crash). An empty or invalid address is ``undeliverable`` and the
user is flagged for the administrators.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import deadlines as deadline_rules
from ..models import AuditEvent, ReminderDelivery, User
from .digests import build_digest
from .smtp import Outcome, deliver

Status = ReminderDelivery.Status


@dataclass
class DigestOutcome:
    sent: int = 0
    cancelled: int = 0
    status: str = ""
    error: str = ""
    resend: bool = False

    @property
    def retry(self) -> bool:
        """A transient refusal: the task tries again later (until the rows are dead)."""
        return self.status == Status.FAILED


def stale_cutoff(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.REMINDER_STALE_MINUTES)


# A first delivery or a transient refusal waiting for its next try.
WAITING = [Status.PENDING, Status.FAILED]


def due_to_send(now: datetime) -> Q:
    """Rows whose quiet hours (``send_after``) are over."""
    return Q(send_after__isnull=True) | Q(send_after__lte=now)


def lockable_rows():
    """Ledger rows to lock for sending (skipping those another sender holds), with everything a
    digest reads about them."""
    return ReminderDelivery.objects.select_for_update(
        skip_locked=True, of=("self",)
    ).select_related(
        "deadline__agreement",
        "deadline__requirement",
        "deadline__assignee",
        "rule",
        "addressee",
        "recipient",
    )


def _lock_batch(recipient_id: int, now: datetime) -> list[ReminderDelivery]:
    """The rows of one message: a resend group first (alone, so one Message-ID always means
    one set of deadlines), else every row waiting for its first delivery."""
    rows = list(
        lockable_rows()
        .filter(
            (Q(status__in=WAITING) & due_to_send(now)) | Q(status=Status.RESEND),
            recipient_id=recipient_id,
        )
        .order_by("deadline__due_at", "pk")
    )
    resends = [r for r in rows if r.status == Status.RESEND]
    if resends:
        return [r for r in resends if r.message_id == resends[0].message_id]
    return rows


def _mark(rows, **fields) -> None:
    ReminderDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(**fields)


def drop_unsendable(rows, recipient: User, now: datetime, outcome: DigestOutcome):
    """Cancel rows for closed deadlines or a deactivated recipient; flag a useless address."""
    closed = [r for r in rows if r.deadline.closed_at is not None or not recipient.is_active]
    if closed:
        _mark(closed, status=Status.CANCELLED, last_attempt_at=now)
        outcome.cancelled = len(closed)
    rows = [r for r in rows if r not in closed]
    try:
        validate_email(recipient.email)
    except ValidationError:
        if rows:
            error = f"invalid address: {recipient.email!r}"
            _mark(rows, status=Status.UNDELIVERABLE, last_attempt_at=now, last_error=error)
            User.objects.filter(pk=recipient.pk, email_undeliverable_at__isnull=True).update(
                email_undeliverable_at=now
            )
            outcome.status, outcome.error = Status.UNDELIVERABLE, error
        return []
    return rows


def do_send_reminder_digest(recipient_id: int, now: datetime | None = None) -> DigestOutcome:
    """Send ``recipient_id`` one email with their waiting reminders; see the module docstring.

    Nothing to send is not an error: another task got there first, or it was already sent.
    """
    now = now or timezone.now()
    outcome = DigestOutcome()
    with transaction.atomic():
        rows = _lock_batch(recipient_id, now)
        if not rows:
            return outcome
        rows = drop_unsendable(rows, rows[0].recipient, now, outcome)
        if not rows:
            return outcome
        outcome.resend = rows[0].status == Status.RESEND
        message_id = rows[0].message_id if outcome.resend else new_message_id()
        message = build_digest(rows[0].recipient, rows, message_id, now)
        # Committed before the body goes out: a worker killed from here on leaves "sending",
        # which is resent once with this Message-ID, never lost.
        _mark(
            rows,
            status=Status.SENDING,
            message_id=message_id,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            **({"resent_at": now} if outcome.resend else {}),
        )
    # After the 250, only the sent mark (one autocommitted UPDATE) before anything else.
    result = deliver(message, lambda: mark_sent(rows, now))
    if result.outcome is Outcome.ACCEPTED:
        record_sent(rows, now)
        outcome.sent, outcome.status = len(rows), Status.SENT
        return outcome
    return record_failure(result, rows, now, outcome)


def do_send_waiting_digests(recipient_id: int, now: datetime | None = None) -> DigestOutcome:
    """Send every message ``recipient_id`` is owed: a resend goes alone, then the rest."""
    outcome = do_send_reminder_digest(recipient_id, now)
    for _ in range(3):
        if not (outcome.resend and outcome.status == Status.SENT):
            break
        following = do_send_reminder_digest(recipient_id, now)
        if not following.status:
            break
        outcome = following
    return outcome


# The two statements of every digest (take, sent mark) are written out in SQL: building them
# through the ORM cost the worker about four times the CPU of sending them
# (docs/performance.md, "Emails per second").
def _update_rows(assignments: str, params: list, pks: list[int], only_status=()) -> int:
    """``UPDATE`` the ledger rows ``pks`` (those of ``only_status`` if given); the row count."""
    where = f"id IN ({', '.join(['%s'] * len(pks))})"
    if only_status:
        where += f" AND status IN ({', '.join(['%s'] * len(only_status))})"
    # Only column names written here and %s placeholders go into the text; values are params.
    sql = f"UPDATE {ReminderDelivery._meta.db_table} SET {assignments} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *pks, *(status.value for status in only_status)])
        return cursor.rowcount


def take_waiting(pks: list[int], message_id: str, now: datetime) -> int:
    """Mark the rows ``pks`` that are still waiting ``sending`` with ``message_id``, in one
    statement (autocommitted outside a transaction); returns how many were still waiting."""
    return _update_rows(
        "status = %s, message_id = %s, attempts = attempts + 1, last_attempt_at = %s",
        [Status.SENDING.value, message_id, connection.ops.adapt_datetimefield_value(now)],
        pks,
        only_status=WAITING,
    )


def mark_sent(rows, now: datetime) -> None:
    """The one statement between the server's 250 and the ledger saying so."""
    _update_rows(
        "status = %s, sent_at = %s, last_error = ''",
        [Status.SENT.value, connection.ops.adapt_datetimefield_value(now)],
        [r.pk for r in rows],
    )


def record_sent(rows, now: datetime) -> None:
    """What follows a delivery, outside the crash window: the audit trail of the agreements and
    the history of the requirements the rows are about."""
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


def record_failure(result, rows, now, outcome: DigestOutcome) -> DigestOutcome:
    status = {
        Outcome.BOUNCED: Status.BOUNCED,
        Outcome.UNKNOWN: Status.UNKNOWN,
        Outcome.REFUSED: Status.FAILED,
    }[result.outcome]
    if status == Status.FAILED and rows[0].attempts + 1 >= settings.REMINDER_MAX_ATTEMPTS:
        status = Status.DEAD
    _mark(rows, status=status, last_attempt_at=now, last_error=result.error)
    outcome.status, outcome.error = status, result.error
    return outcome


def new_message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<reminder-{uuid.uuid4().hex}@{domain}>"
