"""A draft on demand marked UTKAST, an approval bound to the draft shown, and a newer document
after approval sending the agreement back to approval (issue 10, point 3).

Real .docx read back with python-docx, the PDF read back with pdftotext page by page, the worker's
own task run in-process (``run_document_jobs``).
"""

import io
import subprocess

import docx
import pytest
from django.urls import reverse

from agreements.models import Agreement, AuditEvent, Decision, DocumentVersion
from tests.factories import open_task, run_document_jobs
from tests.workflows.test_flow_http import claim_and_do, create_over_http, draft_data, login
from tests.workflows.test_review_rounds import task_page
from workflows.models import AgreementProcess

pytestmark = pytest.mark.django_db

APPROVED = {"outcome": "approved"}


def reviewed_service_agreement(personas, orgs):
    alice = login(personas["alice"])
    agreement = create_over_http(alice, Agreement.Kind.SERVICE, orgs["UNN"], orgs["HNIKT"])
    claim_and_do(alice, agreement, "draft", draft_data(agreement))
    claim_and_do(login(personas["lars"]), agreement, "legal_review", APPROVED)
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL
    return agreement


def order_draft(client, agreement, node):
    task = open_task(agreement, node)
    response = client.post(reverse("workflows:draft", args=[task.pk]))
    assert response.status_code == 302
    return DocumentVersion.objects.filter(agreement=agreement, is_draft=True).latest("number")


def test_a_reviewer_orders_a_draft_marked_utkast_on_every_page(personas, orgs):
    alice = login(personas["alice"])
    agreement = create_over_http(alice, Agreement.Kind.SERVICE, orgs["UNN"], orgs["HNIKT"])
    claim_and_do(alice, agreement, "draft", draft_data(agreement))
    lars = login(personas["lars"])
    assert "Lag utkast" in task_page(lars, agreement, "legal_review")

    draft = order_draft(lars, agreement, "legal_review")
    assert "Utkastet lages" in task_page(lars, agreement, "legal_review")
    # While the terms cannot change, a second click gives the same draft, not a new one.
    assert order_draft(lars, agreement, "legal_review") == draft
    run_document_jobs(pdf=True)
    draft.refresh_from_db()
    assert draft.is_ready and draft.is_draft
    assert DocumentVersion.objects.signable_for(agreement) is None

    page = task_page(lars, agreement, "legal_review")
    assert f"Utkast, versjon {draft.number}" in page
    assert draft.sha256 in page
    response = lars.get(reverse("agreements:document_file", args=[draft.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    for section in document.sections:
        assert "UTKAST" in "\n".join(p.text for p in section.header.paragraphs)
    body = "\n".join(p.text for p in document.paragraphs)
    assert agreement.reference in body or agreement.title in body

    pdf = lars.get(reverse("agreements:document_pdf", args=[draft.pk])).content
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    assert all("UTKAST" in p for p in pages)


def test_the_approval_records_the_draft_shown_and_refuses_a_stale_page(personas, orgs):
    agreement = reviewed_service_agreement(personas, orgs)
    ulla = login(personas["ulla"])
    task = open_task(agreement, "approve")
    ulla.post(reverse("workflows:claim", args=[task.pk]))
    url = reverse("workflows:task", args=[task.pk])

    # The page was opened before any draft existed; a draft made since voids what was shown.
    draft = order_draft(ulla, agreement, "approve")
    run_document_jobs()
    draft.refresh_from_db()
    stale = ulla.post(url, {"outcome": "approved", "document_version": ""})
    assert stale.status_code == 200
    assert "Det er laget et nyere utkast" in stale.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL

    page = task_page(ulla, agreement, "approve")
    assert f'name="document_version" value="{draft.pk}"' in page
    assert "Godkjenningen din registreres på denne versjonen." in page
    response = ulla.post(url, {"outcome": "approved", "document_version": draft.pk})
    assert response.status_code == 302
    approval = Decision.objects.get(agreement=agreement, area=Decision.Area.APPROVAL)
    assert approval.document_version == draft
    assert approval.document_sha256 == draft.sha256


def test_a_newer_document_after_approval_sends_the_agreement_back_to_approval(personas, orgs):
    agreement = reviewed_service_agreement(personas, orgs)
    claim_and_do(login(personas["ulla"]), agreement, "approve", APPROVED)
    run_document_jobs()  # the flow's version to sign
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_SIGNATURE
    assert open_task(agreement, "sign_customer") is not None

    # Legal makes a new version before anyone has signed.
    lars = login(personas["lars"])
    response = lars.post(reverse("agreements:generate_document", args=[agreement.reference]))
    assert response.status_code == 302
    newer = DocumentVersion.objects.filter(agreement=agreement).latest("number")
    run_document_jobs()
    newer.refresh_from_db()

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL
    assert open_task(agreement, "sign_customer") is None
    assert open_task(agreement, "sign_provider") is None
    assert open_task(agreement, "approve") is not None
    event = agreement.audit_events.get(action=AuditEvent.Action.APPROVAL_REOPENED)
    assert f"Ny dokumentversjon {newer.number}" in event.message and newer.sha256 in event.message
    assert not agreement.deadlines.filter(closed_at__isnull=True, title__startswith="Signering")
    # The reviews stand; the approver approves again and the flow goes on to signing.
    page = task_page(login(personas["ulla"]), agreement, "approve")
    assert "Juridisk gjennomgang</strong>: Godkjent i runde 1 av Lars" in page
    claim_and_do(login(personas["ulla"]), agreement, "approve", APPROVED)
    run_document_jobs()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_SIGNATURE
    document = DocumentVersion.objects.signable_for(agreement)
    for user, node in [(personas["ulla"], "sign_customer"), (personas["ivar"], "sign_provider")]:
        claim_and_do(
            login(user), agreement, node, {"document_version": document.pk, "confirm": "on"}
        )
    assert agreement.status == Agreement.Status.ACTIVE
    # Signed: the watch for a newer version ended with the flow.
    process = AgreementProcess.objects.get(agreement=agreement)
    assert process.status == "DONE"
    assert not process.task_set.filter(finished__isnull=True).exists()
