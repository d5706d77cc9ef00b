"""Shared steps for the reminder tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

from agreements import reminders
from agreements.models import ReminderDelivery
from tests.live import wait_for

OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def unsent():
    return ReminderDelivery.objects.filter(
        status__in=[ReminderDelivery.Status.PENDING, ReminderDelivery.Status.FAILED]
    )


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
