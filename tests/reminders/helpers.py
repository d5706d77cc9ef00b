"""Shared steps for the reminder tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

from agreements import reminders
from agreements.models import ReminderDelivery
from tests.live import wait_for

OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


UNSENT = ["pending", "sending", "failed", "unknown", "resend"]


def unsent():
    """Rows not yet in a final state (sent, bounced, dead, undeliverable, cancelled)."""
    return ReminderDelivery.objects.filter(status__in=UNSENT)


def sweep_and_deliver(now, worker, timeout=60):
    """Sweep in-process at ``now``; the live ``worker`` (the queue it routes to) sends. Returns
    once nothing is left unsent."""
    result = reminders.do_sweep_reminders(now)
    wait_for(lambda: not unsent().exists(), timeout, f"the reminders of {now:%Y-%m-%d %H:%M}")
    return result


def assert_each_delivery_arrived_once(sink):
    """Every ledger row is sent, and exactly one message in the sink carried it."""
    rows = list(ReminderDelivery.objects.values_list("pk", "status", "recipient__email"))
    counts = sink.delivery_counts()
    assert rows, "no reminders were written"
    for pk, status, _ in rows:
        assert status == ReminderDelivery.Status.SENT, (pk, status)
        assert counts.get(pk) == 1, f"delivery {pk} arrived {counts.get(pk, 0)} times"
    assert set(counts) == {pk for pk, _, _ in rows}
    by_pk = {pk: address for pk, _, address in rows}
    for recipients, message in sink.messages:
        for part in message["X-Avtaleflyt-Reminders"].split(","):
            assert recipients == [by_pk[int(part)]]


def sweep_and_send_at(now):
    """Sweep at ``now`` and send each digest in-process with the clock at ``now``: a digest
    states each deadline as it is when sent, so a story told on past days sends on those days."""
    import time_machine

    with time_machine.travel(now, tick=False):
        result = reminders.do_sweep_reminders(now, enqueue=False)
        for recipient_id in result.recipient_ids:
            reminders.do_send_waiting_digests(recipient_id)
    return result
