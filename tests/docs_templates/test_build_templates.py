import re

import pytest

from agreements.models import Agreement
from docs_templates.kinds import DOCUMENT_KINDS, document_kind
from docs_templates.validation import validate_template
from scripts.build_templates import BUILDERS, build_all
from tests.docs_templates.factories import open_docx, shipped_template

NUMBERED_HEADING = re.compile(r"^(\d+|Bilag \d+|Bilag \{\{ a\.number \}\}) \S")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    directory = tmp_path_factory.mktemp("templates")
    return {path.name: path.read_bytes() for path in build_all(directory)}


def test_it_builds_one_template_per_file_name(built):
    assert set(built) == set(BUILDERS) == {entry.template_file for entry in DOCUMENT_KINDS.values()}


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_it_builds_templates_that_validate(built, kind):
    assert validate_template(built[document_kind(kind).template_file], kind) == []


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_it_ships_the_templates_the_script_builds(kind):
    """The committed file has the same text as a fresh build, unless a jurist edited it."""
    shipped = open_docx(shipped_template(kind))
    fresh = BUILDERS[document_kind(kind).template_file]().doc
    assert [p.text for p in shipped.paragraphs] == [p.text for p in fresh.paragraphs]


def test_it_numbers_the_clauses_of_the_data_processor_agreement(built):
    document = open_docx(built["databehandleravtale.docx"])
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    for expected in (
        "1 Formål og virkeområde",
        "2 Definisjoner",
        "3 Behandlingsansvarliges plikter",
        "4 Databehandlers plikter",
        "5 Underdatabehandlere",
        "6 Overføring til tredjeland",
        "7 Sikkerhet",
        "8 Avvik og brudd på personopplysningssikkerheten",
        "9 Varighet og opphør",
        "10 Sletting og tilbakelevering",
        "11 Revisjon",
        "12 Forrang",
        "13 Lovvalg og verneting",
        "Bilag 1 Beskrivelse av behandlingen",
        "Bilag 2 Sikkerhetstiltak",
        "Bilag 3 Underdatabehandlere",
        "Bilag 4 Behandlingssteder og overføringer",
    ):
        assert expected in headings
    lettered = [p.text[:2] for p in document.paragraphs if re.match(r"^[a-h]\)\t", p.text)]
    assert lettered == ["a)", "b)", "c)", "d)", "e)", "f)", "g)", "h)"]


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_it_uses_numbered_word_headings(built, name):
    document = open_docx(built[name])
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings
    unnumbered = [h for h in headings if not NUMBERED_HEADING.match(h)]
    assert unnumbered in ([], ["Avtalens parter"])


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_it_uses_a_row_loop_for_the_applications_table(built, name):
    document = open_docx(built[name])
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Applikasjon")
    assert table.rows[1].cells[0].text == "{%tr for app in applications %}"
    assert table.rows[2].cells[0].text == "{{ app.name }}"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_it_writes_page_fields_and_the_reference_in_the_footer(built, name):
    footer = open_docx(built[name]).sections[0].footer
    xml = footer._element.xml
    assert 'w:fldCharType="begin"' in xml and " PAGE " in xml and " NUMPAGES " in xml
    assert footer.paragraphs[0].text.startswith("{{ reference }}")
