"""A draft is marked UTKAST at the top of every page, whatever headers its template has."""

import io

from docx import Document
from docx.enum.section import WD_SECTION

from docs_templates.draft_marking import DRAFT_MARK, mark_draft
from docs_templates.kinds import example_context
from docs_templates.rendering import render_docx
from tests.docs_templates.factories import shipped_template


def _document_with_sections() -> bytes:
    """Two sections; the second has its own first-page header with text, and even pages too."""
    document = Document()
    document.add_paragraph("Avtaletekst, del 1")
    document.sections[0].header.paragraphs[0].text = "Helse Nord IKT"
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].text = "Bilag 1"
    document.settings.odd_and_even_pages_header_footer = True
    document.add_paragraph("Avtaletekst, del 2")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def headers(document):
    for section in document.sections:
        yield section.header
        if section.different_first_page_header_footer:
            yield section.first_page_header
        if document.settings.odd_and_even_pages_header_footer:
            yield section.even_page_header


def test_it_marks_every_header_of_every_section_and_keeps_what_was_there():
    marked = Document(io.BytesIO(mark_draft(_document_with_sections())))
    texts = [[p.text for p in header.paragraphs] for header in headers(marked)]
    assert len(texts) == 5  # default + even for each section, first page for the second
    assert all(lines[0] == DRAFT_MARK for lines in texts)
    flat = "\n".join(line for lines in texts for line in lines)
    assert "Helse Nord IKT" in flat and "Bilag 1" in flat
    assert "Avtaletekst, del 2" in "\n".join(p.text for p in marked.paragraphs)
    assert marked.core_properties.title.startswith("UTKAST")


def test_a_shipped_template_rendered_as_draft_carries_the_mark_in_every_section():
    rendered = render_docx(shipped_template("data_processor"), example_context("data_processor"))
    marked = Document(io.BytesIO(mark_draft(rendered)))
    for header in headers(marked):
        assert "UTKAST" in header.paragraphs[0].text
        assert header.paragraphs[0].runs[0].bold
