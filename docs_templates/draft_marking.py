"""Mark a rendered agreement document as a draft: "UTKAST" at the top of every page.

A draft (``DocumentVersion.is_draft``) is made for reading during review and approval and must
never pass for the agreement itself, on paper or as PDF. Every section's headers (the default
one, and the first-page and even-page ones where the document uses them) get a first paragraph
in bold red capitals, so each page carries the word whatever the template's layout. The core
properties' title says it too.
"""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt, RGBColor

DRAFT_MARK = "UTKAST – ikke signert. Kun til gjennomlesing."
_RED = RGBColor(0xC0, 0x00, 0x00)


def _mark_header(header) -> None:
    header.is_linked_to_previous = False
    paragraphs = header.paragraphs
    # A new header has one empty paragraph; otherwise the mark goes above what is there.
    if len(paragraphs) == 1 and not paragraphs[0].text:
        paragraph = paragraphs[0]
    else:
        paragraph = paragraphs[0].insert_paragraph_before()
    run = paragraph.add_run(DRAFT_MARK)
    run.bold = True
    run.font.size = Pt(12)
    run.font.color.rgb = _RED


def mark_draft(docx_bytes: bytes) -> bytes:
    """Return ``docx_bytes`` with the draft mark in every header of every section."""
    document = Document(io.BytesIO(docx_bytes))
    even_pages = document.settings.odd_and_even_pages_header_footer
    for section in document.sections:
        _mark_header(section.header)
        if section.different_first_page_header_footer:
            _mark_header(section.first_page_header)
        if even_pages:
            _mark_header(section.even_page_header)
    title = document.core_properties.title or ""
    document.core_properties.title = f"UTKAST {title}".strip()
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
