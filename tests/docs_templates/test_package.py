import io
import zipfile

from docs_templates.package import MAX_ENTRIES, package_errors
from tests.docs_templates.factories import make_docx, rezip


def test_it_accepts_a_plain_docx():
    assert package_errors(make_docx("x"), "mal.docx") == []


def test_it_refuses_a_docm_by_name():
    assert "makroer" in package_errors(make_docx("x"), "Mal.DOCM")[0]


def test_it_refuses_an_empty_file():
    assert "ikke en gyldig zip-pakke" in package_errors(b"")[0]


def test_it_refuses_too_many_entries():
    extra = {f"extra/item{i}.xml": b"<a/>" for i in range(MAX_ENTRIES)}
    assert "for mange deler" in package_errors(rezip(make_docx("x"), add=extra))[0]


def test_it_refuses_a_word_template_dotx():
    docx = make_docx("x")
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        content_types = archive.read("[Content_Types].xml")
    dotx = rezip(
        docx,
        replace={
            "[Content_Types].xml": content_types.replace(
                b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
            )
        },
    )
    assert "ikke et vanlig Word-dokument" in package_errors(dotx)[0]


def test_it_refuses_a_damaged_entry():
    docx = make_docx("x")
    # Flip a byte inside the compressed document part, leaving the zip directory intact.
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        info = archive.getinfo("word/document.xml")
    data = bytearray(docx)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    errors = package_errors(bytes(data))
    assert len(errors) == 1 and "skadet" in errors[0]
