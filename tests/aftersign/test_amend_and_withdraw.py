"""An amendment ("Endre avtale") goes through the same flow and replaces the agreement when
signed; a draft can be withdrawn with a reason ("Trukket"), a signed agreement cannot."""

from datetime import date

import pytest
from django.urls import reverse

from agreements.models import Agreement, AuditEvent, DocumentVersion, ServiceTerms
from tests.factories import advance, do_task, login_as, make_agreement, open_task

from .helpers import at, detail, signed_agreement, status_badge, timeline_section

Status = Agreement.Status
pytestmark = pytest.mark.django_db


def sign(agreement, personas):
    document = DocumentVersion.objects.signable_for(agreement)
    do_task(personas["ulla"], agreement, "sign_customer", {"document_version": document.pk})
    do_task(personas["ivar"], agreement, "sign_provider", {"document_version": document.pk})
    agreement.refresh_from_db()


def test_a_signed_amendment_replaces_the_agreement_and_both_pages_link(personas, orgs):
    with at(date(2027, 1, 4)):
        old = signed_agreement(
            personas, orgs, start_date=date(2027, 1, 4), end_date=date(2028, 12, 31)
        )
        client = login_as(personas["alice"])
        amend = reverse("workflows:amend", args=[old.reference])
        response = client.post(amend, {"reason": "Nye tjenestenivåer."})
        new = old.amendments.get()
        assert response.url == reverse("agreements:detail", args=[new.reference])
        again = client.post(amend, follow=True).content.decode()
        assert f"Endringen {new.reference} er allerede under arbeid." in again
        assert old.amendments.count() == 1
        assert (
            f"/tasks/{open_task(new, 'draft').pk}/"
            in client.get(reverse("workflows:inbox")).content.decode()
        )
        assert new.reference in timeline_section(detail(client, old))
        assert old.reference in timeline_section(detail(client, new))
    assert (new.status, new.replaces_id, new.end_date) == (Status.DRAFT, old.pk, old.end_date)
    old_terms, new_terms = (
        ServiceTerms.objects.get(agreement=old),
        ServiceTerms.objects.get(agreement=new),
    )
    assert new_terms.pk != old_terms.pk
    assert new_terms.service_name == old_terms.service_name != ""
    assert new.service_levels.count() == old.service_levels.count() > 0

    with at(date(2027, 2, 1)):
        advance(new, personas, "approved")
        sign(new, personas)
        client = login_as(personas["alice"])
        old_page, new_page = detail(client, old), detail(client, new)
    old.refresh_from_db()
    assert (new.status, old.status) == (Status.ACTIVE, Status.REPLACED)
    assert status_badge(old_page) == "Erstattet"
    assert f'Erstattet av: <a href="/agreements/{new.reference}/">' in old_page
    assert f'Erstatter: <a href="/agreements/{old.reference}/">' in new_page
    replaced = old.audit_events.get(action=AuditEvent.Action.REPLACED)
    assert (replaced.from_status, replaced.to_status) == (Status.ACTIVE, Status.REPLACED)
    assert not old.deadlines.filter(closed_at__isnull=True).exists(), "no tasks for the old one"
    with at(date(2027, 2, 1)):
        api = login_as(personas["alice"])
        old_json = api.get(reverse("api:agreement", args=[old.reference])).json()
        new_json = api.get(reverse("api:agreement", args=[new.reference])).json()
    assert (old_json["status"], old_json["amendments"]) == ("replaced", [new.reference])
    assert (new_json["status"], new_json["replaces"]) == ("active", old.reference)
    assert "Endre avtale" not in old_page


def test_the_owner_withdraws_a_draft_with_a_reason(personas, orgs):
    draft = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    task = open_task(draft, "draft")
    url = reverse("workflows:withdraw", args=[draft.reference])
    client = login_as(personas["alice"])
    assert url in detail(client, draft)
    assert login_as(personas["bob"]).get(url).status_code == 404
    response = client.post(url, {"reason": "  "})
    assert "Skriv hvorfor avtalen trekkes." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert client.post(url, {"reason": "Behovet falt bort."}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.CANCELLED
    page = detail(client, draft)
    assert status_badge(page) == "Trukket"
    assert "Behovet falt bort." in timeline_section(page)
    assert open_task(draft, "draft") is None, "the draft task is cancelled"
    assert f"/tasks/{task.pk}/" not in client.get(reverse("workflows:inbox")).content.decode()
    assert not draft.deadlines.filter(closed_at__isnull=True).exists()


def test_a_signed_agreement_cannot_be_withdrawn(personas, orgs):
    with at(date(2027, 1, 4)):
        agreement = signed_agreement(personas, orgs)
        client = login_as(personas["alice"])
        url = reverse("workflows:withdraw", args=[agreement.reference])
        assert url not in detail(client, agreement)
        response = client.post(url, {"reason": "Ombestemt oss."})
    assert response.status_code == 200
    assert "Avtalen kan ikke trekkes når den er «Aktiv»." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE
    assert not agreement.audit_events.filter(action=AuditEvent.Action.WITHDRAWN).exists()


def test_withdrawing_in_review_takes_the_review_tasks_off_the_queue(personas, orgs):
    draft = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(draft, personas, "submitted")
    review = open_task(draft, "legal_review")
    lars = login_as(personas["lars"])
    assert f"/tasks/{review.pk}/claim/" in lars.get(reverse("workflows:queue")).content.decode()
    url = reverse("workflows:withdraw", args=[draft.reference])
    assert login_as(personas["alice"]).post(url, {"reason": "Feil leverandør."}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.CANCELLED
    assert open_task(draft, "legal_review") is None
    assert f"/tasks/{review.pk}/claim/" not in lars.get(reverse("workflows:queue")).content.decode()
    assert not draft.deadlines.filter(closed_at__isnull=True).exists()


def test_the_agreements_under_a_replaced_one_move_to_its_amendment(personas, orgs):
    with at(date(2027, 1, 4)):
        frame = signed_agreement(personas, orgs, kind=Agreement.Kind.OPERATING)
        child = make_agreement(
            personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False, parent=frame
        )
        response = login_as(personas["alice"]).post(
            reverse("workflows:amend", args=[frame.reference])
        )
        amendment = frame.amendments.get()
        assert response.status_code == 302
        advance(amendment, personas, "approved")
        sign(amendment, personas)
        page = detail(login_as(personas["alice"]), child)
    child.refresh_from_db()
    assert child.parent == amendment
    assert f'href="/agreements/{amendment.reference}/"' in page
    assert child.audit_events.filter(action=AuditEvent.Action.UPDATED).exists()
