"""Signatures bound to the exact version; signed scans; template uploads; the DPA checklist gate."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document

from agreements import documents, lifecycle
from agreements.models import Agreement, DocumentVersion, Signature, TemplateVersion
from docs_templates.versions import active_template, shipped_template_bytes
from tests.docs_templates.factories import make_docx
from tests.factories import (
    APPROVE,
    advance,
    do_task,
    fill_dpa_terms,
    login_as,
    make_agreement,
    open_task,
    run_document_jobs,
)

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def login(user) -> Client:
    return login_as(user)


def to_signing(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    return advance(agreement, personas, "approved")


def test_a_signature_stores_the_hash_of_the_exact_version(personas, orgs):
    agreement = to_signing(personas, orgs)
    version = agreement.documents.get()
    assert version.for_signing and version.is_ready
    client = login(personas["ulla"])
    task = open_task(agreement, "sign_customer")
    client.post(reverse("workflows:claim", args=[task.pk]))
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert reverse("agreements:document_file", args=[version.pk]) in page
    assert version.sha256 in page
    client.post(
        reverse("workflows:task", args=[task.pk]),
        {"confirm": "on", "document_version": version.pk},
    )
    signature = Signature.objects.get(agreement=agreement, party=orgs["UNN"])
    assert signature.document_version == version
    assert signature.document_sha256 == version.sha256
    detail = client.get(reverse("agreements:detail", args=[agreement.reference])).content.decode()
    assert "Dokumentversjon 1" in detail
    with pytest.raises(ValidationError):
        documents.do_request_document(personas["lars"], agreement)


def test_it_refuses_to_sign_a_version_that_is_not_the_current_one(personas, orgs):
    agreement = to_signing(personas, orgs)
    old = agreement.documents.get()
    newer = documents.do_request_document(personas["lars"], agreement)
    with pytest.raises(ValidationError):
        lifecycle.do_sign_agreement(personas["ulla"], agreement, orgs["UNN"], document=old)
    run_document_jobs()
    newer.refresh_from_db()
    # A version made after the approval voids it: approved again, then signed.
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL
    with pytest.raises(ValidationError):
        lifecycle.do_sign_agreement(personas["ulla"], agreement, orgs["UNN"], document=newer)
    do_task(personas["ulla"], agreement, "approve", APPROVE)
    run_document_jobs()
    current = DocumentVersion.objects.signable_for(agreement)
    assert current.number > newer.number
    signature = lifecycle.do_sign_agreement(
        personas["ulla"], agreement, orgs["UNN"], document=current
    )
    assert signature.document_sha256 == current.sha256


def test_a_party_may_upload_a_signed_scan_instead(personas, orgs):
    agreement = to_signing(personas, orgs)
    client = login(personas["ivar"])
    task = open_task(agreement, "sign_provider")
    client.post(reverse("workflows:claim", args=[task.pk]))
    scan = SimpleUploadedFile("signert.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("workflows:task", args=[task.pk]),
        {"confirm": "on", "document_version": agreement.documents.get().pk, "scan": scan},
    )
    assert response.status_code == 302
    signature = Signature.objects.get(agreement=agreement, party=orgs["HNIKT"])
    assert signature.method == Signature.Method.UPLOADED_SCAN
    scanned = signature.document_version
    assert scanned.kind == DocumentVersion.Kind.UPLOADED_SCAN
    assert signature.document_sha256 == documents.sha256_of(PDF) == scanned.sha256
    assert documents.verified_bytes(scanned) == PDF


@pytest.mark.parametrize(
    ("name", "content_type", "data", "message"),
    [
        ("signert.docx", DOCX_TYPE, b"PK\x03\x04 not a pdf", "Bare PDF-filer"),
        ("signert.pdf", "application/pdf", b"MZ\x90\x00 an exe", "er ikke en PDF"),
        ("signert.pdf", "application/pdf", b"%PDF-1.4\n1 0 obj", "ufullstendig eller skadet"),
        ("signert.pdf", "application/pdf", PDF + b"0" * (10 * 1024 * 1024), "for stor"),
    ],
)
def test_it_refuses_bad_scans_and_stores_nothing(personas, orgs, name, content_type, data, message):
    agreement = to_signing(personas, orgs)
    client = login(personas["ivar"])
    task = open_task(agreement, "sign_provider")
    client.post(reverse("workflows:claim", args=[task.pk]))
    response = client.post(
        reverse("workflows:task", args=[task.pk]),
        {
            "confirm": "on",
            "document_version": agreement.documents.get().pk,
            "scan": SimpleUploadedFile(name, data, content_type=content_type),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert agreement.documents.count() == 1
    assert not agreement.signatures.exists()


def upload(client, kind, data, name="mal.docx"):
    return client.post(
        reverse("docs_templates:list"),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type=DOCX_TYPE)},
    )


def test_legal_staff_upload_a_new_template_version_that_is_then_used(personas, orgs):
    client = login(personas["lars"])
    base = active_template("other")
    data = make_docx("Avtale {{ reference }} mellom {{ customer.name }} og {{ provider.name }}")
    response = upload(client, "other", data)
    assert response.status_code == 302
    new = TemplateVersion.objects.get(kind="other", is_active=True)
    assert new.number == base.number + 1
    assert new.uploaded_by == personas["lars"]
    agreement = make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], kind="other", start_flow=False
    )
    version = documents.do_request_document(personas["lars"], agreement)
    run_document_jobs()
    version.refresh_from_db()
    assert version.template_version == new
    text = Document(io.BytesIO(documents.verified_bytes(version))).paragraphs[0].text
    assert text == f"Avtale {agreement.reference} mellom {orgs['UNN'].name} og {orgs['HNIKT'].name}"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just text", "mal.docx", ""),
        (make_docx("{{ customer.password }}"), "mal.docx", "password"),
        (make_docx("{{ ''.__class__.__mro__ }}"), "mal.docx", ""),
        (make_docx("{% for x in %}"), "mal.docx", ""),
        (make_docx("{{ reference }}"), "mal.docm", ""),
    ],
)
def test_it_refuses_bad_templates_in_plain_words_and_stores_nothing(personas, data, name, message):
    client = login(personas["lars"])
    response = upload(client, "service", data, name)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Malen ble ikke lagret" in page
    assert message in page
    assert '<ul class="errorlist' in page
    assert not TemplateVersion.objects.exists()


def test_only_legal_staff_and_administrators_see_the_template_page(personas):
    assert login(personas["alice"]).get(reverse("docs_templates:list")).status_code == 403
    assert login(personas["ada"]).get(reverse("docs_templates:list")).status_code == 200


def test_a_dpa_cannot_go_to_review_until_the_checklist_is_complete(personas, orgs):
    agreement = make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], kind=Agreement.Kind.DATA_PROCESSOR
    )
    client = login(personas["alice"])
    draft = open_task(agreement, "draft")
    page = client.get(reverse("workflows:task", args=[draft.pk])).content.decode()
    assert "Underdatabehandlere" in page and "Behandlingens gjenstand" in page
    with pytest.raises(ValidationError) as refused:
        lifecycle.do_submit_for_review(personas["alice"], agreement)
    assert any("Mangler: (d) Underdatabehandlere" in m for m in refused.value.messages)
    fill_dpa_terms(agreement, scale="")
    with pytest.raises(ValidationError) as refused:
        lifecycle.do_submit_for_review(personas["alice"], agreement)
    assert [m for m in refused.value.messages if m.startswith("Mangler")] == [
        "Mangler: Omfang av behandlingen"
    ]
    fill_dpa_terms(agreement, scale="", scale_na=True)
    lifecycle.do_submit_for_review(personas["alice"], agreement)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_REVIEW


def test_the_drafter_fills_in_terms_on_the_terms_page(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    client = login(personas["alice"])
    url = reverse("agreements:terms", args=[agreement.reference])
    assert "Tjenestenivåer" in client.get(url).content.decode()
    data = {
        "service_name": "PACS",
        "description": "Bildearkiv",
        "availability_percent": "99.9",
        "support_hours": "24/7",
        "maintenance_window": "",
        "price_model": "Fast",
        "change_procedure": "Skriftlig",
        "revision": "Årlig",
        "reporting": "Månedlig",
    }
    for prefix in ("service_levels", "responsibilities", "contacts"):
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(
        {
            "service_levels-0-incident_class": "A",
            "service_levels-0-description": "Kritisk",
            "service_levels-0-response_time": "15 min",
            "service_levels-0-resolution_time": "4 t",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert str(agreement.service_terms.availability_percent) == "99.90"
    assert list(agreement.service_levels.values_list("incident_class", "response_time")) == [
        ("A", "15 min")
    ]
    assert login(personas["bob"]).get(url).status_code == 404
    assert login(personas["lars"]).post(url, data).status_code == 403


def test_render_agreement_command_writes_the_document(personas, orgs, tmp_path):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    out = tmp_path / "avtale.docx"
    call_command("render_agreement", agreement.reference, "--out", str(out), "--pdf")
    footer = Document(str(out)).sections[0].footer.paragraphs[0].text
    assert agreement.reference in footer
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")


def test_shipped_templates_are_version_one(db):
    version = active_template("service")
    assert version.number == 1 and version.sha256 == documents.sha256_of(
        shipped_template_bytes("service")
    )
