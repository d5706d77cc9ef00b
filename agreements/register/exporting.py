"""Export of the register in the service-management tool's columns (CSV and XLSX), so an export
can be edited and imported again. Rows are read in chunks and written as they come."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from openpyxl import Workbook

from ..models import Application, ApplicationUse
from .importing import TOOL_ORGANISATIONS
from .spreadsheet import HEADERS

CHUNK = 2000
_TOOL_NAME_BY_CODE = {code: name for name, code in TOOL_ORGANISATIONS.items()}
_TOOL_LABELS = {"unn": "UNN", "nlsh": "NLSH", "hn ikt": "HN IKT", "hn rhf": "HN RHF"}
_MANAGEMENT = {"trust": "HF", "it_provider": "HN IKT"}


_APP_COLUMNS = (
    "pk",
    "name",
    "version",
    "supplier__name",
    "supplier__org_number",
    "asset_id",
    "installed_on",
    "regional",
    "category",
    "technical_management",
    "mercantile_management",
    "technical_transferred_on",
    "mercantile_transferred_on",
    "tool_agreement_number",
    "notes",
)


def export_queryset(qs: QuerySet[Application]) -> QuerySet:
    """The applications of ``qs`` as tuples of ``_APP_COLUMNS``, in name order.

    Only ``qs``'s filter is kept: its annotations (coverage) are computed where a filter needs
    them, not for every exported row. Tuples, not model instances: 10,000 rows in a few seconds.
    """
    return (
        Application.objects.filter(pk__in=qs.values("pk"))
        .order_by("name", "pk")
        .values_list(*_APP_COLUMNS)
    )


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _tool_name(code: str, display_name: str) -> str:
    name = _TOOL_NAME_BY_CODE.get(code)
    if name is None:
        return display_name
    return _TOOL_LABELS.get(name, name.title())


def _uses_of(ids: list[int]) -> dict[int, list[tuple]]:
    """(tool name, owner name, owner email) per using organisation, per application id."""
    rows = (
        ApplicationUse.objects.filter(application_id__in=ids)
        .order_by("organisation__name")
        .values_list(
            "application_id",
            "organisation__code",
            Coalesce(NullIf("organisation__short_name", Value("")), "organisation__name"),
            "system_owner_name",
            "system_owner_email",
            "system_owner__first_name",
            "system_owner__last_name",
            "system_owner__email",
        )
    )
    uses: dict[int, list[tuple]] = {}
    for app_id, code, display, name, email, first, last, user_email in rows:
        owner = " ".join(filter(None, (first, last))) or name
        uses.setdefault(app_id, []).append(
            (_tool_name(code, display), owner, email or user_email or "")
        )
    return uses


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export_rows(qs: QuerySet[Application]) -> Iterator[list[str]]:
    """The header row, then one row per application in the tool's columns (Norwegian values)."""
    yield list(HEADERS)
    with translation.override("nb"):
        installed = _labels(Application.InstalledOn.choices)
        regional = _labels(Application.Regional.choices)
        category = _labels(Application.Category.choices)
    for chunk in _chunks(export_queryset(qs).iterator(chunk_size=CHUNK), CHUNK):
        uses = _uses_of([row[0] for row in chunk])
        for (
            pk,
            name,
            version,
            supplier,
            org_number,
            asset_id,
            installed_on,
            reg,
            cat,
            technical,
            mercantile,
            technical_on,
            mercantile_on,
            agreement_number,
            notes,
        ) in chunk:
            app_uses = uses.get(pk, [])
            owner = next((u for u in app_uses if u[1] or u[2]), ("", "", ""))
            transferred = technical_on or mercantile_on
            yield [
                name,
                version,
                supplier or "",
                org_number or "",
                asset_id,
                installed.get(installed_on, ""),
                ", ".join(u[0] for u in app_uses),
                regional[reg],
                category[cat],
                owner[1],
                owner[2],
                _MANAGEMENT[technical],
                _MANAGEMENT[mercantile],
                transferred.strftime("%d.%m.%Y") if transferred else "",
                agreement_number,
                notes,
            ]


class _Echo:
    def write(self, value):
        return value


def csv_chunks(rows: Iterable[list[str]]) -> Iterator[str]:
    """Semicolon-separated lines, with a byte-order mark first so Excel reads UTF-8."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(rows: Iterable[list], title: str = "Applikasjoner") -> bytes:
    """A one-sheet workbook of ``rows`` (written in openpyxl's streaming mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
