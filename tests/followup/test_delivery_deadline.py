"""Requirement 93's delivery on 1 September 2022: a deadline row that reminds Helse Nord IKT's
service managers by email through the reminder sweep, closed when the delivery is recorded."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from agreements import reminders
from agreements.deadlines import sync_delivery_deadline
from agreements.models import Deadline, ReminderDelivery
from agreements.roles import Role
from tests.factories import login_as, make_user

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def smtp(settings, smtp_sink):
    """Digests sent in-process go over SMTP to the session's sink."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    smtp_sink.clear()
    return smtp_sink


@pytest.fixture
def delivery_deadline(requirements):
    requirement = requirements[93]
    with time_machine.travel(datetime(2022, 8, 1, 9, tzinfo=OSLO), tick=False):
        sync_delivery_deadline(requirement)
    return Deadline.objects.get(requirement=requirement)


def test_the_sweep_reminds_the_service_managers_of_the_delivery(
    followers, orgs, delivery_deadline, smtp
):
    unn_manager = make_user("una", orgs["UNN"], Role.SERVICE_MANAGER)
    assert delivery_deadline.agreement is None
    assert delivery_deadline.kind == Deadline.Kind.REQUIREMENT_DELIVERY
    assert delivery_deadline.due_date == date(2022, 9, 1)

    # Thursday 25 August, 08:00: five working days before Thursday 1 September.
    that_morning = datetime(2022, 8, 25, 8, tzinfo=OSLO)
    result = reminders.do_sweep_reminders(that_morning, enqueue=False)
    reminded = {followers["iris"], followers["tor"]}
    assert {d.addressee for d in ReminderDelivery.objects.all()} == reminded
    assert unn_manager.pk not in result.recipient_ids
    for recipient_id in result.recipient_ids:
        # Sent that morning too: a digest says how many days are left when it is sent.
        assert reminders.do_send_reminder_digest(recipient_id, that_morning).sent == 1

    received = {tuple(to): message for to, message in smtp.messages}
    assert set(received) == {("iris@example.org",), ("tor@example.org",)}
    body = received[("tor@example.org",)].get_body(("plain",)).get_content()
    assert "Leveranse til Helse Nord RHF" in body and "OD 2022-93" in body
    assert "01.09.2022" in body and "5 arbeidsdager igjen" in body
    assert f"/requirements/{delivery_deadline.requirement_id}/" in body
    history = delivery_deadline.requirement.history.filter(history_change_reason__isnull=False)
    assert {h.history_change_reason for h in history} == {
        "Påminnelse sendt: Leveranse til RHF: 5 arbeidsdager før → Iris",
        "Påminnelse sendt: Leveranse til RHF: 5 arbeidsdager før → Tor",
    }


def test_recording_the_delivery_closes_the_deadline(followers, delivery_deadline):
    requirement = delivery_deadline.requirement
    client = login_as(followers["tor"])
    with time_machine.travel(datetime(2022, 8, 30, 10, tzinfo=OSLO), tick=False):
        response = client.post(
            reverse("followup:record_delivery", args=[requirement.pk]),
            {"sent_on": "2022-08-30", "note": "Sendt på e-post"},
        )
    assert response.status_code == 302
    delivery_deadline.refresh_from_db()
    assert delivery_deadline.closed_at is not None and delivery_deadline.next_reminder_at is None
    result = reminders.do_sweep_reminders(datetime(2022, 9, 1, 8, tzinfo=OSLO), enqueue=False)
    assert result.deliveries == 0


def test_a_deadline_belongs_to_an_agreement_or_a_requirement(delivery_deadline):
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.filter(pk=delivery_deadline.pk).update(requirement=None)
