import io
import zipfile

import pytest

from agreements.models import Agreement
from docs_templates.package import MAX_TEMPLATE_BYTES
from docs_templates.validation import TemplateRejected, check_template, validate_template
from tests.docs_templates.factories import make_docx, rezip, shipped_template


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_it_accepts_every_shipped_template(kind):
    assert validate_template(shipped_template(kind), kind) == []


def test_it_accepts_a_plain_document_without_tags():
    assert validate_template(make_docx("Ingen variabler her."), "other") == []


def test_it_rejects_an_unknown_kind():
    assert validate_template(make_docx("x"), "lease") == ["Ukjent avtaletype «lease»."]


def test_it_names_unknown_variables():
    template = make_docx("{{ reference }} {{ foo }}", footer="{{ bar.baz }}")
    assert validate_template(template, "service") == [
        "Ukjent variabel «foo» i malen.",
        "Ukjent variabel «bar» i malen.",
    ]


def test_it_rejects_variables_of_another_kind():
    template = make_docx("{{ dpa.breach_notification_hours }}")
    assert validate_template(template, "service") == ["Ukjent variabel «dpa» i malen."]
    assert validate_template(template, "data_processor") == []


def test_it_names_unknown_fields_of_known_variables():
    template = make_docx(
        "{{ customer.nmae }}",
        "{% if dpa.third_country_transfer %}{{ dpa.transfer_contries }}{% endif %}",
    )
    assert validate_template(template, "data_processor") == [
        "Ukjent felt «customer.nmae» i malen.",
        "Ukjent felt «dpa.transfer_contries» i malen.",
    ]


def test_it_checks_fields_of_loop_variables_in_table_rows():
    template = make_docx(
        table=[
            ["{%tr for sp in sub_processors %}"],
            ["{{ sp.name }} {{ sp.contry }}"],
            ["{%tr endfor %}"],
        ]
    )
    assert validate_template(template, "data_processor") == ["Ukjent felt «sp.contry» i malen."]


def test_it_explains_an_unclosed_if_block():
    errors = validate_template(make_docx("Start", "{% if reference %}", "Tekst"), "other")
    assert len(errors) == 1
    assert errors[0].startswith("Feil i malsyntaks på linje")
    assert "blokken «if» er ikke avsluttet; det mangler «{% endif %}»" in errors[0]


def test_it_explains_a_stray_end_tag():
    errors = validate_template(make_docx("{% endfor %}"), "other")
    assert "«{% endfor %}» står uten en blokk å avslutte" in errors[0]


def test_it_explains_a_row_tag_outside_a_table():
    errors = validate_template(make_docx("{%tr for a in applications %}"), "other")
    assert "kan bare brukes i en tabellrad" in errors[0]


def test_it_reports_syntax_errors_in_the_footer():
    errors = validate_template(make_docx("OK", footer="{{ reference "), "other")
    assert len(errors) == 1
    assert "i bunntekst" in errors[0]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "Malen prøver å bruke en intern egenskap («__class__») og er avvist.",
        ),
        ("{{ cycler.__init__.__globals__ }}", "Ukjent variabel «cycler» i malen."),
        (
            "{% for x in ().__class__.__base__.__subclasses__() %}{% endfor %}",
            "Malen prøver å bruke en intern egenskap («__base__») og er avvist.",
        ),
        (
            "{{ self._TemplateReference__context }}",
            "Malen prøver å bruke en intern egenskap («self») og er avvist.",
        ),
        ("{{ config }}", "Ukjent variabel «config» i malen."),
        ("{{ request }}", "Ukjent variabel «request» i malen."),
        ("{% include '/etc/passwd' %}", "hente inn andre maler eller filer"),
        ("{% import 'os' as os %}", "hente inn andre maler eller filer"),
        ("{% extends 'base.html' %}", "hente inn andre maler eller filer"),
        ("{{ reference|safe }}", "ukjent filter «safe»"),
        ("{{ customer['__class__'] }}", "intern egenskap («__class__»)"),
    ],
)
def test_it_refuses_injection_payloads(payload, expected):
    errors = validate_template(make_docx("{{ reference }}", payload), "data_processor")
    assert any(expected in error for error in errors), errors


def test_it_catches_runtime_errors_in_a_trial_rendering():
    errors = validate_template(make_docx("{{ reference|dato }}"), "other")
    assert len(errors) == 1
    assert errors[0].startswith("Malen kunne ikke fylles ut (ValueError")


def test_it_raises_template_rejected_with_the_messages():
    with pytest.raises(TemplateRejected) as raised:
        check_template(make_docx("{{ foo }}"), "other")
    assert raised.value.errors == ["Ukjent variabel «foo» i malen."]


def test_it_refuses_a_file_that_is_not_a_zip():
    errors = validate_template(b"%PDF-1.7 not a docx", "other")
    assert errors == ["Filen er ikke et Word-dokument (.docx): den er ikke en gyldig zip-pakke."]


def test_it_refuses_a_zip_without_word_document_xml():
    data = rezip(make_docx("x"), drop=("word/document.xml",))
    errors = validate_template(data, "other")
    assert errors == ["Filen er ikke et Word-dokument (.docx): den mangler «word/document.xml»."]


def test_it_refuses_a_macro_enabled_document():
    docx = make_docx("x")
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        content_types = archive.read("[Content_Types].xml")
    docm = rezip(
        docx,
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"},
        replace={
            "[Content_Types].xml": content_types.replace(
                b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
            )
        },
    )
    errors = validate_template(docm, "other", filename="mal.docm")
    assert len(errors) == 1 and "makroer" in errors[0] and ".docm" in errors[0]
    assert "makroer" in validate_template(docm, "other")[0]


def test_it_refuses_a_docm_content_type_without_vba_part():
    docx = make_docx("x")
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        content_types = archive.read("[Content_Types].xml")
    data = rezip(
        docx,
        replace={
            "[Content_Types].xml": content_types.replace(
                b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
            )
        },
    )
    assert "makroer" in validate_template(data, "other")[0]


def test_it_refuses_an_oversize_file():
    data = make_docx("x") + b"\0" * MAX_TEMPLATE_BYTES
    errors = validate_template(data, "other")
    assert len(errors) == 1
    assert errors[0].startswith("Filen er for stor") and "5 MB" in errors[0]


def test_it_refuses_a_zip_bomb():
    bomb = rezip(make_docx("x"), add={"word/media/padding.xml": b"0" * (40 * 1024 * 1024)})
    assert len(bomb) < MAX_TEMPLATE_BYTES
    errors = validate_template(bomb, "other")
    assert len(errors) == 1 and "zip-bombe" in errors[0]


def test_it_refuses_a_wrong_file_name():
    errors = validate_template(make_docx("x"), "other", filename="mal.pdf")
    assert errors == ["Filen «mal.pdf» er ikke et Word-dokument; malen må lagres som .docx."]
