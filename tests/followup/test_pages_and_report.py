"""Pages per persona, reporting-text versions, risk levels, the tertial report read back."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from agreements.followup.requirements import do_save_risk_assessment, do_write_reporting_text
from agreements.models import ReportingText, RiskAssessment
from tests.factories import login_as

from .conftest import set_status, tagged_agreement

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture
def risk(followers, orgs, requirements):
    return do_save_risk_assessment(
        followers["ada"],
        RiskAssessment(
            requirement=requirements[88],
            organisation=orgs["NLSH"],
            title="Avtaler blir forsinket",
            assessed_on=date(2022, 5, 2),
            probability=3,
            consequence=5,
            board_date=date(2022, 6, 1),
            board_case_number="17/2022",
        ),
        [
            {
                "description": "Faste møter",
                "owner": "Tor",
                "due_date": date(2022, 9, 1),
                "status": "in_progress",
            }
        ],
    )


@pytest.mark.parametrize(
    ("probability", "consequence", "level"),
    [
        (1, 1, "low"),
        (2, 2, "low"),
        (1, 5, "medium"),
        (3, 4, "medium"),
        (3, 5, "high"),
        (5, 5, "high"),
    ],
)
def test_it_computes_the_risk_level_from_probability_and_consequence(
    probability, consequence, level
):
    assessment = RiskAssessment(probability=probability, consequence=consequence)
    assert assessment.risk == probability * consequence
    assert assessment.level == level


def test_it_keeps_every_version_of_a_reporting_text(followers, requirements):
    req = requirements[89]
    client = login_as(followers["tor"])
    url = reverse("followup:write_text", args=[req.pk])
    client.post(url, {"period": 2, "text": "Første utkast"})
    client.post(url, {"period": 2, "text": "Endelig tekst"})
    assert list(ReportingText.objects.filter(requirement=req).values_list("text", flat=True)) == [
        "Endelig tekst",
        "Første utkast",
    ]
    page = client.get(reverse("followup:detail", args=[req.pk])).content.decode()
    assert page.index("Endelig tekst") < page.index("Første utkast")
    assert "Tor" in page
    listing = client.get(reverse("followup:list") + "?year=2022&period=2").content.decode()
    assert "Endelig tekst" in listing and "Første utkast" not in listing


def test_only_a_person_in_helse_nord_ikt_can_be_made_responsible(followers, requirements):
    """Being responsible lets a person write the requirement's reporting texts; the assignment
    is Helse Nord IKT's, so a trust's user is refused and nothing changes."""
    req = requirements[89]
    client = login_as(followers["tor"])
    url = reverse("followup:update_status", args=[req.pk])
    page = client.get(reverse("followup:detail", args=[req.pk])).content.decode()
    select = page[page.index('name="responsible"') :]
    select = select[: select.index("</select>")]
    assert str(followers["iris"]) in select and str(followers["tor"]) in select
    assert str(followers["alice"]) not in select
    data = {"status": "at_risk", "responsible": followers["alice"].pk}
    refused = client.post(url, data, follow=True).content.decode()
    assert "Ikke lagret" in refused and "Velg et gyldig valg" in refused
    req.refresh_from_db()
    assert (req.status, req.responsible) == ("on_track", None)
    client.post(url, {"status": "at_risk", "responsible": followers["iris"].pk})
    req.refresh_from_db()
    assert (req.status, req.responsible) == ("at_risk", followers["iris"])


def test_visibility_per_persona(followers, rhf_user, requirements, risk):
    req = requirements[88]
    detail = reverse("followup:detail", args=[req.pk])
    rhf = login_as(rhf_user)
    assert "Oppdaterte avtaler" in rhf.get(detail).content.decode()
    assert (
        rhf.post(
            reverse("followup:write_text", args=[req.pk]), {"period": 1, "text": "x"}
        ).status_code
        == 403
    )
    assert "Avtaler blir forsinket" in rhf.get(reverse("followup:risks")).content.decode()
    start = rhf.get("/").content.decode()
    assert "Oversikt" in start and "Oppdaterte avtaler" in start
    alice = login_as(followers["alice"])  # UNN contract owner: inbox first, no requirements
    assert alice.get(detail).status_code == 404
    assert alice.get(reverse("followup:risk", args=[risk.pk])).status_code == 404
    assert "Avtaler blir forsinket" not in alice.get(reverse("followup:risks")).content.decode()
    assert "Oversikt" not in alice.get("/").content.decode()
    ulla = login_as(followers["ulla"])  # UNN approver: the overview, without requirement cards
    start = ulla.get("/").content.decode()
    assert "Avtaler per status og foretak" in start and "Oppdaterte avtaler" not in start
    nils = login_as(followers["nils"])  # NLSH approver sees and edits his trust's assessment
    assert nils.get(reverse("followup:risk_edit", args=[risk.pk])).status_code == 200
    assert ReportingText.objects.count() == 0


def test_it_shows_the_risk_matrix_as_inline_svg(followers, risk):
    page = login_as(followers["tor"]).get(reverse("followup:risks")).content.decode()
    assert '<svg class="risk-matrix"' in page and "<script" not in page.split("<main ")[1]
    assert "15 · Høy" in page


def test_the_tertial_report_reads_back_with_figures_and_appendix(
    followers, orgs, requirements, risk, tmp_path
):
    req = requirements[88]
    service = tagged_agreement(
        followers["alice"], orgs["UNN"], orgs["HNIKT"], req, "service", "2022-03-01"
    )
    tagged_agreement(
        followers["alice"], orgs["UNN"], orgs["HNIKT"], req, "data_processor", "2022-03-01"
    )
    set_status(service, "active", "2022-07-01")
    set_status(service, "ended", "2022-10-01")
    do_write_reporting_text(followers["tor"], req, 2, "Revisjonen er godt i gang.")
    out = tmp_path / "rapport.docx"

    call_command("tertial_report", "2022", "2", "--out", str(out))

    text = docx_text(out.read_bytes())
    for number in range(84, 94):
        assert f"\n{number} " in text
    assert "Alle tertialrapporter og årlig melding" in text
    assert "Rapporteringstekst: Revisjonen er godt i gang." in text
    assert "Avtaler i kraft per 31.08.2022:" in text
    assert "Tjenesteavtale: 1 av 1 (100 %)" in text
    assert "Databehandleravtale: 0 av 1 (0 %)" in text
    assert "Vedlegg: Risikovurderinger" in text
    assert "Avtaler blir forsinket – Nordlandssykehuset HF" in text
    assert "risiko 15 (Høy)" in text and "sak 17/2022" in text
    assert "Tiltak: Faste møter – ansvarlig Tor, frist 01.09.2022, Pågår" in text


def test_the_report_downloads_from_the_requirements_page_for_followers_only(
    followers, requirements
):
    url = reverse("tertial_report") + "?year=2022&period=1"
    response = login_as(followers["tor"]).get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Tertialrapport 1. tertial 2022" in docx_text(response.content)
    assert login_as(followers["alice"]).get(url).status_code == 404
