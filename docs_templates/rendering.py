"""Render a Word template (.docx with Jinja tags, docxtpl flavour) with a context dict.

Templates are written by legal staff and uploaded by administrators, so they are not trusted
code. Rendering therefore uses a sandboxed, immutable, autoescaping Jinja environment:

* ``sandbox.AgreementSandbox`` refuses private attributes (``__class__``, ``_x``), methods
  that change lists or dicts, ``**``, ``str.format`` and anything that would build a very long
  string or list;
* no globals (``range``, ``cycler``, ``joiner``, ``namespace``, ``lipsum``, ``dict``) and a
  loader that finds nothing, so ``include``/``import``/``extends`` fail;
* only the filters and tests in ``sandbox.ALLOWED_FILTERS``/``ALLOWED_TESTS`` exist (so not
  ``safe`` or ``urlize``, which would emit raw markup); autoescaping turns ``<``, ``&`` and
  quotes in values into XML entities, so a value ends up as literal text and cannot add Word
  XML (``validation`` refuses templates that try to switch it off);
* ``StrictUndefined``: a misspelt variable is an error, not an empty string;
* each rendering runs in a child process under CPU-time and memory limits
  (``docs_templates.confinement``), so loops cannot hang a web request or a worker.

Every printed value passes ``finalize``: ``None`` prints as nothing, ``True``/``False`` as
«Ja»/«Nei», dates as dd.mm.yyyy (aware datetimes in Europe/Oslo), decimals with a comma, and
characters XML cannot hold are dropped. Filters: ``dato``, ``prosent``, ``tall``, ``ja_nei``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import CodeType
from typing import Any

from django.conf import settings
from docxtpl import DocxTemplate
from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound
from jinja2.exceptions import (
    SecurityError,
    TemplateError,
    TemplatesNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from lxml import etree

from docs_templates.confinement import ChildRefused, LimitExceeded, run_confined
from docs_templates.formats import (  # the filters are part of this module's interface
    format_date,
    format_number,
    format_percent,
    format_yes_no,
)
from docs_templates.package import package_errors
from docs_templates.sandbox import (
    ALLOWED_FILTERS,
    ALLOWED_TESTS,
    AgreementSandbox,
    TagNotAllowed,
    allowed_filters_text,
    capped_join,
)

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


def make_environment(precompiled: dict[str, CodeType] | None = None) -> AgreementSandbox:
    """Return a fresh sandboxed, autoescaping, strict Jinja environment for one rendering;
    ``precompiled`` maps sources to the code ``compiled_parts`` made for them."""
    env = AgreementSandbox(
        autoescape=True,
        undefined=StrictUndefined,
        loader=_NoTemplates(),
        finalize=_finalize,
        precompiled=precompiled,
    )
    env.globals.clear()
    env.filters["join"] = capped_join
    env.filters["dato"] = format_date
    env.filters["prosent"] = format_percent
    env.filters["tall"] = format_number
    env.filters["ja_nei"] = format_yes_no
    for table, allowed in ((env.filters, ALLOWED_FILTERS), (env.tests, ALLOWED_TESTS)):
        for name in set(table) - allowed:
            del table[name]
    return env


def render_docx(template_bytes: bytes, context: dict[str, Any]) -> bytes:
    """Render a .docx template with ``context`` and return the finished .docx as bytes.

    Body, headers, footers, footnotes and document properties are rendered, as docxtpl does.
    The package is checked first (size, zip bomb, macros; once per template content) and the
    rendered parts are checked to be well-formed XML. Raises ``TemplateRejected`` with Norwegian
    messages when the template is refused or cannot be filled in with this context.
    """
    digest = hashlib.sha256(template_bytes).digest()
    problems = _package_errors_once(digest, template_bytes)
    if problems:
        raise TemplateRejected(list(problems))
    limits = render_limits()
    try:
        return run_confined(
            _render_in_child,
            template_bytes,
            context,
            compiled_parts(digest, template_bytes),
            seconds=limits["seconds"],
            memory_mb=limits["memory_mb"],
        )
    except ChildRefused as exc:
        raise TemplateRejected(exc.errors) from exc
    except LimitExceeded as exc:
        raise TemplateRejected([_LIMIT_MESSAGES[exc.reason] % limits]) from exc


def render_limits() -> dict[str, float]:
    """CPU seconds and extra memory (MB) one rendering may use; settings
    ``TEMPLATE_RENDER_SECONDS`` and ``TEMPLATE_RENDER_MEMORY_MB``."""
    configured = settings.configured  # the benchmarks render without Django settings
    return {
        "seconds": getattr(settings, "TEMPLATE_RENDER_SECONDS", 10) if configured else 10,
        "memory_mb": getattr(settings, "TEMPLATE_RENDER_MEMORY_MB", 512) if configured else 512,
    }


_LIMIT_MESSAGES = {
    "time": (
        "Utfyllingen av malen tok for lang tid (grensen er %(seconds)s sekunder) og ble "
        "stoppet. Malen har trolig løkker som går svært mange ganger; forenkle den."
    ),
    "memory": (
        "Utfyllingen av malen brukte for mye minne (grensen er %(memory_mb)s MB) og ble "
        "stoppet. Malen lager trolig svært lange tekster eller lister; forenkle den."
    ),
}


def _render_in_child(
    template_bytes: bytes, context: dict[str, Any], precompiled: dict[str, CodeType]
) -> bytes:
    template = DocxTemplate(io.BytesIO(template_bytes))
    try:
        template.render(context, jinja_env=make_environment(precompiled), autoescape=True)
        output = io.BytesIO()
        template.save(output)
    except TemplateError as exc:
        raise TemplateRejected([describe_template_error(exc)]) from exc
    except MemoryError:
        raise  # the confinement reports it as the memory limit
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


@functools.lru_cache(maxsize=16)
def compiled_parts(digest: bytes, template_bytes: bytes) -> dict[str, CodeType]:
    """Jinja's code for each part ``template_sources`` finds, keyed by its exact source; once per
    template content (``digest``) in this process.

    Compiling is about half of a typical rendering, and a template renders many times unchanged.
    The rendering child is forked from this process, so it inherits the code and compiles only
    a source that differs from these (docxtpl's own preparation changed) or failed here (it then
    reports the error itself). Compiling runs no template code; ``validate_template`` compiles
    every uploaded template in this process as well.
    """
    try:
        sources = template_sources(template_bytes)
    except Exception:  # noqa: BLE001 - the rendering reports a broken template itself
        return {}
    env = make_environment()
    compiled = {}
    # docxtpl also compiles each empty document property.
    for text in ("", *(source.text for source in sources)):
        try:
            compiled[text] = env.compile(text)
        except Exception:  # noqa: BLE001, S112 - the child compiles it again and says why
            continue
    return compiled


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
        if isinstance(exc, TagNotAllowed):
            return f"Linje {exc.lineno}{where}{shown}: {exc.message}"
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
        return f"ukjent filter «{match[1]}» ({allowed_filters_text()})"
    match = re.search(r"No test named '([^']+)'", message)
    if match:
        return f"ukjent test «{match[1]}»"
    if "unexpected end of template" in message.lower():
        return "malen slutter midt i en tagg eller blokk"
    match = re.search(r"unexpected '(.+)'", message)
    if match:
        return f"uventet «{match[1]}»"
    return f"Jinja melder: {message}"
