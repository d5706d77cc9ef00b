import hashlib
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from agreements.models import Agreement
from docs_templates.kinds import example_context
from docs_templates.rendering import (
    TemplateRejected,
    _render_in_child,
    compiled_parts,
    format_date,
    format_percent,
    make_environment,
    render_docx,
)
from tests.docs_templates.factories import (
    body_text,
    data_rows,
    make_docx,
    open_docx,
    shipped_template,
    table_with_header,
)


def render_shipped(kind, **overrides):
    context = example_context(kind)
    context.update(overrides)
    return open_docx(render_docx(shipped_template(kind), context)), context


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_it_renders_reference_and_both_parties(kind):
    document, context = render_shipped(kind)
    text = body_text(document)
    assert context["reference"] in text
    assert context["customer"]["name"] in text
    assert context["customer"]["org_number"] in text
    assert context["provider"]["name"] in text
    assert context["provider"]["org_number"] in text
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_it_lists_each_application_in_its_own_row(kind):
    document, context = render_shipped(kind)
    rows = data_rows(table_with_header(document, "Applikasjon"))
    assert rows == [[a["name"], a["version"], a["supplier"]] for a in context["applications"]]


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_it_puts_reference_and_page_fields_in_the_footer(kind):
    document, context = render_shipped(kind)
    footer = document.sections[0].footer
    assert context["reference"] in footer.paragraphs[0].text
    instructions = [el.text for el in footer._element.iter() if el.tag.endswith("}instrText")]
    assert any("PAGE" in i and "NUMPAGES" not in i for i in instructions)
    assert any("NUMPAGES" in i for i in instructions)
    assert "Side" in footer.paragraphs[0].text


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_it_adds_a_signature_block_per_signatory(kind):
    document, context = render_shipped(kind)
    text = body_text(document)
    for signatory in context["signatories"]:
        assert f"For {signatory['party']}" in text
        assert signatory["name"] in text
    assert text.count("Signert elektronisk") == len(context["signatories"])


def test_it_puts_each_sub_processor_in_a_row_of_the_sub_processor_table():
    document, context = render_shipped("data_processor")
    rows = data_rows(table_with_header(document, "Navn"))
    assert [row[0] for row in rows] == [sp["name"] for sp in context["sub_processors"]]
    first = context["sub_processors"][0]
    assert rows[0] == [
        first["name"],
        first["org_number"],
        first["country"],
        first["service"],
        first["authorisation"],
    ]


def test_it_says_so_when_there_are_no_sub_processors():
    document, _ = render_shipped("data_processor", sub_processors=[])
    rows = data_rows(table_with_header(document, "Navn"))
    assert rows[0][0] == "Databehandler bruker ingen underdatabehandlere."
    assert len(rows) == 1


def test_it_states_breach_deadline_and_health_data_flags():
    document, context = render_shipped("data_processor")
    text = body_text(document)
    assert f"senest innen {context['dpa']['breach_notification_hours']} timer" in text
    assert "Helseopplysninger (art. 9)\nJa" in text
    assert "8 Avvik og brudd på personopplysningssikkerheten" in text


def test_it_puts_each_service_level_in_a_row():
    document, context = render_shipped("service")
    rows = data_rows(table_with_header(document, "Klasse"))
    assert rows == [
        [lvl["incident_class"], lvl["description"], lvl["response_time"], lvl["resolution_time"]]
        for lvl in context["service_levels"]
    ]
    assert "Avtalt tilgjengelighet er 99,5\u00a0%" in body_text(document)


@pytest.mark.parametrize("kind", ["operating", "main_operating"])
def test_it_lists_child_agreements_and_appendices_of_an_operating_agreement(kind):
    document, context = render_shipped(kind)
    rows = data_rows(table_with_header(document, "Referanse"))
    assert [row[0] for row in rows] == [c["reference"] for c in context["child_agreements"]]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    for appendix in context["appendices"]:
        assert f"Bilag {appendix['number']} {appendix['title']}" in headings
    assert context["kind_label"].upper() in body_text(document)


def test_it_formats_dates_norwegian_style():
    document, _ = render_shipped("service", start_date=date(2022, 10, 1))
    assert "Avtalen gjelder fra 01.10.2022 til og med 30.09.2025." in body_text(document)


def test_it_shows_aware_datetimes_in_oslo_time():
    assert format_date(datetime(2022, 9, 30, 22, 30, tzinfo=UTC)) == "01.10.2022"
    assert format_date(None) == ""
    assert format_date("2022-12-01") == "01.12.2022"


def test_it_formats_percentages_with_a_decimal_comma():
    assert format_percent(Decimal("99.50")) == "99,5\u00a0%"
    assert format_percent(100) == "100\u00a0%"


def test_it_keeps_markup_in_values_as_literal_text():
    hostile = '<b>&"x"</b></w:t></w:r></w:p><w:p><w:r><w:t>injected'
    template = make_docx("Kunde: {{ customer.name }}", footer="{{ reference }}")
    data = render_docx(template, {"customer": {"name": hostile}, "reference": "A & B <c>"})
    document = open_docx(data)
    assert document.paragraphs[0].text == f"Kunde: {hostile}"
    assert len(document.paragraphs) == 1
    assert document.sections[0].footer.paragraphs[0].text == "A & B <c>"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        etree.fromstring(archive.read("word/document.xml"))  # well-formed


def test_it_escapes_markup_inside_table_rows():
    template = make_docx(
        table=[["{%tr for sp in sub_processors %}"], ["{{ sp.name }}"], ["{%tr endfor %}"]]
    )
    data = render_docx(template, {"sub_processors": [{"name": "<w:tr>&amp;"}]})
    assert data_rows(open_docx(data).tables[0]) == []  # the single row is the "header"
    assert open_docx(data).tables[0].rows[0].cells[0].text == "<w:tr>&amp;"


def test_it_drops_characters_that_xml_cannot_hold():
    template = make_docx("{{ title }}")
    data = render_docx(template, {"title": "A\x00B\x0bC\x07D\ufffeE"})
    assert open_docx(data).paragraphs[0].text == "ABCDE"


def test_it_turns_newlines_into_line_breaks():
    data = render_docx(make_docx("{{ title }}"), {"title": "første\nandre"})
    assert open_docx(data).paragraphs[0].text == "første\nandre"


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=60
)
_ONE_PARAGRAPH = make_docx("[{{ title }}]")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_TEXT)
def test_it_renders_any_printable_text_literally(value):
    data = render_docx(_ONE_PARAGRAPH, {"title": value})
    assert open_docx(data).paragraphs[0].text == f"[{value}]"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "intern egenskap"),
        ("{{ cycler.__init__.__globals__ }}", "intern egenskap («__init__»)"),
        ("{% for x in ().__class__.__base__.__subclasses__() %}{% endfor %}", "intern egenskap"),
        ("{{ self._TemplateReference__context }}", "intern egenskap"),
        ("{{ config }}", "Ukjent variabel «config»"),
        ("{{ request }}", "Ukjent variabel «request»"),
        ("{% include '/etc/passwd' %}", "hente inn andre maler eller filer"),
        ("{% import 'os' as os %}", "hente inn andre maler eller filer"),
        ("{{ reference|safe }}", "ukjent filter «safe»"),
        ("{{ 'x' * 100000000 }}", "for lang tekst"),
        ("{{ 9 ** 9 ** 9 }}", "potensregning"),
        ("{{ applications.append(1) }}", "endre data med «append»"),
    ],
)
def test_it_neutralises_injection_payloads_at_render(payload, message):
    template = make_docx(payload)
    with pytest.raises(TemplateRejected) as raised:
        render_docx(template, {"reference": "X", "applications": []})
    assert any(message in error for error in raised.value.errors), raised.value.errors


def test_it_refuses_a_misspelt_variable_instead_of_printing_nothing():
    with pytest.raises(TemplateRejected) as raised:
        render_docx(make_docx("{{ refrence }}"), {"reference": "X"})
    assert raised.value.errors == ["Ukjent variabel «refrence» i malen."]


def test_it_uses_an_environment_without_globals_or_raw_output_filters():
    env = make_environment()
    assert env.globals == {}
    assert "safe" not in env.filters and "urlize" not in env.filters
    assert env.autoescape is True


def test_it_renders_the_other_branches_of_the_data_processor_agreement():
    context = example_context("data_processor")
    context["dpa"].update(
        sub_processor_authorisation="specific",
        end_of_processing="delete",
        third_country_transfer=True,
        transfer_countries=["USA", "India"],
    )
    context.update(end_date=date(2025, 12, 31), parent=None)
    text = body_text(open_docx(render_docx(shipped_template("data_processor"), context)))
    assert "spesifikk skriftlig forhåndstillatelse fra behandlingsansvarlig" in text
    assert "skal databehandler slette alle personopplysninger" in text
    assert "til og med 31.12.2025" in text
    assert "USA, India" in text
    assert "Avtalen hører til" not in text


class SourcesAsked(dict):
    """Precompiled code that notes every source the rendering looks up and did not find."""

    def __init__(self, compiled):
        super().__init__(compiled)
        self.missing = []

    def get(self, source, default=None):
        if source not in self:
            self.missing.append(source)
        return super().get(source, default)


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_it_compiles_every_part_of_a_template_once_before_rendering(kind):
    """The rendering child looks up every source docxtpl compiles, and finds it."""
    template = shipped_template(kind)
    precompiled = SourcesAsked(compiled_parts(hashlib.sha256(template).digest(), template))

    with_code = _render_in_child(template, example_context(kind), precompiled)

    assert precompiled.missing == []
    # The same document: every part alike (the zip's own timestamps may cross a second).
    assert _parts(with_code) == _parts(_render_in_child(template, example_context(kind), {}))


def _parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_it_still_reports_a_broken_tag_that_could_not_be_compiled_ahead():
    template = make_docx("Avtale {{ reference ", footer="{{ reference }}")

    compiled = compiled_parts(hashlib.sha256(template).digest(), template)

    assert [source for source in compiled if "Avtale" in source] == []  # the body failed
    assert [source for source in compiled if "{{ reference }}" in source]  # the footer did not
    with pytest.raises(TemplateRejected) as rejected:
        render_docx(template, {"reference": "HN-1"})
    assert "Feil i malsyntaks" in rejected.value.errors[0]
