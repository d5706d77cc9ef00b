"""Reminders about deadlines: a ledger swept by the beat, digests sent by the workers.

How nothing is lost, and duplicates are bounded and recognisable:

1. ``do_sweep_reminders(now)`` (``sweep``) reads the open deadlines whose ``next_reminder_at``
   has come, locks them with ``SKIP LOCKED`` and writes one ``ReminderDelivery`` per (deadline,
   rule, occurrence, addressee) with ``ON CONFLICT DO NOTHING`` under a unique constraint: a
   sweep that runs again writes nothing. After commit it queues one send task per batch of
   recipients (``batch``: one SMTP connection for the batch, each digest as in 2.).
2. ``do_send_reminder_digest(recipient_id)`` (``sending``) locks the recipient's waiting rows,
   builds ONE email (``digests``: one line per deadline, in its state when sent), commits them
   as ``sending`` with the Message-ID, and speaks SMTP in phases (``smtp``). After the server's
   250 it commits only the ``sent`` mark; audit events come after.
3. The outcome decides the rest: 4xx or no connection is retried with backoff up to
   ``REMINDER_MAX_ATTEMPTS`` (then ``dead``); 5xx is ``bounced``; no answer after the message was
   on the wire is ``unknown``, resent once later with the same Message-ID; an empty or invalid
   address is ``undeliverable``.
4. ``do_requeue_stale_deliveries`` (beat) hands out rows a dead worker left ``sending``: they go
   out once more with the same Message-ID. So a worker killed between the 250 and the commit
   of the sent mark (a window measured in docs/performance.md) costs at most one duplicate per
   crash, which the receiving side can recognise by its Message-ID; nothing is lost.
"""

from .batch import BatchOutcome, do_send_digest_batch
from .digests import build_digest, digest_items
from .sending import DigestOutcome, do_send_reminder_digest, do_send_waiting_digests
from .sweep import SweepResult, do_requeue_stale_deliveries, do_sweep_reminders, preview_reminders

__all__ = [
    "BatchOutcome",
    "do_send_digest_batch",
    "DigestOutcome",
    "SweepResult",
    "build_digest",
    "digest_items",
    "do_requeue_stale_deliveries",
    "do_send_reminder_digest",
    "do_send_waiting_digests",
    "do_sweep_reminders",
    "preview_reminders",
]
