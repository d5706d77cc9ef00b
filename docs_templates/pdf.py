"""Turn a .docx into PDF with headless LibreOffice, when it is installed.

Each conversion gets its own LibreOffice profile directory: two conversions sharing the default
profile block each other or fail, and workers convert in parallel.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

# A cold LibreOffice start takes a few seconds; a hung conversion must not hold a worker forever.
CONVERSION_TIMEOUT_SECONDS = 120


class PdfConversionError(Exception):
    """LibreOffice could not convert the document; ``str(exc)`` says why."""


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    """Return the PDF of ``docx``. Raises ``PdfConversionError`` (also when not installed)."""
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
            "pdf",
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
