"""What the API answers: the list page's filters with cursor pages, an agreement's whole record,
drafts opened through the workflow, tasks claimed as on the page, documents checked against
their hash, and the audit trail naming the token."""

import hashlib

import pytest
from django.test import Client

from agreements.models import Agreement, AuditEvent, DocumentVersion
from tests.factories import login_as, make_agreement, open_task, run_document_jobs

pytestmark = pytest.mark.django_db


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_it_filters_like_the_list_page_and_pages_by_cursor(api, personas, orgs):
    made = [
        make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title=f"Avtale {n}")
        for n in range(3)
    ]
    make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], kind=Agreement.Kind.DATA_PROCESSOR
    )
    client = api("alice")
    first = client.get("/api/v1/agreements/?kind=service&page_size=2").json()
    assert [a["reference"] for a in first["results"]] == [made[2].reference, made[1].reference]
    second = client.get(first["next"]).json()
    assert [a["reference"] for a in second["results"]] == [made[0].reference]
    assert second["next"] is None
    found = client.get("/api/v1/agreements/?q=Avtale 1").json()["results"]
    assert [a["reference"] for a in found] == [made[1].reference]
    bad = client.get("/api/v1/agreements/?status=nonsense")
    assert bad.status_code == 400
    assert "status" in bad.json()["errors"]


def test_it_opens_a_draft_through_the_workflow_and_names_the_token(api, personas, orgs):
    answer = post(
        api("alice"),
        "/api/v1/agreements/",
        {
            "kind": "service",
            "title": "Drift av PACS",
            "customer": orgs["UNN"].pk,
            "provider": orgs["HNIKT"].pk,
            "notice_months": 6,
        },
    )
    assert answer.status_code == 201
    agreement = Agreement.objects.get(reference=answer.json()["reference"])
    assert answer["Location"] == f"/api/v1/agreements/{agreement.reference}/"
    assert agreement.owner == personas["alice"] and agreement.notice_months == 6
    assert open_task(agreement, "draft").owner == personas["alice"]
    created = agreement.audit_events.get(action=AuditEvent.Action.CREATED)
    assert created.message.endswith("(via API-nøkkel «Testskript»)")


def test_it_refuses_a_draft_with_the_forms_and_use_cases_messages(api, orgs):
    missing = post(api("alice"), "/api/v1/agreements/", {"kind": "service"})
    assert missing.status_code == 400
    assert missing["Content-Type"] == "application/problem+json"
    assert {"title", "customer", "provider"} <= set(missing.json()["errors"])
    not_party = post(
        api("alice"),
        "/api/v1/agreements/",
        {
            "kind": "service",
            "title": "Ikke vår",
            "customer": orgs["NLSH"].pk,
            "provider": orgs["HNIKT"].pk,
            "notice_months": 3,
        },
    )
    assert not_party.status_code == 400
    refused = post(api("ulla"), "/api/v1/agreements/", {"kind": "service"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Du har ikke rolle som avtaleeier."
    assert not Agreement.objects.exists()


def test_it_claims_as_the_queue_does_and_says_who_was_first(api, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    post(
        api("alice"),
        f"/api/v1/tasks/{open_task(agreement, 'draft').pk}/complete/",
        {"title": "Avtale", "notice_months": 3},
    )
    review = open_task(agreement, "legal_review")
    assert f"/tasks/{review.pk}/" in api("lars").get("/api/v1/tasks/queue/").content.decode()
    claimed = post(api("lars"), f"/api/v1/tasks/{review.pk}/claim/")
    assert claimed.status_code == 200 and claimed.json()["may_complete"] is True
    second = post(api("lene"), f"/api/v1/tasks/{review.pk}/claim/")
    assert second.status_code == 409
    assert second.json()["detail"] == "Oppgaven er tatt av Lars."
    # Separation of duties: the drafter may not review, whatever the client sends.
    assert (
        post(
            api("alice"), f"/api/v1/tasks/{review.pk}/complete/", {"outcome": "approved"}
        ).status_code
        == 409
    )
    released = post(api("lars"), f"/api/v1/tasks/{review.pk}/release/")
    assert released.status_code == 200 and released.json()["status"] == "NEW"
    events = agreement.audit_events.filter(action__in=["task_claimed", "task_released"])
    assert [e.message for e in events] == [
        "Juridisk gjennomgang (via API-nøkkel «Testskript»)",
        "Juridisk gjennomgang (via API-nøkkel «Testskript»)",
    ]


def test_it_shows_documents_with_hashes_and_refuses_a_tampered_file(api, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    from agreements.documents import do_request_document

    version = do_request_document(personas["lars"], agreement)
    run_document_jobs(pdf=False)
    version.refresh_from_db()
    client = api("alice")
    detail = client.get(f"/api/v1/agreements/{agreement.reference}/").json()
    listed = detail["documents"][0]
    assert listed["sha256"] == version.sha256 and listed["pdf_url"] is None
    download = client.get(listed["file_url"])
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == version.sha256
    assert download["X-Content-SHA256"] == version.sha256
    assert client.get(f"/api/v1/documents/{version.pk}/pdf/").status_code == 404
    assert [e["action"] for e in detail["audit_trail"]][:2] == ["created", "document_requested"]

    with open(version.file.path, "ab") as handle:
        handle.write(b"tampered")
    refused = client.get(listed["file_url"])
    assert refused.status_code == 409
    assert refused.json()["type"] == "/api/problems/tampered"
    assert DocumentVersion.objects.get(pk=version.pk).sha256 == version.sha256


def test_it_serves_the_browser_session_and_wants_its_csrf_token(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    session = login_as(personas["alice"])
    assert session.get(f"/api/v1/agreements/{agreement.reference}/").status_code == 200
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas["alice"])
    task = open_task(agreement, "draft")
    refused = post(strict, f"/api/v1/tasks/{task.pk}/complete/", {"title": "x", "notice_months": 3})
    assert refused.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
