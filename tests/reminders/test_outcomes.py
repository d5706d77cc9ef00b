"""What becomes of a digest when the mail server is slow, refuses, or the address is useless.

Real SMTP (the sink on a socket) and the sender in-process. Each test failed before issue 11:
a slow 250 was "failed" and retried forever, 5xx retried forever, 4xx had no limit, and an empty
address was logged as sent.
"""

from datetime import timedelta

import pytest
import time_machine

from agreements import reminders
from agreements.models import ReminderDelivery, User
from agreements.roles import Role
from tests.factories import make_agreement, make_user
from worker.health import check_reminders

from .helpers import oslo

pytestmark = pytest.mark.django_db
MOMENT = oslo(2022, 9, 8, 8, 0)


@pytest.fixture
def owner(orgs):
    with time_machine.travel(oslo(2022, 9, 1, 9, 0), tick=False):
        person = make_user("olga", orgs["UNN"], Role.CONTRACT_OWNER)
        make_agreement(person, orgs["UNN"], orgs["HNIKT"], target_date=None)
    return person


def send(owner, now=MOMENT):
    with time_machine.travel(now, tick=False):
        return reminders.do_send_waiting_digests(owner.pk)


def requeue_later(now=MOMENT):
    return reminders.do_requeue_stale_deliveries(now + timedelta(hours=1))


def test_a_250_after_the_timeout_is_an_unknown_outcome_resent_once_with_the_same_id(
    owner, sink, settings
):
    settings.EMAIL_TIMEOUT = 1
    sink.handler.stall_after_data(3)
    reminders.do_sweep_reminders(MOMENT, enqueue=False)
    outcome = send(owner)
    assert outcome.status == "unknown" and not outcome.retry
    row = ReminderDelivery.objects.get()
    assert row.status == "unknown" and row.attempts == 1 and row.message_id
    assert len(sink.messages) == 1  # the server had it all along
    assert requeue_later() == [owner.pk]
    assert send(owner).status == "sent"
    row.refresh_from_db()
    assert row.status == "sent" and row.resent_at is not None
    ids = {m["Message-ID"] for _, m in sink.messages}
    assert ids == {row.message_id} and len(sink.messages) == 2
    # At most one resend: nothing is left to hand out.
    assert requeue_later(MOMENT + timedelta(days=1)) == []


def test_a_second_unknown_outcome_is_final(owner, sink, settings):
    settings.EMAIL_TIMEOUT = 1
    sink.handler.stall_after_data(3, times=2)
    reminders.do_sweep_reminders(MOMENT, enqueue=False)
    send(owner)
    requeue_later()
    assert send(owner).status == "unknown"
    assert requeue_later(MOMENT + timedelta(days=1)) == []
    assert ReminderDelivery.objects.get().status == "unknown"
    assert check_reminders()["unknown"] == 1


def test_a_permanent_refusal_bounces_and_is_not_retried(owner, sink):
    sink.handler.answer("550 5.1.1 No such user", times=None)
    reminders.do_sweep_reminders(MOMENT, enqueue=False)
    outcome = send(owner)
    assert outcome.status == "bounced" and not outcome.retry
    row = ReminderDelivery.objects.get()
    assert row.status == "bounced" and "550" in row.last_error
    assert requeue_later(MOMENT + timedelta(days=1)) == []
    assert check_reminders()["bounced"] == 1


def test_a_transient_refusal_is_retried_until_the_limit_then_dead(owner, sink, settings):
    settings.REMINDER_MAX_ATTEMPTS = 3
    sink.handler.answer("451 4.3.0 Try again later", times=None)
    reminders.do_sweep_reminders(MOMENT, enqueue=False)
    statuses = []
    for attempt in range(4):
        outcome = send(owner, MOMENT + timedelta(minutes=attempt))
        statuses.append(outcome.status)
    assert statuses == ["failed", "failed", "dead", ""]
    row = ReminderDelivery.objects.get()
    assert row.status == "dead" and row.attempts == 3 and "451" in row.last_error
    assert requeue_later(MOMENT + timedelta(days=1)) == []
    assert sink.messages == []
    assert check_reminders()["dead"] == 1


@pytest.mark.parametrize("address", ["", "not-an-address"])
def test_an_empty_or_invalid_address_is_undeliverable_and_flags_the_user(owner, sink, address):
    User.objects.filter(pk=owner.pk).update(email=address)
    reminders.do_sweep_reminders(MOMENT, enqueue=False)
    outcome = send(owner)
    assert outcome.status == "undeliverable" and outcome.sent == 0
    assert ReminderDelivery.objects.get().status == "undeliverable"
    owner.refresh_from_db()
    assert owner.email_undeliverable_at == MOMENT
    assert sink.messages == []
    assert check_reminders()["undeliverable"] == 1


def test_an_unreachable_server_is_a_transient_failure(owner, sink, settings):
    settings.EMAIL_PORT = sink.port + 1 if sink.port < 65535 else sink.port - 1
    reminders.do_sweep_reminders(MOMENT, enqueue=False)
    outcome = send(owner)
    assert outcome.retry and "Connection refused" in outcome.error
