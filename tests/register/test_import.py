"""Import of the service-management tool's export: preview per row, nothing written before the
confirm, refused rows never written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from agreements.models import Application, ApplicationUse, Organisation
from agreements.register.spreadsheet import HEADERS
from tests.factories import login_as

from .helpers import application, supplier

pytestmark = pytest.mark.django_db


def row(name, asset, **values):
    base = dict.fromkeys(HEADERS, "")
    base.update(
        {
            "Applikasjon": name,
            "Asset-ID": asset,
            "Leverandør": "DIPS AS",
            "Leverandør org.nr": "974 760 673",
            "Brukes av": "UNN",
            "NSM-kategori": "Nødvendig",
            "Installert på": "Server",
        }
    )
    base.update(values)
    return [base[h] for h in HEADERS]


def csv_file(rows, encoding="utf-8"):
    lines = [";".join(HEADERS)] + [";".join(r) for r in rows]
    return SimpleUploadedFile("eksport.csv", "\r\n".join(lines).encode(encoding))


def xlsx_file(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    for r in rows:
        sheet.append(r)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("eksport.xlsx", output.getvalue())


@pytest.fixture
def iris_client(personas):
    supplier()
    return login_as(personas["iris"])


BAD_ROWS = [
    row("God", "APP-000001", **{"Brukes av": "UNN, Helgelandssykehuset"}),
    row("Ukjent HF", "APP-000002", **{"Brukes av": "UNN, Sykehuset Innlandet"}),
    row("Feil orgnr", "APP-000003", **{"Leverandør": "Ny AS", "Leverandør org.nr": "123456789"}),
    row("Ukjent kategori", "APP-000004", **{"NSM-kategori": "Kanskje"}),
    row("Dobbel A", "APP-000005"),
    row("Dobbel B", "APP-000005"),
    row(
        "Ny leverandør",
        "APP-000006",
        **{"Leverandør": "Visma AS", "Leverandør org.nr": "910000004"},
    ),
]


def test_the_preview_says_each_rows_fate_and_writes_nothing(iris_client):
    page = iris_client.post(reverse("register:import"), {"file": csv_file(BAD_ROWS, "cp1252")})
    text = page.content.decode()
    assert "Ukjent helseforetak «Sykehuset Innlandet»" in text
    assert "«123456789» er ugyldig" in text
    assert "Ukjent verdi «Kanskje» i NSM-kategori" in text
    assert text.count("APP-000005 står flere ganger i filen") == 2
    assert "Ny leverandør opprettes: Visma AS (910000004)" in text
    assert Application.objects.count() == 0
    assert not Organisation.objects.filter(name="Visma AS").exists()


def test_the_confirm_writes_the_good_rows_only(iris_client, orgs):
    preview = iris_client.post(reverse("register:import"), {"file": csv_file(BAD_ROWS)})
    token = preview.context["token"]
    iris_client.post(reverse("register:import_confirm"), {"token": token})
    assert set(Application.objects.values_list("name", flat=True)) == {"God", "Ny leverandør"}
    good = Application.objects.get(name="God")
    assert set(good.used_by.values_list("code", flat=True)) == {"UNN", "HSYK"}
    assert good.supplier.name == "DIPS AS" and good.category == "needed"
    assert Application.objects.get(name="Ny leverandør").supplier.org_number == "910000004"
    # The token is spent: a second confirm writes nothing more.
    again = iris_client.post(reverse("register:import_confirm"), {"token": token})
    assert again.status_code == 302 and Application.objects.count() == 2


def test_it_updates_by_asset_id_and_matches_suppliers_by_name(iris_client, personas, orgs):
    existing = application(
        personas["iris"], "Gammelt navn", None, [orgs["NLSH"]], asset_id="APP-000123"
    )
    rows = [
        row(
            "Nytt navn",
            "app-000123",
            **{
                "Leverandør": "Dips ASA ",
                "Leverandør org.nr": "",
                "Overført dato": "01.03.2022",
                "Teknisk forvaltning": "HN IKT",
            },
        )
    ]
    preview = iris_client.post(reverse("register:import"), {"file": csv_file(rows)})
    assert [p.action for p in preview.context["plans"]] == ["update"]
    iris_client.post(reverse("register:import_confirm"), {"token": preview.context["token"]})
    existing.refresh_from_db()
    assert existing.name == "Nytt navn" and existing.supplier.name == "DIPS AS"
    assert str(existing.technical_transferred_on) == "2022-03-01"
    assert list(existing.used_by.values_list("code", flat=True)) == ["UNN"]
    assert existing.history.count() == 2


def test_a_generated_256_row_workbook_imports_whole(iris_client):
    trusts = [
        "UNN",
        "NLSH",
        "Helgelandssykehuset",
        "Finnmarkssykehuset",
        "Sykehusapotek Nord",
        "HN IKT",
        "HN RHF",
    ]
    categories = ["Nødvendig", "Tillatt, ikke nødvendig", "Uønsket", "Ikke kategorisert"]
    rows = [
        row(
            f"App {i:03d}",
            f"APP-{i:06d}",
            **{
                "Brukes av": ", ".join(trusts[: 1 + i % 7]),
                "NSM-kategori": categories[i % 4],
                "Systemeier": f"Eier {i}",
                "Systemeier e-post": f"eier{i}@hf.example",
            },
        )
        for i in range(256)
    ]
    preview = iris_client.post(reverse("register:import"), {"file": xlsx_file(rows)})
    assert preview.context["counts"]["create"] == 256
    iris_client.post(reverse("register:import_confirm"), {"token": preview.context["token"]})
    assert Application.objects.count() == 256
    assert ApplicationUse.objects.count() == sum(1 + i % 7 for i in range(256))
    assert Application.objects.filter(category="unwanted").count() == 64
    # What was imported exports again in the same columns.
    exported = iris_client.get(reverse("register:export_xlsx"))
    sheet = load_workbook(io.BytesIO(exported.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert tuple(values[0]) == HEADERS and len(values) == 257
    assert values[1][0] == "App 000" and values[1][9] == "Eier 0"


def test_a_trust_user_cannot_import(personas):
    client = login_as(personas["alice"])
    assert client.get(reverse("register:import")).status_code == 404


def test_an_unreadable_file_is_refused_with_a_message(iris_client):
    bad = SimpleUploadedFile("eksport.xlsx", b"not a workbook")
    page = iris_client.post(reverse("register:import"), {"file": bad})
    assert "kunne ikke leses som et Excel-ark" in page.content.decode()
