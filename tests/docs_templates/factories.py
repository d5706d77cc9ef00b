"""Small builders for .docx files used as (often hostile) templates in the tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document

from docs_templates.kinds import document_kind

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "docs_templates" / "templates"


def shipped_template(kind: str) -> bytes:
    return (TEMPLATES_DIR / document_kind(kind).template_file).read_bytes()


def make_docx(
    *paragraphs: str, footer: str | None = None, table: list[list[str]] | None = None
) -> bytes:
    """A .docx with one paragraph per argument, an optional footer and an optional table."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]))
        for values in table:
            cells = grid.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
    if footer is not None:
        document.sections[0].footer.paragraphs[0].text = footer
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def rezip(
    data: bytes,
    *,
    drop: tuple[str, ...] = (),
    add: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
) -> bytes:
    """Copy a .docx zip, leaving out ``drop``, swapping in ``replace`` and adding ``add``."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = (replace or {}).get(info.filename, source.read(info))
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return output.getvalue()


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def body_text(document) -> str:
    """All paragraph and table text of the body, one line per paragraph or cell."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def table_with_header(document, first_header: str):
    """The first table whose header row starts with ``first_header``; fails if none."""
    for table in document.tables:
        if table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"no table with header {first_header!r}")


def data_rows(table) -> list[list[str]]:
    """The rows after the header row, as lists of cell text."""
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]
