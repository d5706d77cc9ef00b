"""The owner's follow-up tasks: before the notice date (renew, renegotiate, terminate) and the
yearly revision of service and operating agreements; in the inbox, reminded by the sweep."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.deadlines import next_revision_date
from agreements.models import Agreement, AuditEvent, Deadline, FollowUpDecision, ReminderDelivery
from agreements.reminders import do_sweep_reminders
from agreements.reminders.digests import digest_items
from tests.factories import login_as, make_agreement, open_task

from .helpers import at, detail, signed_agreement, timeline_section

Status = Agreement.Status
Kind = Deadline.Kind
pytestmark = pytest.mark.django_db


def inbox(client) -> str:
    return client.get(reverse("workflows:inbox")).content.decode()


def open_deadline(agreement, kind) -> Deadline:
    return agreement.deadlines.get(kind=kind, closed_at__isnull=True)


def reminded(agreement, kind, person) -> bool:
    return ReminderDelivery.objects.filter(
        deadline__agreement=agreement, deadline__kind=kind, recipient=person
    ).exists()


@pytest.fixture
def running(personas, orgs):
    """A service agreement in force from 4 January 2027 to 31 December 2027, 3 months' notice."""
    with at(date(2027, 1, 4)):
        return signed_agreement(
            personas, orgs, start_date=date(2027, 1, 4), end_date=date(2027, 12, 31)
        )


def test_the_owner_renews_before_the_notice_date_and_the_end_date_moves(running, personas):
    url = reverse("workflows:follow_up", args=[running.reference])
    assert open_deadline(running, Kind.NOTICE_DATE).due_date == date(2027, 9, 30)
    with at(date(2027, 5, 3)):
        assert url not in inbox(login_as(personas["alice"])), "not yet: months before"
    with at(date(2027, 8, 2)):
        client = login_as(personas["alice"])
        assert url in inbox(client)
        form = client.get(url).content.decode()
        assert "Forny avtalen" in form and "Si opp avtalen" in form
        assert "30.09.2027" in form, "the notice date is on the page"
        do_sweep_reminders(timezone.now(), enqueue=False)
        assert reminded(running, Kind.NOTICE_DATE, personas["alice"])
        rows = ReminderDelivery.objects.filter(deadline__agreement=running)
        [item] = digest_items(
            list(rows.select_related("deadline__agreement", "rule")), timezone.now()
        )
        assert item.url.endswith(url), "the email leads straight to the decision"
        post = {"outcome": "renew", "comment": "Fornyes ett år.", "concerns_date": "2027-12-31"}
        assert client.post(url, post).status_code == 302
        running.refresh_from_db()
        assert running.end_date == date(2028, 12, 31), "moved by the 12-month renewal period"
        again = client.post(url, post)
        assert "Avtalen er endret siden siden ble åpnet." in again.content.decode()
        assert url not in inbox(client), "the next notice date is a year away"
        page = detail(client, running)
    running.refresh_from_db()
    assert running.end_date == date(2028, 12, 31), "the second post renewed nothing"
    decision = running.follow_up_decisions.get()
    assert (decision.outcome, decision.concerns_date, decision.new_end_date) == (
        FollowUpDecision.Outcome.RENEW,
        date(2027, 12, 31),
        date(2028, 12, 31),
    )
    assert decision.comment == "Fornyes ett år."
    assert open_deadline(running, Kind.NOTICE_DATE).due_date == date(2028, 9, 30)
    assert open_deadline(running, Kind.END_DATE).due_date == date(2028, 12, 31)
    assert "Fornyet" in timeline_section(page)
    assert "31.12.2028" in timeline_section(page)


def test_renegotiating_records_the_decision_and_starts_an_amendment(running, personas):
    url = reverse("workflows:follow_up", args=[running.reference])
    with at(date(2027, 8, 2)):
        client = login_as(personas["alice"])
        post = {"outcome": "renegotiate", "comment": "Nye priser.", "concerns_date": "2027-12-31"}
        response = client.post(url, post)
        amendment = running.amendments.get()
        assert response.url == reverse("agreements:detail", args=[amendment.reference])
        assert url not in inbox(client), "decided: the notice task is done"
        assert f"/tasks/{open_task(amendment, 'draft').pk}/" in inbox(client)
    running.refresh_from_db()
    assert running.status == Status.ACTIVE, "in force until the amendment is signed"
    assert running.follow_up_decisions.get().outcome == FollowUpDecision.Outcome.RENEGOTIATE
    assert not running.deadlines.filter(kind=Kind.NOTICE_DATE, closed_at__isnull=True).exists()
    assert running.audit_events.filter(action=AuditEvent.Action.RENEGOTIATION_DECIDED).exists()


def test_service_and_operating_agreements_get_a_yearly_revision_task(personas, orgs):
    with at(date(2027, 1, 4)):
        service = signed_agreement(personas, orgs, start_date=date(2027, 1, 4))
        operating = signed_agreement(
            personas, orgs, kind=Agreement.Kind.OPERATING, start_date=date(2027, 1, 4)
        )
    for agreement in (service, operating):
        assert open_deadline(agreement, Kind.REVISION_DATE).due_date == date(2028, 1, 4)
    with at(date(2027, 12, 6)):
        client = login_as(personas["alice"])
        page = inbox(client)
        urls = [reverse("workflows:revision", args=[a.reference]) for a in (service, operating)]
        assert all(url in page for url in urls)
        assert "Årlig revisjon" in page
        assert "04.01.2028" in client.get(urls[0]).content.decode()
        do_sweep_reminders(timezone.now(), enqueue=False)
        assert reminded(service, Kind.REVISION_DATE, personas["alice"])
        response = client.post(urls[0], {"comment": "", "concerns_date": "2028-01-04"})
        assert "Skriv kort hva revisjonen kom fram til." in response.content.decode()
        post = {"comment": "Tjenestenivåene står.", "concerns_date": "2028-01-04"}
        assert client.post(urls[0], post).status_code == 302
        assert urls[0] not in inbox(client)
    decision = service.follow_up_decisions.get()
    assert (decision.topic, decision.concerns_date) == ("revision", date(2028, 1, 4))
    assert open_deadline(service, Kind.REVISION_DATE).due_date == date(2029, 1, 4)
    assert open_deadline(operating, Kind.REVISION_DATE).due_date == date(2028, 1, 4)


def test_a_data_processor_agreement_has_no_yearly_revision(personas, orgs):
    dpa = make_agreement(
        personas["alice"],
        orgs["UNN"],
        orgs["HNIKT"],
        kind=Agreement.Kind.DATA_PROCESSOR,
        start_flow=False,
        start_date=date(2027, 1, 4),
    )
    assert next_revision_date(dpa) is None
