"""Checks on the .docx container itself, before any XML in it is parsed.

A .docx is a zip package. An uploaded template is refused when it is too big, is not a zip,
lacks the parts every Word document has, carries macros, or looks like a zip bomb (many
entries, a huge unpacked size or an extreme compression ratio). The limits are module
constants so a deployment can see them in one place.

A generated document copies every part and relationship of its template, so the template may
not point outside itself or carry code either: no relationship with ``TargetMode="External"``
(a linked picture or frame is fetched when the document opens, and a UNC path makes Windows
send the reader's credentials) except ordinary web and e-mail hyperlinks, which Word only
follows when clicked; no attached template (a remote .dotm brings macros); no OLE objects,
ActiveX controls or embedded files; and no part whose content type is a macro or binary type,
whatever the part is called.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

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
    return _active_content_errors(archive, content_types)


_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

# Content types (lower case, matched as substrings) of macros, ActiveX controls, OLE objects
# and other binaries Word would load.
FORBIDDEN_CONTENT_TYPES = (
    "macroenabled",
    "vbaproject",
    "vbadata",
    "activex",
    "oleobject",
    "keymapcustomizations",
    "attachedtoolbars",
    "application/octet-stream",
)
# Relationship types (the last part of the type URI, lower case) that attach code or objects.
FORBIDDEN_RELATIONSHIPS = frozenset(
    {
        "oleobject",
        "package",
        "control",
        "activexcontrolbinary",
        "vbaproject",
        "wordvbadata",
        "keymapcustomizations",
        "attachedtoolbars",
    }
)
EMBEDDING_FOLDERS = ("word/embeddings/", "word/activex/")
_SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")

_EMBEDDED_MESSAGE = (
    "Malen inneholder innebygde objekter (OLE-objekt, ActiveX-kontroll eller innebygd fil: "
    "«{part}»). Det er ikke tillatt i maler; fjern objektet og last opp på nytt."
)


def _active_content_errors(archive: zipfile.ZipFile, content_types: bytes) -> list[str]:
    """Macros, embedded objects, attached templates and external links, by content type and
    relationship, whatever the parts are called."""
    try:
        types = _content_types_by_part(etree.fromstring(content_types, _XML_PARSER))  # noqa: S320
    except etree.XMLSyntaxError:
        return ["Filen er skadet: «[Content_Types].xml» er ikke gyldig XML."]
    for name in archive.namelist():
        content_type = types(name)
        if "macroenabled" in content_type or "vba" in content_type:
            return [_MACRO_MESSAGE]
        forbidden = any(marker in content_type for marker in FORBIDDEN_CONTENT_TYPES)
        if forbidden or name.lower().startswith(EMBEDDING_FOLDERS):
            return [_EMBEDDED_MESSAGE.format(part=name)]
    for name in archive.namelist():
        if name.lower().endswith(".rels"):
            errors = _relationship_errors(name, archive.read(name))
            if errors:
                return errors
    return []


def _content_types_by_part(root):
    """A function from a zip entry name to its declared content type (lower case)."""
    defaults = {
        node.get("Extension", "").lower(): node.get("ContentType", "").lower()
        for node in root.iter(f"{_CT}Default")
    }
    overrides = {
        node.get("PartName", "").lstrip("/").lower(): node.get("ContentType", "").lower()
        for node in root.iter(f"{_CT}Override")
    }

    def content_type(name: str) -> str:
        lowered = name.lower()
        return overrides.get(lowered) or defaults.get(lowered.rpartition(".")[2], "")

    return content_type


def _relationship_errors(part: str, xml: bytes) -> list[str]:
    try:
        root = etree.fromstring(xml, _XML_PARSER)  # noqa: S320 - entities are not resolved
    except etree.XMLSyntaxError:
        return [f"Filen er skadet: delen «{part}» er ikke gyldig XML."]
    for relationship in root.iter(_REL):
        kind = relationship.get("Type", "").rstrip("/").rpartition("/")[2].lower()
        target = relationship.get("Target", "")
        external = relationship.get("TargetMode", "").lower() == "external"
        shown = target if len(target) <= 80 else target[:79] + "…"
        if kind == "attachedtemplate":
            return [
                f"Malen er knyttet til en annen dokumentmal («{shown}»). Det er ikke tillatt, "
                "fordi den kan hente inn makroer eller lekke pålogging; lagre malen som et "
                "vanlig dokument uten tilknyttet mal."
            ]
        if kind in FORBIDDEN_RELATIONSHIPS:
            return [_EMBEDDED_MESSAGE.format(part=target)]
        safe_link = kind == "hyperlink" and target.lower().startswith(_SAFE_LINK_SCHEMES)
        if external and not safe_link:
            return [
                f"Malen har en ekstern kobling («{shown}» i «{part}»). Maler kan ikke hente "
                "innhold fra andre filer, nettadresser eller nettverksstier; fjern koblingen "
                "og last opp på nytt."
            ]
    return []
