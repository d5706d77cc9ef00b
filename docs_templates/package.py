"""Checks on the .docx container itself, before any XML in it is parsed.

A .docx is a zip package. An uploaded template is refused when it is too big, is not a zip,
lacks the parts every Word document has, carries macros, or looks like a zip bomb (many
entries, a huge unpacked size or an extreme compression ratio). The limits are module
constants so a deployment can see them in one place.
"""

from __future__ import annotations

import io
import zipfile

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 500
# Word's XML compresses about 5-15 times; a ratio far above that in a large entry is a bomb.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
DOCUMENT_CONTENT_TYPE = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)

_MB = 1024 * 1024


def package_errors(data: bytes, filename: str | None = None) -> list[str]:
    """Return Norwegian messages for what is wrong with the package (empty list: it is fine).

    Stops at the first kind of problem that makes further checks pointless (too big, not a
    zip, a zip bomb), so the list is short and each message says what to do.
    """
    if filename is not None:
        suffix = filename.lower().rpartition(".")[2]
        if suffix in ("docm", "dotm"):
            return [_MACRO_MESSAGE]
        if suffix != "docx":
            return [f"Filen «{filename}» er ikke et Word-dokument; malen må lagres som .docx."]
    if len(data) > MAX_TEMPLATE_BYTES:
        return [
            f"Filen er for stor ({len(data) / _MB:.1f} MB). "
            f"En mal kan være på høyst {MAX_TEMPLATE_BYTES // _MB} MB."
        ]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return ["Filen er ikke et Word-dokument (.docx): den er ikke en gyldig zip-pakke."]
    with archive:
        return _archive_errors(archive)


_MACRO_MESSAGE = (
    "Filen inneholder makroer (vbaProject.bin). Makroaktiverte dokumenter (.docm) er ikke "
    "tillatt; lagre malen som vanlig Word-dokument (.docx)."
)


def _archive_errors(archive: zipfile.ZipFile) -> list[str]:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        return [
            f"Filen inneholder for mange deler ({len(entries)}); høyst {MAX_ENTRIES} er tillatt."
        ]
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        return [
            f"Filen blir for stor når den pakkes ut ({total / _MB:.0f} MB; høyst "
            f"{MAX_UNCOMPRESSED_BYTES // _MB} MB). Den kan være en såkalt zip-bombe og er avvist."
        ]
    for entry in entries:
        if entry.file_size < RATIO_CHECK_FROM_BYTES:
            continue
        if entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
            return [
                f"Delen «{entry.filename}» er pakket usedvanlig hardt sammen og kan være en "
                "såkalt zip-bombe. Filen er avvist."
            ]
    if any(entry.flag_bits & 0x1 for entry in entries):
        return ["Filen er kryptert eller passordbeskyttet. Last opp en mal uten passord."]

    names = {entry.filename for entry in entries}
    lower_names = {name.lower() for name in names}
    if any(name.rpartition("/")[2] in MACRO_PARTS for name in lower_names):
        return [_MACRO_MESSAGE]
    missing = [part for part in REQUIRED_PARTS if part not in names]
    if missing:
        listed = ", ".join(f"«{part}»" for part in missing)
        return [f"Filen er ikke et Word-dokument (.docx): den mangler {listed}."]

    content_types_info = archive.getinfo("[Content_Types].xml")
    if content_types_info.file_size > MAX_CONTENT_TYPES_BYTES:
        return ["Filen er ikke et gyldig Word-dokument: «[Content_Types].xml» er for stor."]
    try:
        content_types = archive.read(content_types_info)
        damaged = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return ["Filen er skadet og kan ikke pakkes ut."]
    if damaged is not None:
        return [f"Filen er skadet: delen «{damaged}» kan ikke leses."]
    if b"macroenabled" in content_types.lower():
        return [_MACRO_MESSAGE]
    if DOCUMENT_CONTENT_TYPE not in content_types:
        return [
            "Filen er ikke et vanlig Word-dokument (.docx). Lagre malen som «Word-dokument» "
            "(ikke som Word-mal, .dotx, eller annet format)."
        ]
    return []
