"""Digests for many recipients over one SMTP connection: how the sweep's work is sent.

The waiting rows of every recipient in the batch are read (skipping rows another sender holds
locked) and built into one digest each. Then, one digest after another on one connection:

1. its rows are taken as ``sending`` with the Message-ID, if they are still waiting (one
   autocommitted UPDATE; a digest another sender took meanwhile is skipped);
2. the message goes out, and right after the server's 250 only its ``sent`` mark is committed.

So a worker killed mid-batch leaves at most the one digest in flight ``sending`` (sent once
more, later, with its Message-ID, as in ``sending``); the digests it had not reached are still
waiting and go out when the task is delivered again. Audit events for the batch come last.

When the connection itself fails (none, or no answer after the final dot), the batch stops:
the digests not yet tried are left waiting and their recipients handed back for a retry on
their own, with backoff.

Resends (rows the requeue job marked ``resend``) are not taken here: they go alone, per
recipient, through ``do_send_waiting_digests``.
"""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import ReminderDelivery
from .digests import build_digest
from .sending import (
    WAITING,
    DigestOutcome,
    drop_unsendable,
    due_to_send,
    lockable_rows,
    mark_sent,
    new_message_id,
    record_failure,
    record_sent,
    take_waiting,
)
from .smtp import Outcome, SmtpSession


@dataclass
class BatchOutcome:
    sent: int = 0
    retry_recipient_ids: list[int] = field(default_factory=list)


@dataclass
class _Digest:
    rows: list[ReminderDelivery]
    message_id: str
    message: object


def _waiting(recipient_ids: list[int], now: datetime) -> list[ReminderDelivery]:
    return list(
        lockable_rows()
        .filter(status__in=WAITING, recipient_id__in=recipient_ids)
        .filter(due_to_send(now))
        .order_by("recipient_id", "deadline__due_at", "pk")
    )


def _prepare(recipient_ids: list[int], now: datetime) -> list[_Digest]:
    """One digest per recipient; rows of closed deadlines or useless addresses are settled."""
    digests = []
    with transaction.atomic():
        for _recipient_id, group in groupby(_waiting(recipient_ids, now), lambda r: r.recipient_id):
            rows = list(group)
            recipient = rows[0].recipient
            rows = drop_unsendable(rows, recipient, now, DigestOutcome())
            if rows:
                message_id = new_message_id()
                message = build_digest(recipient, rows, message_id, now)
                digests.append(_Digest(rows, message_id, message))
    return digests


def _take(digest: _Digest, now: datetime) -> bool:
    """Mark the digest's rows ``sending`` if every one is still waiting: one autocommitted
    UPDATE whose condition a concurrent sender's committed take makes false. A digest another
    sender took part of meanwhile (rare: their batch read it first) is given back untouched."""
    pks = [r.pk for r in digest.rows]
    taken = take_waiting(pks, digest.message_id, now)
    if taken == len(pks):
        return True
    if taken:
        for status in {r.status for r in digest.rows}:
            ReminderDelivery.objects.filter(
                pk__in=[r.pk for r in digest.rows if r.status == status],
                message_id=digest.message_id,
            ).update(status=status, attempts=F("attempts") - 1)
    return False


def do_send_digest_batch(recipient_ids: list[int], now: datetime | None = None) -> BatchOutcome:
    """Send each of ``recipient_ids`` one digest of their waiting reminders, on one connection."""
    now = now or timezone.now()
    outcome = BatchOutcome()
    digests = _prepare(recipient_ids, now)
    sent_rows = []
    with SmtpSession() as smtp:
        for number, digest in enumerate(digests):
            if not _take(digest, now):
                continue
            result = smtp.deliver(digest.message, lambda rows=digest.rows: mark_sent(rows, now))
            if result.outcome is Outcome.ACCEPTED:
                sent_rows += digest.rows
                continue
            if record_failure(result, digest.rows, now, DigestOutcome()).retry:
                outcome.retry_recipient_ids.append(digest.rows[0].recipient_id)
            if result.broken:
                outcome.retry_recipient_ids += [
                    d.rows[0].recipient_id for d in digests[number + 1 :]
                ]
                break
    record_sent(sent_rows, now)
    outcome.sent = len(sent_rows)
    return outcome
