import io
import zipfile

import pytest
from docx import Document

from agreements.models import Agreement
from scripts.docx_weight import lighten
from tests.docs_templates.factories import make_docx, shipped_template


def style_ids(data: bytes) -> set[str]:
    return {style.style_id for style in Document(io.BytesIO(data)).styles}


def test_it_keeps_the_styles_a_document_uses_and_drops_the_rest():
    document = Document()
    document.add_heading("1 Formål", level=1)
    document.add_paragraph("punkt", style="List Bullet")
    document.add_table(rows=1, cols=1).style = "Table Grid"
    built = io.BytesIO()
    document.save(built)

    light = style_ids(lighten(built.getvalue()))

    # Used, their base and linked styles, and the defaults Word falls back on.
    assert {"Heading1", "Heading1Char", "ListBullet", "TableGrid", "Normal"} <= light
    assert {"DefaultParagraphFont", "TableNormal", "NoList"} <= light
    assert "LightShading-Accent1" in style_ids(built.getvalue())
    assert "LightShading-Accent1" not in light
    assert len(light) < 20 < len(style_ids(built.getvalue()))


def test_it_drops_the_word_2010_styles_copy_and_the_thumbnail_with_their_references():
    light = lighten(make_docx("Avtale"))

    with zipfile.ZipFile(io.BytesIO(light)) as archive:
        names = set(archive.namelist())
        listings = b"".join(
            archive.read(name)
            for name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels")
        )
    assert not names & {"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"}
    assert b"stylesWithEffects" not in listings
    assert b"thumbnail" not in listings
    assert [p.text for p in Document(io.BytesIO(light)).paragraphs] == ["Avtale"]


@pytest.mark.parametrize("kind", Agreement.Kind.values)
def test_the_shipped_agreement_templates_are_light(kind):
    """A rebuild through scripts.build_templates, not a bare python-docx save, made them."""
    template = shipped_template(kind)
    assert style_ids(lighten(template)) == style_ids(template)
    assert len(style_ids(template)) < 30
