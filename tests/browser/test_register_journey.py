"""A service manager keeps the application register and reports on OD 93 in a real browser.

Tor (Helse Nord IKT) uploads an export of the service-management tool with two rows the import
refuses, reads the fate of every row in the preview, confirms, finds the uncovered applications
in the report, and downloads the tertial report from the requirements page.
"""

import importlib
import io
import re

import docx
import pytest
from django.apps import apps as django_apps

from agreements.models import Application
from agreements.register.spreadsheet import HEADERS
from agreements.roles import Role
from tests.factories import make_user

from .test_dpa_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = [
    ("PACS Nord", "APP-000101", "UNN", "Nødvendig"),
    ("Labsystem", "APP-000102", "NLSH", "Tillatt, ikke nødvendig"),
    ("Gammelt arkiv", "APP-000103", "Ukjentsykehuset", "Nødvendig"),
    ("Skannerverktøy", "APP-000104", "UNN", "Kanskje"),
]


def export_csv(path):
    """The tool's export as a semicolon-separated CSV, the last two rows refused on import."""
    lines = [";".join(HEADERS)]
    for name, asset, trust, category in ROWS:
        row = dict.fromkeys(HEADERS, "")
        row.update(
            {
                "Applikasjon": name,
                "Asset-ID": asset,
                "Leverandør": "Sectra AS",
                "Leverandør org.nr": "974 760 673",
                "Brukes av": trust,
                "NSM-kategori": category,
                "Installert på": "Server",
            }
        )
        lines.append(";".join(row[h] for h in HEADERS))
    path.write_text("\r\n".join(lines), encoding="utf-8")
    return path


def test_a_service_manager_imports_applications_and_reports_on_them(
    live_server, pages, orgs, tmp_path
):
    importlib.import_module("agreements.migrations.0009_requirement_followup").seed(
        django_apps, None
    )
    tor = make_user("tor", orgs["HNIKT"], Role.SERVICE_MANAGER)
    tor.set_password("pw")
    tor.save()
    base, page = live_server.url, pages()
    sign_in(page, base, tor)

    page.goto(f"{base}/applications/")
    page.get_by_role("link", name="Importer").click()
    page.set_input_files("main input[type=file]", str(export_csv(tmp_path / "eksport.csv")))
    page.get_by_role("button", name="Forhåndsvis").click()
    page.wait_for_selector("text=Forhåndsvisning av eksport.csv")
    assert page.get_by_text("2 nye, 0 oppdateres, 2 avvises").is_visible()
    for name, fate in [
        ("PACS Nord", "Ny"),
        ("Labsystem", "Ny"),
        ("Gammelt arkiv", "Avvises"),
        ("Skannerverktøy", "Avvises"),
    ]:
        assert page.locator("tr", has_text=name).locator(".badge").inner_text() == fate
    assert (
        page.locator("tr", has_text="Gammelt arkiv")
        .get_by_text("Ukjent helseforetak «Ukjentsykehuset» i Brukes av.")
        .is_visible()
    )
    assert Application.objects.count() == 0, "nothing is written before the confirm"

    page.get_by_role("button", name="Bekreft import").click()
    page.wait_for_selector(".messages .success")
    assert "Importert: 2 nye, 0 oppdatert, 2 avvist." in page.inner_text(".messages")
    assert set(Application.objects.values_list("name", flat=True)) == {"PACS Nord", "Labsystem"}

    page.goto(f"{base}/reports/uncovered/")
    listed = page.locator("main table").nth(1).inner_text()
    assert "PACS Nord" in listed and "Labsystem" in listed and "Gammelt arkiv" not in listed

    page.goto(f"{base}/requirements/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned tertialrapport (Word)").click()
    report = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in report.paragraphs)
    assert re.search(r"Tertialrapport .*2022", text)
    for number in (88, 89, 92, 93):
        assert f"\n{number} " in text
