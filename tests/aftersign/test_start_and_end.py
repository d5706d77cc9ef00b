"""Signert until the start date, then Aktiv; notice given ("Oppsagt"), then Avsluttet after the
end date: beat's jobs, run twice, change each agreement once and leave an audit event."""

from datetime import date

import pytest
from django.urls import reverse

from agreements.models import Agreement, AuditEvent, Deadline
from tests.factories import login_as

from .helpers import at, detail, run_beat_job, signed_agreement, status_badge, timeline_section

Status = Agreement.Status
pytestmark = pytest.mark.django_db


def test_it_is_signed_until_its_start_date_and_active_from_it_exactly_once(personas, orgs):
    start = date(2027, 3, 10)
    with at(date(2027, 3, 1)):
        agreement = signed_agreement(personas, orgs, start_date=start, end_date=date(2029, 3, 9))
        assert agreement.status == Status.SIGNED
        assert status_badge(detail(login_as(personas["alice"]), agreement)) == "Signert"
        assert run_beat_job("worker.start_due_agreements") == []
    with at(date(2027, 3, 9), hour=23):
        assert run_beat_job("worker.start_due_agreements") == []
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    with at(start, hour=0):
        assert run_beat_job("worker.start_due_agreements") == [agreement.reference]
        assert run_beat_job("worker.start_due_agreements") == []
        page = detail(login_as(personas["alice"]), agreement)
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE
    activated = agreement.audit_events.filter(action=AuditEvent.Action.ACTIVATED)
    assert [(e.from_status, e.to_status, e.actor) for e in activated] == [
        (Status.SIGNED, Status.ACTIVE, None)
    ]
    assert status_badge(page) == "Aktiv"
    assert "Aktivert" in timeline_section(page)
    # In force from its start: the yearly revision of a service agreement is a year later.
    revision = agreement.deadlines.get(kind=Deadline.Kind.REVISION_DATE, closed_at__isnull=True)
    assert revision.due_date == date(2028, 3, 10)


def test_an_agreement_signed_on_or_after_its_start_date_is_active_at_once(personas, orgs):
    with at(date(2027, 3, 1)):
        agreement = signed_agreement(personas, orgs)
    assert agreement.status == Status.ACTIVE
    assert agreement.start_date == date(2027, 3, 1), "without a start date it starts when signed"


def test_notice_makes_it_terminated_and_it_ends_after_its_end_date(personas, orgs):
    with at(date(2027, 1, 4)):
        agreement = signed_agreement(
            personas, orgs, start_date=date(2027, 1, 4), end_date=date(2028, 12, 31)
        )
    url = reverse("workflows:follow_up", args=[agreement.reference])
    with at(date(2027, 8, 2)):
        client = login_as(personas["alice"])
        post = {"outcome": "terminate", "end_date": "2027-12-31", "concerns_date": "2028-12-31"}
        response = client.post(url, {**post, "comment": ""})
        assert response.status_code == 200
        assert "Skriv begrunnelsen for oppsigelsen." in response.content.decode()
        agreement.refresh_from_db()
        assert (agreement.status, agreement.end_date) == (Status.ACTIVE, date(2028, 12, 31))
        response = client.post(url, {**post, "comment": "Tjenesten fases ut."})
        assert response.status_code == 302
        page = detail(client, agreement)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_date) == (Status.TERMINATED, date(2027, 12, 31))
    assert status_badge(page) == "Oppsagt"
    assert "Tjenesten fases ut." in timeline_section(page)
    decision = agreement.follow_up_decisions.get()
    assert (decision.outcome, decision.new_end_date) == ("terminate", date(2027, 12, 31))
    open_kinds = set(
        agreement.deadlines.filter(closed_at__isnull=True).values_list("kind", flat=True)
    )
    assert open_kinds == {Deadline.Kind.END_DATE}, "no notice or revision task once terminated"

    with at(date(2027, 12, 31), hour=23):
        assert run_beat_job("worker.end_due_agreements") == [], "in force through its end date"
    with at(date(2028, 1, 1), hour=0):
        assert run_beat_job("worker.end_due_agreements") == [agreement.reference]
        assert run_beat_job("worker.end_due_agreements") == []
        page = detail(login_as(personas["alice"]), agreement)
    agreement.refresh_from_db()
    assert agreement.status == Status.ENDED
    assert agreement.audit_events.filter(action=AuditEvent.Action.ENDED).count() == 1
    assert status_badge(page) == "Avsluttet"
    assert not agreement.deadlines.filter(closed_at__isnull=True).exists()


def test_termination_is_refused_for_a_date_after_the_end_date_and_for_others(personas, orgs):
    with at(date(2027, 1, 4)):
        agreement = signed_agreement(personas, orgs, end_date=date(2027, 12, 31))
    url = reverse("workflows:follow_up", args=[agreement.reference])
    post = {"outcome": "terminate", "comment": "Ut", "concerns_date": "2027-12-31"}
    with at(date(2027, 8, 2)):
        response = login_as(personas["alice"]).post(url, {**post, "end_date": "2028-06-30"})
        assert "En oppsigelse kan ikke forlenge avtalen forbi sluttdatoen." in (
            response.content.decode()
        )
        # Another trust's owner does not see the agreement; a UNN approver may not decide.
        assert login_as(personas["bob"]).post(url, post).status_code == 404
        assert login_as(personas["ulla"]).post(url, post).status_code == 403
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_date) == (Status.ACTIVE, date(2027, 12, 31))
    assert not agreement.follow_up_decisions.exists()


def test_the_timeline_shows_the_agreement_s_life_in_order(personas, orgs):
    with at(date(2027, 3, 1)):
        agreement = signed_agreement(personas, orgs)
        page = detail(login_as(personas["alice"]), agreement)
    timeline = timeline_section(page)
    milestones = [
        "Opprettet",
        "Sendt til gjennomgang",
        "Gjennomgått",
        "Godkjenning besluttet",
        "Signert",
        "Aktivert",
    ]
    positions = [timeline.index(f"<strong>{m}</strong>") for m in milestones]
    assert positions == sorted(positions)
    assert "Oppgave tatt" not in timeline, "claims and releases are not milestones"
