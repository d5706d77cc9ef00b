"""Faults with real parts: in each, every due reminder arrives exactly once.

Twelve contract owners each have a draft due on 15 September 2022; a sweep at 08:00 on
8 September (5 working days before) owes each of them one digest.
"""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from agreements import reminders
from agreements.models import ReminderDelivery
from agreements.roles import Role
from tests.factories import make_agreement, make_user
from tests.live import wait_for

from .helpers import assert_each_delivery_arrived_once, oslo, sweep_and_deliver, unsent

pytestmark = [
    pytest.mark.live_worker,
    pytest.mark.django_db(transaction=True),
]

OWNERS = 12
REMINDER_MOMENT = oslo(2022, 9, 8, 8, 0)


@pytest.fixture
def twelve_drafts(orgs):
    with time_machine.travel(oslo(2022, 9, 1, 9, 0), tick=False):
        for i in range(OWNERS):
            owner = make_user(f"owner{i:02}", orgs["UNN"], Role.CONTRACT_OWNER)
            make_agreement(owner, orgs["UNN"], orgs["HNIKT"], target_date=None)


def test_it_sends_nothing_twice_when_two_sweeps_run(twelve_drafts, live_worker, sink):
    first = sweep_and_deliver(REMINDER_MOMENT, live_worker)
    assert first.deliveries == OWNERS
    # The same sweep again, and two more at once (two beats): nothing new is written or sent.
    again = reminders.do_sweep_reminders(REMINDER_MOMENT)
    assert again.deliveries == 0 and again.recipient_ids == []
    results = []

    def beat():
        try:
            results.append(reminders.do_sweep_reminders(REMINDER_MOMENT))
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.deliveries for r in results] == [0, 0]
    assert ReminderDelivery.objects.count() == OWNERS
    assert len(sink.messages) == OWNERS
    assert_each_delivery_arrived_once(sink)


def test_it_sends_once_when_the_send_task_is_delivered_three_times(
    twelve_drafts, live_worker, sink
):
    result = reminders.do_sweep_reminders(REMINDER_MOMENT, enqueue=False)  # not handed out
    assert result.deliveries == OWNERS
    for recipient_id in result.recipient_ids * 3:
        live_worker.enqueue(recipient_id)
    wait_for(lambda: not unsent().exists(), 60, "every digest sent")
    assert len(sink.messages) == OWNERS
    assert_each_delivery_arrived_once(sink)


def test_it_retries_while_the_smtp_server_is_down_and_sends_once_it_is_up(
    twelve_drafts, live_worker, sink
):
    sink.stop()
    reminders.do_sweep_reminders(REMINDER_MOMENT)
    failed = wait_for(
        lambda: list(ReminderDelivery.objects.filter(status="failed", attempts__gte=1)),
        60,
        "the deliveries to fail while SMTP is down",
    )
    assert "Connection refused" in failed[0].last_error
    assert sink.messages == []
    sink.start()
    wait_for(lambda: not unsent().exists(), 120, "the retries to get through")
    assert len(sink.messages) == OWNERS
    assert_each_delivery_arrived_once(sink)
    assert ReminderDelivery.objects.filter(attempts__gte=2).exists()


def test_it_loses_and_duplicates_nothing_when_the_worker_is_killed_mid_batch(
    twelve_drafts, live_worker, sink
):
    # The sink accepts three digests, then holds the fourth mid-DATA while we kill the worker.
    sink.handler.hold_at(4)
    reminders.do_sweep_reminders(REMINDER_MOMENT)
    wait_for(sink.handler.holding.is_set, 60, "the worker to be mid-send")
    live_worker.kill()
    sink.handler.release()
    assert len(sink.messages) == 3
    assert ReminderDelivery.objects.filter(status="sent").count() == 3
    # PostgreSQL rolls back the dead worker's transaction and frees its row locks.
    wait_for(lambda: _unlocked_unsent() == unsent().count(), 30, "the dead worker's locks to go")
    live_worker.start()
    # The beat's stale re-enqueue (run here as if its grace period had passed) hands the
    # rest out again; the killed worker's unacknowledged tasks would only return much later.
    reminders.do_requeue_stale_deliveries(timezone.now() + timedelta(hours=1))
    wait_for(lambda: not unsent().exists(), 60, "the restarted worker to send the rest")
    assert len(sink.messages) == OWNERS
    assert_each_delivery_arrived_once(sink)


def _unlocked_unsent() -> int:
    from django.db import transaction

    with transaction.atomic():
        return len(unsent().select_for_update(skip_locked=True).values_list("pk", flat=True))
