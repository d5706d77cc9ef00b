"""Export of the register in the service-management tool's columns (CSV and XLSX), so an export
can be edited and imported again. Rows are read in chunks and written as they come."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import translation
from openpyxl import Workbook

from ..models import Application, ApplicationUse
from .importing import TOOL_ORGANISATIONS
from .spreadsheet import HEADERS

CHUNK = 2000
_TOOL_NAME_BY_CODE = {code: name for name, code in TOOL_ORGANISATIONS.items()}
_TOOL_LABELS = {"unn": "UNN", "nlsh": "NLSH", "hn ikt": "HN IKT", "hn rhf": "HN RHF"}
_MANAGEMENT = {"trust": "HF", "it_provider": "HN IKT"}


def export_queryset(qs: QuerySet[Application]) -> QuerySet[Application]:
    """``qs`` with what a row needs loaded alongside, in a fixed order."""
    uses = ApplicationUse.objects.select_related("organisation").order_by("organisation__name")
    return qs.select_related("supplier").prefetch_related(Prefetch("uses", queryset=uses))


def _tool_name(organisation) -> str:
    name = _TOOL_NAME_BY_CODE.get(organisation.code)
    if name is None:
        return organisation.display_name
    return _TOOL_LABELS.get(name, name.title())


def export_rows(qs: QuerySet[Application]) -> Iterator[list[str]]:
    """The header row, then one row per application in the tool's columns (Norwegian values)."""
    yield list(HEADERS)
    with translation.override("nb"):
        for app in export_queryset(qs).iterator(chunk_size=CHUNK):
            uses = list(app.uses.all())
            owner = next((u for u in uses if u.system_owner_label or u.system_owner_email), None)
            transferred = app.technical_transferred_on or app.mercantile_transferred_on
            yield [
                app.name,
                app.version,
                app.supplier.name if app.supplier else "",
                app.supplier.org_number if app.supplier else "",
                app.asset_id,
                app.get_installed_on_display() if app.installed_on else "",
                ", ".join(_tool_name(u.organisation) for u in uses),
                str(app.get_regional_display()),
                str(app.get_category_display()),
                owner.system_owner_label if owner else "",
                (
                    owner.system_owner_email
                    or (owner.system_owner.email if owner.system_owner else "")
                )
                if owner
                else "",
                _MANAGEMENT[app.technical_management],
                _MANAGEMENT[app.mercantile_management],
                transferred.strftime("%d.%m.%Y") if transferred else "",
                app.tool_agreement_number,
                app.notes,
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
