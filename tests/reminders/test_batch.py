"""The sweep's batches: many digests on one SMTP connection, each committed on its own.

Real SMTP (the session's sink on a socket) and the sender in-process, as in test_outcomes.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import reminders
from agreements.models import AuditEvent, ReminderDelivery
from agreements.roles import Role
from tests.factories import make_agreement, make_user

from .helpers import oslo

pytestmark = pytest.mark.django_db
MOMENT = oslo(2022, 9, 8, 8, 0)


@pytest.fixture
def owners(orgs):
    """Six contract owners, each owing one digest at MOMENT."""
    people = []
    with time_machine.travel(oslo(2022, 9, 1, 9, 0), tick=False):
        for n in range(6):
            person = make_user(f"owner{n}", orgs["UNN"], Role.CONTRACT_OWNER)
            make_agreement(person, orgs["UNN"], orgs["HNIKT"], target_date=None)
            people.append(person)
    reminders.do_sweep_reminders(MOMENT, enqueue=False)
    return people


def send_batch(people, now=MOMENT):
    with time_machine.travel(now, tick=False):
        return reminders.do_send_digest_batch([p.pk for p in people], now)


def statuses(people):
    return [
        sorted(ReminderDelivery.objects.filter(recipient=p).values_list("status", flat=True))
        for p in people
    ]


def test_a_batch_sends_each_recipient_one_digest_over_one_connection(owners, sink):
    outcome = send_batch(owners)
    assert outcome.sent == ReminderDelivery.objects.count() and not outcome.retry_recipient_ids
    assert {r.status for r in ReminderDelivery.objects.all()} == {"sent"}
    received = {rcpt[0]: message for rcpt, message in sink.messages}
    assert sorted(received) == sorted(p.email for p in owners)
    assert sink.connections == 1
    # Each digest has its own Message-ID, the one its rows hold.
    for person in owners:
        row_ids = set(
            ReminderDelivery.objects.filter(recipient=person).values_list("message_id", flat=True)
        )
        assert row_ids == {received[person.email]["Message-ID"]}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REMINDER_SENT).count() == (
        outcome.sent
    )
    # A second batch finds nothing left to send.
    assert send_batch(owners).sent == 0 and len(sink.messages) == len(owners)


def test_each_further_digest_in_a_batch_costs_one_statement(owners, sink):
    """Read and build the whole batch in one transaction; then per digest two autocommitted
    UPDATEs (take its rows; the sent mark after its 250); the audit trail in one INSERT."""
    with CaptureQueriesContext(connection) as two:
        send_batch(owners[:2])
    with CaptureQueriesContext(connection) as four:
        send_batch(owners[2:])
    per_digest = (len(four.captured_queries) - len(two.captured_queries)) / 2
    assert per_digest == 2
    assert len(two.captured_queries) <= 8 + 2 * per_digest


def test_a_refusal_of_one_message_does_not_stop_the_others(owners, sink):
    sink.handler.answer("550 5.1.1 No such user", times=1)
    outcome = send_batch(owners)
    assert statuses(owners) == [["bounced"]] + [["sent"]] * 5
    assert len(sink.messages) == 5 and not outcome.retry_recipient_ids


def test_no_answer_after_the_data_ends_the_batch_and_the_rest_is_retried(owners, sink, settings):
    settings.EMAIL_TIMEOUT = 1
    sink.handler.stall_on([2], seconds=3)
    outcome = send_batch(owners)
    # The first went out; the second reached the server (unknown: resent once, later, with its
    # Message-ID); the four not tried are still waiting, handed back for a retry on their own.
    assert statuses(owners) == [["sent"], ["unknown"]] + [["pending"]] * 4
    assert outcome.retry_recipient_ids == [p.pk for p in owners[2:]]
    for person in owners[2:]:
        with time_machine.travel(MOMENT + timedelta(minutes=1), tick=False):
            assert reminders.do_send_waiting_digests(person.pk).status == "sent"
    assert statuses(owners) == [["sent"], ["unknown"]] + [["sent"]] * 4


def test_an_unreachable_server_fails_the_whole_batch_for_retry(owners, sink, settings):
    settings.EMAIL_PORT = sink.port + 1 if sink.port < 65535 else sink.port - 1
    outcome = send_batch(owners)
    assert outcome.sent == 0 and outcome.retry_recipient_ids == [p.pk for p in owners]
    assert statuses(owners) == [["failed"]] + [["pending"]] * 5
    assert sink.messages == []
