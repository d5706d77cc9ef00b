"""Worker processes killed with SIGKILL while they send: nothing is lost, and each kill costs at
most one duplicate, which carries the Message-ID of the message it repeats.

Sixty contract owners each owe one digest. The sink keeps five of the messages and holds back
their 250 (a stall shorter than the sender's timeout); each time, the test SIGKILLs the pool
process waiting for that 250, so the message has arrived but its row stays ``sending``. The
prefork parent starts a fresh pool process, which sends the rest; the requeue job (run as if
its grace period had passed) then sends the killed rows once more.
"""

import os
import queue
import signal
from collections import defaultdict
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from agreements import reminders
from agreements.models import ReminderDelivery
from agreements.roles import Role
from tests.factories import make_agreement, make_user
from tests.live import child_pids, pid_with_local_port, wait_for

from .helpers import oslo, unsent

pytestmark = [pytest.mark.live_worker, pytest.mark.django_db(transaction=True)]

OWNERS = 60
# Which messages (in the order the sink takes them) are held while their sender is killed.
KILLED_AT = (3, 14, 26, 38, 50)
# Below the live worker's EMAIL_TIMEOUT (10 s): a sender that is not killed gets its 250.
STALL_SECONDS = 8.0


@pytest.fixture
def sixty_drafts(orgs):
    with time_machine.travel(oslo(2022, 9, 1, 9, 0), tick=False):
        for i in range(OWNERS):
            owner = make_user(f"owner{i:02}", orgs["UNN"], Role.CONTRACT_OWNER)
            make_agreement(owner, orgs["UNN"], orgs["HNIKT"], target_date=None)


def _kill_the_sender(worker, client_port: int) -> int:
    """SIGKILL the pool process holding the connection from ``client_port``."""
    pid = wait_for(
        lambda: pid_with_local_port(child_pids(worker.process.pid), client_port),
        10,
        "the pool process of a held connection",
        interval=0.05,
    )
    os.kill(pid, signal.SIGKILL)
    return pid


def test_sigkilled_senders_lose_nothing_and_duplicate_at_most_once_per_kill(
    sixty_drafts, live_worker, sink
):
    sink.handler.stall_on(KILLED_AT, STALL_SECONDS)
    result = reminders.do_sweep_reminders(oslo(2022, 9, 8, 8, 0))
    assert result.deliveries == OWNERS
    killed_pids, killed_recipients = set(), set()
    for _ in KILLED_AT:
        try:
            client_port, recipients = sink.handler.stalled.get(timeout=120)
        except queue.Empty:
            pytest.fail("the sink never held the next message back")
        killed_pids.add(_kill_the_sender(live_worker, client_port))
        killed_recipients.update(recipients)
    assert len(killed_pids) == len(KILLED_AT)

    def only_the_killed_rows_are_left():
        left = list(unsent().values_list("status", "recipient__email"))
        return all(s == "sending" and r in killed_recipients for s, r in left)

    wait_for(only_the_killed_rows_are_left, 120, "the fresh pool processes to send the rest")
    stuck = unsent().count()
    assert 0 < stuck <= len(KILLED_AT)
    reminders.do_requeue_stale_deliveries(timezone.now() + timedelta(hours=1))
    wait_for(lambda: not unsent().exists(), 120, "the requeued rows to be sent")

    rows = dict(ReminderDelivery.objects.values_list("pk", "message_id"))
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
    message_ids = defaultdict(list)
    for _, message in sink.messages:
        for part in message["X-Avtaleflyt-Reminders"].split(","):
            message_ids[int(part)].append(message["Message-ID"])
    assert set(message_ids) == set(rows)  # 0 lost
    duplicates = len(sink.messages) - OWNERS
    assert duplicates <= len(KILLED_AT)
    assert duplicates == stuck  # each row the kills left behind went out once more
    for pk, ids in message_ids.items():
        assert set(ids) == {rows[pk]}, f"delivery {pk} arrived under {ids}"
