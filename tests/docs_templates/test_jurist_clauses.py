"""The clauses a jurist expects, read back from generated .docx files: the DPA's numbering and
electronic signature block, the service agreement's sanctions and its DPA, the operating
agreement's SSA-D appendices with their attached files."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import documents, terms
from agreements.kinds import KINDS
from agreements.models import Agreement, AppendixFile, AuditEvent
from docs_templates.generation import do_render_document
from docs_templates.kinds import example_context
from tests.docs_templates.factories import body_text, open_docx
from tests.factories import fill_dpa_terms, login_as, make_agreement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def generated_text(agreement, user) -> str:
    version = do_render_document(documents.do_request_document(user, agreement).pk, pdf=False)
    assert version.status == "ready", version.error
    return body_text(open_docx(documents.verified_bytes(version)))


def test_app_and_documents_give_each_kind_one_name():
    for kind, spec in KINDS.items():
        assert example_context(kind)["kind_label"] == str(spec.label) == Agreement.Kind(kind).label


def test_the_dpa_numbers_its_clauses_without_holes_and_signs_electronically(personas, orgs):
    agreement = make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], kind="data_processor", start_flow=False
    )
    fill_dpa_terms(agreement)
    text = generated_text(agreement, personas["lars"])
    general = text.split("\nSignaturer")[0]  # the appendices number their own sections
    numbers = re.findall(r"^(\d+)\.(\d+)\t", general, flags=re.MULTILINE)
    by_clause: dict[str, list[int]] = {}
    for clause, sub in numbers:
        by_clause.setdefault(clause, []).append(int(sub))
    assert by_clause["4"] == [1, 2, 3]
    for clause, subs in by_clause.items():
        assert subs == list(range(1, len(subs) + 1)), f"clause {clause}: {subs}"
    headings = [int(n) for n in re.findall(r"^(\d+) [A-ZÆØÅ]", general, flags=re.MULTILINE)]
    assert headings == list(range(1, len(headings) + 1))
    assert "DATABEHANDLERAVTALE" in text
    assert "For Universitetssykehuset Nord-Norge HF (behandlingsansvarlig)" in text
    assert "For Helse Nord IKT HF (databehandler)" in text
    assert text.count("Dato: settes ved signering") == 2
    assert text.count("Signeres elektronisk") == 2
    assert "___" not in text  # no lines for a handwritten signature


def test_the_service_agreement_has_sanctions_and_names_its_dpa(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    terms.do_update_terms(
        personas["alice"],
        agreement,
        {"service_name": "DIPS Arena", "compensation": "Fem prosent av månedsprisen per brudd."},
        {},
    )
    text = generated_text(agreement, personas["lars"])
    assert "Sanksjoner ved brudd på tjenestenivå" in text
    assert "standardisert erstatning" in text
    assert "Fem prosent av månedsprisen per brudd." in text
    assert "skal partene ha en databehandleravtale" in text  # none is annexed yet

    annex = make_agreement(
        personas["alice"],
        orgs["UNN"],
        orgs["HNIKT"],
        kind="data_processor",
        start_flow=False,
        title="Databehandleravtale DIPS",
        parent=agreement,
    )
    Agreement.objects.filter(pk=annex.pk).update(status=Agreement.Status.ACTIVE)
    text = generated_text(agreement, personas["lars"])
    assert f"databehandleravtale {annex.reference} «Databehandleravtale DIPS»" in text
    assert "skal partene ha en databehandleravtale" not in text


def test_the_service_agreement_never_names_a_draft_dpa(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    make_agreement(
        personas["alice"],
        orgs["UNN"],
        orgs["HNIKT"],
        kind="data_processor",
        start_flow=False,
        title="Bare et utkast",
        parent=agreement,
    )
    assert "Bare et utkast" not in generated_text(agreement, personas["lars"])


@pytest.fixture
def operating(personas, orgs):
    agreement = make_agreement(
        personas["iris"], orgs["UNN"], orgs["HNIKT"], kind="operating", start_flow=False
    )
    terms.do_update_terms(
        personas["iris"],
        agreement,
        {"scope": "All drift"},
        {"appendices": [{"number": 5, "content": "Tjenestenivåene"}]},
    )
    return agreement


def upload(client, agreement, number, data=PDF, name="prisliste.pdf", content_type=None):
    return client.post(
        reverse("agreements:appendices", args=[agreement.reference]),
        {
            "number": number,
            "file": SimpleUploadedFile(name, data, content_type=content_type or "application/pdf"),
        },
        follow=True,
    )


def test_the_operating_agreement_lists_every_cited_appendix_with_its_files(operating, personas):
    client = login_as(personas["iris"])
    page = upload(client, operating, 7).content.decode()
    assert "Filen er lagt ved bilaget." in page
    assert "prisliste.pdf" in page
    stored = AppendixFile.objects.get(agreement=operating)
    assert stored.number == 7 and stored.sha256 == documents.sha256_of(PDF)
    assert AuditEvent.objects.filter(agreement=operating, message__contains="Bilag 7").exists()

    text = generated_text(operating, personas["lars"])
    cited = {int(n) for pair in re.findall(r"bilag (\d+)(?: og (\d+))?", text) for n in pair if n}
    assert cited >= {2, 3, 5, 6, 8, 9}
    for number in cited:
        assert f"Bilag {number}\n" in text, f"bilag {number} is cited but not listed"
    for number in range(1, 11):
        assert f"Bilag {number} " in text  # each appendix has its own page
    assert "Tjenestenivåene" in text
    assert (
        "Samlet pris og prisbestemmelser\nIngen særskilte bestemmelser; vedlagt: prisliste.pdf"
        in text
    )
    assert "Vedlagte dokumenter, som er en del av bilaget:\nprisliste.pdf" in text


def test_an_appendix_file_passes_the_upload_checks(operating, personas):
    client = login_as(personas["iris"])
    page = upload(client, operating, 3, data=b"MZ not a pdf", name="virus.exe").content.decode()
    assert "Bare PDF-filer kan legges ved et bilag." in page
    too_big = PDF + b"0" * (documents.MAX_SCAN_BYTES + 1)
    page = upload(client, operating, 3, data=too_big).content.decode()
    assert "Filen er for stor" in page
    upload(client, operating, 11)  # there is no bilag 11
    assert not AppendixFile.objects.exists()


def test_only_the_drafter_attaches_and_only_those_who_see_the_agreement_download(
    operating, personas
):
    upload(login_as(personas["iris"]), operating, 7)
    attached = AppendixFile.objects.get()
    reader = login_as(personas["lars"])  # Helse Nord IKT sees it, but did not draft it
    page = reader.get(reverse("agreements:appendices", args=[operating.reference]))
    assert page.status_code == 200 and 'type="file"' not in page.content.decode()
    upload(reader, operating, 5)
    assert AppendixFile.objects.count() == 1
    download = reader.get(reverse("agreements:appendix_file", args=[attached.pk]))
    assert b"".join(download.streaming_content) == PDF
    foreign = login_as(personas["bob"])  # Nordlandssykehuset is no party
    assert foreign.get(reverse("agreements:appendix_file", args=[attached.pk])).status_code == 404
    url = reverse("agreements:appendices", args=[operating.reference])
    assert foreign.get(url).status_code == 404
