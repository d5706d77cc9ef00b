"""The requirement-93 report: the page, its workbook and the Word letter to Helse Nord RHF."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from agreements.models import Agreement
from tests.factories import login_as

from .helpers import agreement, application, supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(orgs, personas):
    iris, today = personas["iris"], timezone.localdate()
    dips = supplier()
    covered = application(iris, "Dekket", dips, [orgs["UNN"]])
    expired = application(iris, "Utløpt", dips, [orgs["UNN"], orgs["NLSH"]])
    drafted = application(iris, "Utkast", dips, [orgs["NLSH"]])
    soon = application(iris, "Snart ute", dips, [orgs["FIN"]])
    application(iris, "Ingenting", dips, [orgs["UNN"]])
    agreement(iris, orgs["UNN"], dips, [covered], Agreement.Status.ACTIVE)
    agreement(
        iris, orgs["UNN"], dips, [expired], Agreement.Status.ACTIVE, end=today - timedelta(days=1)
    )
    agreement(iris, orgs["NLSH"], dips, [drafted], Agreement.Status.DRAFT)
    agreement(
        iris, orgs["FIN"], dips, [soon], Agreement.Status.ACTIVE, end=today + timedelta(days=30)
    )


def test_the_page_counts_per_trust_and_lists_what_is_missing(register, rhf_user):
    page = login_as(rhf_user).get(reverse("register:uncovered"))
    summary = page.context["summary"]
    assert summary.total == 3 and summary.ending_soon == 1
    per_trust = {line.organisation.code: line.total for line in summary.lines}
    assert per_trust == {"UNN": 2, "NLSH": 2}
    text = page.content.decode()
    assert "Bare utløpte avtaler" in text and "Bare utkast" in text and "Snart ute" in text


def test_a_trust_user_sees_only_their_own_applications(register, personas):
    page = login_as(personas["bob"]).get(reverse("register:uncovered"))
    assert page.context["summary"].total == 2
    assert "Ingenting" not in page.content.decode()


def test_the_workbook_lists_the_uncovered_applications(register, rhf_user):
    response = login_as(rhf_user).get(reverse("register:uncovered_xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Ingenting", "Utkast", "Utløpt"]
    assert rows[3][-1] == "Bare utløpte avtaler"


def test_the_letter_to_the_rhf_reads_back(register, rhf_user):
    response = login_as(rhf_user).get(reverse("reports:uncovered_letter"))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "For 3 av dem er det ikke identifisert gjeldende leverandøravtale" in text
    assert "5 applikasjoner registrert" in text
    cells = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert ["Utløpt", "DIPS AS", "Nordlandssykehuset, UNN", "Bare utløpte avtaler"] in cells
    assert ["Universitetssykehuset Nord-Norge HF", "2"] in cells
    assert "Rita" in text
