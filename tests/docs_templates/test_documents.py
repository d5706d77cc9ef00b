"""Documents generated from the agreement's rows, read back; downloads, tampering, immutability."""

import io
import shutil
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from docx import Document

from agreements import documents, terms
from agreements.models import Agreement, Application, DocumentVersion, ImmutableDocumentError
from docs_templates.context_builder import build_context
from docs_templates.generation import do_render_document
from docs_templates.kinds import context_errors
from tests.factories import fill_dpa_terms, login_as, make_agreement

pytestmark = pytest.mark.django_db

ROWS = 5


def login(user) -> Client:
    return login_as(user)


def docx_text(data: bytes) -> tuple[str, list[list[str]], str]:
    """(body paragraphs, table rows as cell texts, footer text) of a .docx."""
    document = Document(io.BytesIO(data))
    body = "\n".join(p.text for p in document.paragraphs)
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    footer = "\n".join(p.text for s in document.sections for p in s.footer.paragraphs)
    return body, rows, footer


def pdf_text(data: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail(
            "pdftotext is not installed (Debian package poppler-utils; make test installs it)"
        )
    return subprocess.run(
        [tool, "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def service_agreement(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    terms.do_update_terms(
        personas["alice"],
        agreement,
        {"service_name": "DIPS Arena", "availability_percent": "99.50", "support_hours": "07-16"},
        {
            "service_levels": [
                {
                    "incident_class": "ABC"[i % 3],
                    "description": f"Nivå-{i} beskrivelse",
                    "response_time": f"{i + 1} timer",
                    "resolution_time": f"{i + 2} dager",
                }
                for i in range(ROWS)
            ],
            "contacts": [
                {
                    "party": "customer",
                    "role": "Systemeier",
                    "name": "Ola Nordmann",
                    "email": "ola@unn.no",
                    "phone": "1",
                },
            ],
            "responsibilities": [{"activity": "Patching", "customer": "I", "provider": "A/R"}],
        },
    )
    app = Application.objects.create(name="DIPS Arena", version="21.2", supplier=orgs["HNIKT"])
    agreement.applications.add(app)
    return agreement


def dpa(personas, orgs):
    agreement = make_agreement(
        personas["alice"],
        orgs["UNN"],
        orgs["HNIKT"],
        kind=Agreement.Kind.DATA_PROCESSOR,
        start_flow=False,
    )
    fill_dpa_terms(agreement)
    terms.do_update_terms(
        personas["alice"],
        agreement,
        {},
        {
            "sub_processors": [
                {
                    "name": f"Underleverandør {i} AS",
                    "org_number": f"9{i:08d}",
                    "country": "Norge",
                    "service": f"Tjeneste {i}",
                    "authorisation": "Godkjent",
                }
                for i in range(ROWS)
            ]
        },
    )
    return agreement


def operating(personas, orgs, kind=Agreement.Kind.MAIN_OPERATING):
    agreement = make_agreement(
        personas["iris"], orgs["UNN"], orgs["HNIKT"], kind=kind, start_flow=False
    )
    terms.do_update_terms(
        personas["iris"],
        agreement,
        {"scope": "All drift", "governance": "Styringsmøte hvert tertial"},
        {"appendices": [{"number": n, "content": f"Innhold i bilag {n}"} for n in (1, 5, 7)]},
    )
    child = make_agreement(
        personas["alice"],
        orgs["UNN"],
        orgs["HNIKT"],
        start_flow=False,
        title="Barnet tjenesteavtale",
        parent=agreement,
    )
    # Signed long ago (the flow is walked elsewhere): only agreements in force are listed.
    Agreement.objects.filter(pk=child.pk).update(status=Agreement.Status.ACTIVE)
    make_agreement(
        personas["alice"],
        orgs["UNN"],
        orgs["HNIKT"],
        start_flow=False,
        title="Utkast som ikke er i kraft",
        parent=agreement,
    )
    return agreement


def generate(agreement, user, pdf=False) -> DocumentVersion:
    version = documents.do_request_document(user, agreement)
    return do_render_document(version.pk, pdf=pdf)


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_it_builds_a_context_that_matches_the_schema(kind, personas, orgs):
    builders = {
        "service": service_agreement,
        "data_processor": dpa,
        "main_operating": operating,
        "operating": lambda p, o: operating(p, o, Agreement.Kind.OPERATING),
        "other": lambda p, o: make_agreement(
            p["alice"], o["UNN"], o["HNIKT"], kind="other", start_flow=False
        ),
    }
    agreement = builders[kind](personas, orgs)
    assert context_errors(kind, build_context(agreement)) == []


def test_it_generates_a_service_agreement_with_a_row_per_service_level(personas, orgs):
    agreement = service_agreement(personas, orgs)
    version = generate(agreement, personas["lars"])
    assert version.status == "ready", version.error
    body, rows, footer = docx_text(documents.verified_bytes(version))
    assert "Universitetssykehuset Nord-Norge HF" in body + str(rows)
    assert "Helse Nord IKT HF" in body + str(rows)
    assert agreement.reference in footer
    for i in range(ROWS):
        assert any(
            f"Nivå-{i} beskrivelse" in cells and f"{i + 1} timer" in cells for cells in rows
        ), f"service level {i} has no row of its own"
    assert any("DIPS Arena" in cells and "21.2" in cells for cells in rows)
    assert version.template_version.kind == "service"
    assert version.created_by == personas["lars"]


def test_it_generates_a_dpa_with_a_row_per_sub_processor(personas, orgs):
    agreement = dpa(personas, orgs)
    version = generate(agreement, personas["lars"])
    body, rows, footer = docx_text(documents.verified_bytes(version))
    assert agreement.reference in footer
    for i in range(ROWS):
        assert any(
            f"Underleverandør {i} AS" in cells and f"Tjeneste {i}" in cells for cells in rows
        )
    assert "Tofaktor" in str(rows) + body


def test_it_generates_an_operating_agreement_with_appendices_and_children(personas, orgs):
    agreement = operating(personas, orgs)
    version = generate(agreement, personas["lars"])
    body, rows, _ = docx_text(documents.verified_bytes(version))
    text = body + str(rows)
    for n in (1, 5, 7):
        assert f"Innhold i bilag {n}" in text
    assert "Barnet tjenesteavtale" in text
    assert "Utkast som ikke er i kraft" not in text


@pytest.mark.parametrize("kind", ["service", "data_processor", "main_operating", "other"])
def test_it_makes_a_pdf_with_one_signature_block_per_party(kind, personas, orgs):
    if shutil.which("soffice") is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed; make test installs libreoffice-writer-nogui"
        )
    builders = {
        "service": service_agreement,
        "data_processor": dpa,
        "main_operating": operating,
        "other": lambda p, o: make_agreement(
            p["alice"], o["UNN"], o["HNIKT"], kind="other", start_flow=False
        ),
    }
    agreement = builders[kind](personas, orgs)
    version = generate(agreement, personas["lars"], pdf=True)
    assert version.pdf_file and version.pdf_sha256, version.error
    text = pdf_text(documents.verified_bytes(version, pdf=True))
    assert text.count("Dato: settes ved signering") == 2
    assert "______" not in text  # electronic signing: no lines to write on
    assert "For Universitetssykehuset Nord-Norge HF" in text
    assert "For Helse Nord IKT HF" in text
    assert agreement.reference in text


def test_it_refuses_a_tampered_file_on_download(personas, orgs):
    agreement = service_agreement(personas, orgs)
    version = generate(agreement, personas["lars"])
    client = login(personas["alice"])
    url = reverse("agreements:document_file", args=[version.pk])
    ok = client.get(url)
    assert ok.status_code == 200
    assert ok["X-Content-SHA256"] == version.sha256
    with default_storage.open(version.file.name, "wb") as handle:
        handle.write(b"PK forged content")
    response = client.get(url)
    assert response.status_code == 409
    assert "er endret etter at den ble laget" in response.content.decode()


def test_it_hides_documents_of_other_organisations(personas, orgs):
    agreement = service_agreement(personas, orgs)
    version = generate(agreement, personas["lars"])
    response = login(personas["bob"]).get(reverse("agreements:document_file", args=[version.pk]))
    assert response.status_code == 404


def test_it_never_changes_a_ready_version(personas, orgs):
    agreement = service_agreement(personas, orgs)
    version = generate(agreement, personas["lars"])
    version.sha256 = "0" * 64
    with pytest.raises(ImmutableDocumentError):
        version.save()
    with pytest.raises(ImmutableDocumentError):
        DocumentVersion.objects.filter(pk=version.pk).update(file="documents/other.docx")
    with pytest.raises(ImmutableDocumentError):
        DocumentVersion.objects.get(pk=version.pk).delete()


def test_a_retried_job_does_not_render_a_ready_version_again(personas, orgs):
    agreement = service_agreement(personas, orgs)
    version = generate(agreement, personas["lars"])
    again = do_render_document(version.pk, pdf=False)
    assert (again.file.name, again.sha256) == (version.file.name, version.sha256)
    assert agreement.audit_events.filter(action="document_ready").count() == 1


def test_it_lets_only_legal_staff_generate_from_the_agreement_page(personas, orgs):
    agreement = service_agreement(personas, orgs)
    page = login(personas["alice"]).get(reverse("agreements:detail", args=[agreement.reference]))
    assert "Generer dokument" not in page.content.decode()
    lars = login(personas["lars"])
    assert (
        "Generer dokument"
        in lars.get(reverse("agreements:detail", args=[agreement.reference])).content.decode()
    )
    lars.post(reverse("agreements:generate_document", args=[agreement.reference]))
    version = agreement.documents.get()
    assert version.status == "pending"
    pending_page = lars.get(
        reverse("agreements:detail", args=[agreement.reference])
    ).content.decode()
    assert "Et dokument lages" in pending_page
    do_render_document(version.pk, pdf=False)
    page = lars.get(reverse("agreements:detail", args=[agreement.reference])).content.decode()
    assert reverse("agreements:document_file", args=[version.pk]) in page
    response = login(personas["alice"]).post(
        reverse("agreements:generate_document", args=[agreement.reference])
    )
    assert response.status_code == 302
    assert agreement.documents.count() == 1
