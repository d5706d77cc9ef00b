"""The service-management tool's export format: its columns, and reading a CSV or XLSX file of
it into rows of text. The importer validates the rows; the exporter writes the same columns, so
an export can be edited and imported again."""

import csv
import io
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import load_workbook

# The columns in the tool's order, with the headers it writes.
COLUMNS = (
    ("name", "Applikasjon"),
    ("version", "Versjon"),
    ("supplier", "Leverandør"),
    ("supplier_org_number", "Leverandør org.nr"),
    ("asset_id", "Asset-ID"),
    ("installed_on", "Installert på"),
    ("used_by", "Brukes av"),
    ("regional", "Regionalt system"),
    ("category", "NSM-kategori"),
    ("system_owner", "Systemeier"),
    ("system_owner_email", "Systemeier e-post"),
    ("technical_management", "Teknisk forvaltning"),
    ("mercantile_management", "Merkantil forvaltning"),
    ("transferred_on", "Overført dato"),
    ("tool_agreement_number", "Avtalenummer"),
    ("notes", "Merknad"),
)
HEADERS = tuple(header for _, header in COLUMNS)
_KEY_BY_HEADER = {header.casefold(): key for key, header in COLUMNS}

# A file of more rows than this is refused whole: the tool's export has a few hundred.
MAX_ROWS = 20_000


class UnreadableFile(Exception):
    """The upload is not a CSV or XLSX file in the tool's format; the message says why."""


def read_rows(name: str, data: bytes) -> list[dict[str, str]]:
    """The data rows of the file as dicts keyed by column (``COLUMNS``), values as stripped text.

    Dates from Excel cells come back as ``yyyy-mm-dd``. Blank rows are dropped, and each row
    carries its line number in the file as ``"line"``. Raises ``UnreadableFile``.
    """
    table = _xlsx_table(data) if name.lower().endswith(".xlsx") else _csv_table(data)
    header, *body = table or [[]]
    keys = [_KEY_BY_HEADER.get(" ".join(str(h or "").split()).casefold()) for h in header]
    if "name" not in keys:
        raise UnreadableFile(_("Fant ikke kolonnen «Applikasjon» i første rad."))
    if len(body) > MAX_ROWS:
        raise UnreadableFile(_("Filen har mer enn %(rows)s rader.") % {"rows": MAX_ROWS})
    rows = []
    for number, values in enumerate(body, start=2):
        row = {key: "" for key, _ in COLUMNS}
        for key, value in zip(keys, values, strict=False):
            if key:
                row[key] = _text(value)
        if any(row.values()):
            rows.append({"line": str(number), **row})
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV (semikolonseparert)" in Windows-1252.
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise UnreadableFile(_("Filen er ikke en tekstfil (CSV)."))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _xlsx_table(data: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        # openpyxl raises many kinds of errors for damaged or foreign files.
        raise UnreadableFile(_("Filen kunne ikke leses som et Excel-ark (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()
