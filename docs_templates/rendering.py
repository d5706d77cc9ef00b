"""Render a Word template (.docx with Jinja tags, docxtpl flavour) with a context dict.

Templates are written by legal staff and uploaded by administrators, so they are not trusted
code. Rendering therefore uses a sandboxed, immutable, autoescaping Jinja environment:

* ``ImmutableSandboxedEnvironment`` refuses private attributes (``__class__``, ``_x``) and
  methods that change lists or dicts; ``**`` and very large ``*`` repetitions are refused too;
* no globals (``range``, ``cycler``, ``joiner``, ``namespace``, ``lipsum``, ``dict``) and a
  loader that finds nothing, so ``include``/``import``/``extends`` fail;
* autoescaping turns ``<``, ``&`` and quotes in values into XML entities, so a value ends up as
  literal text and cannot add Word XML; the filters ``safe`` and ``urlize`` (which would emit
  raw markup) are removed;
* ``StrictUndefined``: a misspelt variable is an error, not an empty string.

Every printed value passes ``finalize``: ``None`` prints as nothing, ``True``/``False`` as
«Ja»/«Nei», dates as dd.mm.yyyy (aware datetimes in Europe/Oslo), decimals with a comma, and
characters XML cannot hold are dropped. Filters: ``dato``, ``prosent``, ``ja_nei``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from docxtpl import DocxTemplate
from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound
from jinja2.exceptions import (
    SecurityError,
    TemplateError,
    TemplatesNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from docs_templates.package import package_errors

OSLO = ZoneInfo("Europe/Oslo")

# Longest string or list a template may build with "*" (e.g. "-" * 80 for a rule line).
MAX_REPEAT_LENGTH = 10_000

# Characters XML 1.0 cannot hold. docxtpl gives \a and \f a meaning of its own (new paragraph,
# page break), which a value must not be able to trigger either.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class TemplateRejected(Exception):  # noqa: N818 - the name is the domain's word for it
    """A template could not be used; ``errors`` holds Norwegian messages for the user."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


class _NoTemplates(BaseLoader):
    """A loader that finds nothing: a template may not pull in other templates or files."""

    def get_source(self, environment, template):
        raise TemplateNotFound(template)


class AgreementSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, which also refuses ``**`` and huge ``*`` repetitions."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            raise SecurityError("potensregning (**) er ikke tillatt i maler")
        for sequence, count in ((left, right), (right, left)):
            repeats = isinstance(sequence, str | list | tuple) and isinstance(count, int)
            if repeats and len(sequence) * count > MAX_REPEAT_LENGTH:
                raise SecurityError("malen prøver å lage en for lang tekst eller liste")
        return super().call_binop(context, operator, left, right)


def format_date(value: Any) -> str:
    """Format a date as dd.mm.yyyy; ``None`` gives ``""``.

    Aware datetimes are shown in Europe/Oslo; ISO strings ("2022-10-01") are accepted.
    Raises ``TypeError`` for anything else.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"«{value}» er ikke en dato") from None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(OSLO)
        value = value.date()
    if not isinstance(value, date):
        raise TypeError(f"ventet en dato, fikk {type(value).__name__}")
    return value.strftime("%d.%m.%Y")


def format_number(value: Any) -> str:
    """Format a number Norwegian style: decimal comma, no trailing zeros ("99,5", "100")."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"ventet et tall, fikk {type(value).__name__}")
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


def format_percent(value: Any) -> str:
    """Format a number as a Norwegian percentage: 99.5 -> "99,5 %" (non-breaking space)."""
    return f"{format_number(value)}\u00a0%"


def format_yes_no(value: Any) -> str:
    """Return «Ja» for a true value and «Nei» otherwise."""
    return "Ja" if value else "Nei"


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_yes_no(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float | Decimal):
        return format_number(value)
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return _XML_INVALID.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value


def make_environment() -> AgreementSandbox:
    """Return a fresh sandboxed, autoescaping, strict Jinja environment for one rendering."""
    env = AgreementSandbox(
        autoescape=True,
        undefined=StrictUndefined,
        loader=_NoTemplates(),
        finalize=_finalize,
    )
    env.globals.clear()
    for name in ("safe", "urlize"):
        env.filters.pop(name, None)
    env.filters["dato"] = format_date
    env.filters["prosent"] = format_percent
    env.filters["tall"] = format_number
    env.filters["ja_nei"] = format_yes_no
    return env


def render_docx(template_bytes: bytes, context: dict[str, Any]) -> bytes:
    """Render a .docx template with ``context`` and return the finished .docx as bytes.

    Body, headers, footers, footnotes and document properties are rendered, as docxtpl does.
    The package is checked first (size, zip bomb, macros; once per template content) and the
    rendered parts are checked to be well-formed XML. Raises ``TemplateRejected`` with Norwegian
    messages when the template is refused or cannot be filled in with this context.
    """
    problems = _package_errors_once(hashlib.sha256(template_bytes).digest(), template_bytes)
    if problems:
        raise TemplateRejected(list(problems))
    template = DocxTemplate(io.BytesIO(template_bytes))
    try:
        template.render(context, jinja_env=make_environment(), autoescape=True)
        output = io.BytesIO()
        template.save(output)
    except TemplateError as exc:
        raise TemplateRejected([describe_template_error(exc)]) from exc
    except Exception as exc:
        # A hostile or damaged template can make docxtpl or lxml fail in many ways; the user
        # needs a message, not a stack trace.
        raise TemplateRejected(
            [f"Malen kunne ikke fylles ut ({type(exc).__name__}: {exc})."]
        ) from exc
    data = output.getvalue()
    _check_result(data)
    return data


_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

# The parts docxtpl fills in; every other part is copied from the template unchanged, and the
# template was checked when it was uploaded.
_RENDERED_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml|docProps/core\.xml)$"
)


@functools.lru_cache(maxsize=64)
def _package_errors_once(digest: bytes, template_bytes: bytes) -> tuple[str, ...]:
    """``package_errors`` per template content: a template renders many times, unchanged."""
    return tuple(package_errors(template_bytes))


def _check_result(data: bytes) -> None:
    """The rendered parts are well-formed XML (so Word and LibreOffice can open the file)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not _RENDERED_PARTS.match(name):
                continue
            try:
                etree.fromstring(archive.read(name), _XML_PARSER)  # noqa: S320 - no entities
            except etree.XMLSyntaxError as exc:
                raise TemplateRejected(
                    [f"Det ferdige dokumentet ble ugyldig (delen «{name}»); malen må rettes."]
                ) from exc


@dataclass(frozen=True)
class TemplateSource:
    """The Jinja source of one part of a template, as docxtpl will render it.

    ``where`` names the part in Norwegian for messages ("", " i topptekst", ...); line ``n``
    of ``text`` is about paragraph ``n`` of the part, as in docxtpl's own error context.
    """

    where: str
    text: str

    def line_excerpt(self, lineno: int | None, width: int = 70) -> str:
        """Return the visible text of line ``lineno`` (tags stripped), shortened to ``width``."""
        lines = self.text.splitlines()
        if not lineno or lineno > len(lines):
            return ""
        visible = html.unescape(re.sub(r"<[^>]+>", "", lines[lineno - 1])).strip()
        return visible if len(visible) <= width else visible[: width - 1] + "…"


_CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def template_sources(template_bytes: bytes) -> list[TemplateSource]:
    """Return the Jinja source of every part docxtpl renders: body, headers, footers,
    footnotes and the document properties. Raises whatever python-docx raises for a file
    it cannot open (check ``package_errors`` first).
    """
    template = DocxTemplate(io.BytesIO(template_bytes))
    document = template.get_docx()

    def patched(xml: str) -> str:
        # docxtpl puts each paragraph on its own line before rendering; so do we.
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))

    sources = [TemplateSource("", patched(template.get_xml()))]
    for uri, where in (
        (template.HEADER_URI, " i topptekst"),
        (template.FOOTER_URI, " i bunntekst"),
    ):
        for _key, part in template.get_headers_footers(uri):
            sources.append(TemplateSource(where, patched(template.get_part_xml(part))))
    for part in document.part.package.parts:
        if part.content_type == _FOOTNOTES_TYPE:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            sources.append(TemplateSource(" i fotnoter", patched(blob)))
    for name in _CORE_PROPERTIES:
        value = getattr(document.core_properties, name) or ""
        if value:
            sources.append(TemplateSource(" i dokumentegenskapene", value))
    return sources


def describe_template_error(exc: BaseException, source: TemplateSource | None = None) -> str:
    """Return a plain Norwegian sentence for a Jinja error raised by a template.

    ``source`` (when known) adds where the error is and the text of the offending paragraph.
    """
    if isinstance(exc, TemplateSyntaxError):
        where = source.where if source else ""
        excerpt = source.line_excerpt(exc.lineno) if source else ""
        shown = f" («{excerpt}»)" if excerpt else ""
        return (
            f"Feil i malsyntaks på linje {exc.lineno}{where}{shown}: "
            f"{_syntax_reason(exc.message or '')}."
        )
    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, SecurityError):
        match = re.search(r"access to attribute '([^']+)'", message)
        if match and match[1].startswith("_"):
            return f"Malen prøver å bruke en intern egenskap («{match[1]}») og er avvist."
        if match:
            # The immutable sandbox refuses methods that change data, like list.append.
            return f"Malen prøver å endre data med «{match[1]}» og er avvist."
        return f"Malen prøver å gjøre noe som ikke er tillatt og er avvist: {message}."
    if isinstance(exc, UndefinedError):
        match = re.search(r"^'([^']+)' is undefined", message)
        if match:
            return f"Ukjent variabel «{match[1]}» i malen."
        match = re.search(r"has no attribute '([^']+)'", message)
        if match:
            return f"Ukjent felt «{match[1]}» i malen."
        return f"Malen bruker en verdi som ikke finnes: {message}."
    if isinstance(exc, TemplateNotFound | TemplatesNotFound):
        return INCLUDE_MESSAGE
    return f"Malen kunne ikke fylles ut: {message}."


INCLUDE_MESSAGE = (
    "Malen prøver å hente inn andre maler eller filer («include», «import» eller «extends»); "
    "det er ikke tillatt."
)

_ROW_TAGS = {"tr": "en tabellrad", "tc": "en tabellcelle", "p": "et eget avsnitt", "r": "en tekst"}


def _syntax_reason(message: str) -> str:
    match = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if match:
        block = match[1]
        return f"blokken «{block}» er ikke avsluttet; det mangler «{{% end{block} %}}»"
    match = re.search(r"Encountered unknown tag '(\w+)'", message)
    if match:
        tag = match[1]
        if tag in _ROW_TAGS:
            return f"«{{%{tag} … %}}» kan bare brukes i {_ROW_TAGS[tag]}"
        if tag.startswith("end") or tag in ("else", "elif"):
            return f"«{{% {tag} %}}» står uten en blokk å avslutte"
        return f"ukjent tagg «{tag}»"
    match = re.search(r"No filter named '([^']+)'", message)
    if match:
        return f"ukjent filter «{match[1]}»"
    match = re.search(r"No test named '([^']+)'", message)
    if match:
        return f"ukjent test «{match[1]}»"
    if "unexpected end of template" in message.lower():
        return "malen slutter midt i en tagg eller blokk"
    match = re.search(r"unexpected '(.+)'", message)
    if match:
        return f"uventet «{match[1]}»"
    return f"Jinja melder: {message}"
