"""Turn a .docx into PDF/A-2b with LibreOffice: through a warm server when one answers, else one-shot.

The warm path sends the document to an unoserver (a LibreOffice started once and kept running by
``docs_templates.pdf_server``) at one of the addresses in ``UNOSERVER_URL``; it pays only for the
layout and the export. The one-shot path starts ``soffice --convert-to`` with a profile of its
own (two conversions sharing a profile block each other), about 1.5 s more per document. It is
taken whenever no warm server answers, so a crashed server slows documents down but never fails
them.

PDF/A-2b because signed agreements are archived (Noark 5); both paths ask for it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import http.client
import logging
import os
import shutil
import subprocess
import tempfile
import uuid
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger(__name__)

# A cold LibreOffice start takes a few seconds; a hung conversion must not hold a worker forever.
CONVERSION_TIMEOUT_SECONDS = 120
# One warm server per core: a LibreOffice converts one document at a time.
DEFAULT_UNOSERVER_URL = "http://127.0.0.1:2003,http://127.0.0.1:2005"
PDF_VERSION = 2  # LibreOffice's SelectPdfVersion: 2 is PDF/A-2b
PDF_EXPORT_FILTER = "writer_pdf_Export"
ONE_SHOT_TARGET = (
    f'pdf:{PDF_EXPORT_FILTER}:{{"SelectPdfVersion":{{"type":"long","value":"{PDF_VERSION}"}}}}'
)


class PdfConversionError(Exception):
    """LibreOffice could not convert the document; ``str(exc)`` says why."""


class WarmServerUnavailable(Exception):
    """The warm server did not answer, or answered with an error."""


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def warm_addresses() -> list[str]:
    """The warm servers' addresses from ``UNOSERVER_URL`` (comma-separated; empty: none)."""
    value = os.environ.get("UNOSERVER_URL", DEFAULT_UNOSERVER_URL)
    return [address.strip().rstrip("/") for address in value.split(",") if address.strip()]


def docx_to_pdf(docx: bytes) -> bytes:
    """Return the PDF/A-2b of ``docx``. Raises ``PdfConversionError`` (also when not installed)."""
    addresses = warm_addresses()
    if addresses:
        with claimed(addresses) as address:
            try:
                return convert_warm(address, docx)
            except WarmServerUnavailable as exc:
                logger.warning("Warm PDF server %s failed (%s); converting one-shot", address, exc)
    return convert_one_shot(docx)


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def server_proxy(address: str, timeout: float) -> xmlrpc.client.ServerProxy:
    # unoserver's own client retries an unreachable server for 40 s and asks for its filter list
    # before every conversion; the fallback must start at once, so we speak its XML-RPC API
    # (version 3) directly.
    return xmlrpc.client.ServerProxy(address, transport=_TimeoutTransport(timeout), allow_none=True)


def server_answers(address: str, timeout: float = 5) -> bool:
    """Whether the warm server at ``address`` serves requests (waits behind a running conversion)."""
    try:
        server_proxy(address, timeout).system.listMethods()
    except (OSError, http.client.HTTPException, xmlrpc.client.Error):
        return False
    return True


def convert_warm(address: str, docx: bytes) -> bytes:
    """The PDF/A-2b of ``docx`` from the warm server at ``address``."""
    proxy = server_proxy(address, CONVERSION_TIMEOUT_SECONDS)
    try:
        result = proxy.convert(
            None,  # inpath: the document travels in the request, so the server may be elsewhere
            xmlrpc.client.Binary(docx),
            None,  # outpath: the PDF comes back in the response
            "pdf",
            PDF_EXPORT_FILTER,
            [f"SelectPdfVersion={PDF_VERSION}"],
            False,  # update_index: the one-shot path does not update indexes either
        )
    except (OSError, http.client.HTTPException, xmlrpc.client.Error) as exc:
        raise WarmServerUnavailable(str(exc)[:300]) from exc
    if not isinstance(result, xmlrpc.client.Binary) or not result.data.startswith(b"%PDF-"):
        raise WarmServerUnavailable("svaret var ikke en PDF")
    return result.data


@contextlib.contextmanager
def claimed(addresses: list[str]) -> Iterator[str]:
    """Hold an idle warm server for this process, or wait for one when all are busy.

    A server converts one document at a time and queues the rest, so two workers sent to the same
    server would halve throughput while the other idles. The claim is an advisory lock per
    address, which the kernel releases when the holder dies.
    """
    locks = [Path(tempfile.gettempdir()) / f"avtaleflyt-pdf-{_digest(a)}.lock" for a in addresses]
    for address, lock in zip(addresses, locks, strict=True):
        with lock.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            yield address
            return
    index = os.getpid() % len(addresses)
    with locks[index].open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield addresses[index]


def _digest(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()[:16]


def convert_one_shot(docx: bytes) -> bytes:
    """The PDF/A-2b of ``docx`` from a LibreOffice started for this document alone."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfConversionError("LibreOffice (soffice) er ikke installert.")
    with tempfile.TemporaryDirectory(prefix="lo-convert-") as workdir:
        work = Path(workdir)
        source = work / "dokument.docx"
        source.write_bytes(docx)
        profile = work / f"lo-{uuid.uuid4().hex}"
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            ONE_SHOT_TARGET,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                command, capture_output=True, timeout=CONVERSION_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfConversionError("LibreOffice brukte for lang tid på konverteringen.") from exc
        target = work / "out" / "dokument.pdf"
        if result.returncode != 0 or not target.exists():
            detail = (result.stderr or result.stdout).decode(errors="replace").strip()[:300]
            raise PdfConversionError(f"LibreOffice kunne ikke lage PDF ({detail}).")
        return target.read_bytes()
