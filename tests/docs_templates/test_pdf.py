"""PDF/A-2b through the warm LibreOffice server, the one-shot fallback, and the server's restart.

A private ``python -m docs_templates.pdf_server`` (the Procfile's ``pdf`` process) runs on free
ports for this module.
"""

import io
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from docs_templates import pdf
from docs_templates.generation import render_agreement
from tests.docs_templates.test_documents import pdf_text
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db

PDFA_NAMESPACE = "http://www.aiim.org/pdfa/ns/id/"
STARTUP_SECONDS = 180


def free_port_pair() -> int:
    """A free port whose successor is free too (the server's XML-RPC and UNO ports)."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
                return port
    raise RuntimeError("no two consecutive free ports")


def wait_until_answering(address: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not pdf.server_answers(address, timeout=2):
        if time.monotonic() > deadline:
            pytest.fail(f"the warm PDF server at {address} did not answer in {STARTUP_SECONDS} s")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def warm_server(tmp_path_factory):
    """The address of a supervised warm server of our own; stopped (with LibreOffice) at the end."""
    if pdf.soffice_path() is None:
        pytest.fail("LibreOffice (soffice) is not installed; make test installs it")
    address = f"http://127.0.0.1:{free_port_pair()}"
    log = tmp_path_factory.mktemp("pdf-server") / "server.log"
    with log.open("wb") as output:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "docs_templates.pdf_server"],
            env={**os.environ, "UNOSERVER_URL": address},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answering(address)
        yield address
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(60)


@pytest.fixture
def agreement_docx(personas, orgs):
    agreement = make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], kind="other", start_flow=False
    )
    docx, _, _ = render_agreement(agreement, pdf=False)
    return agreement.reference, docx


def pdfa_identification(data: bytes) -> dict[str, str]:
    """The PDF/A part and conformance the PDF's XMP metadata declares."""
    root = PdfReader(io.BytesIO(data)).xmp_metadata.rdf_root
    return {
        node.localName: node.firstChild.data
        for node in root.getElementsByTagNameNS(PDFA_NAMESPACE, "*")
        if node.localName in ("part", "conformance")
    }


def libreoffice_pids(address: str) -> list[int]:
    """The LibreOffice processes serving ``address`` (their UNO port is the next one)."""
    uno = f"port={int(address.rsplit(':', 1)[1]) + 1},"
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and "--accept=socket" in command and uno in command:
            pids.append(int(entry.name))
    return pids


@pytest.mark.parametrize("path", ["warm", "one_shot"])
def test_it_makes_a_pdf_a_2b_with_the_agreements_reference(path, warm_server, agreement_docx):
    reference, docx = agreement_docx
    convert = (
        pdf.convert_one_shot if path == "one_shot" else lambda d: pdf.convert_warm(warm_server, d)
    )
    data = convert(docx)
    assert pdfa_identification(data) == {"part": "2", "conformance": "B"}
    assert reference in pdf_text(data)


def test_it_falls_back_to_one_shot_when_the_server_is_killed_and_restarts_it(
    warm_server, agreement_docx, monkeypatch, caplog
):
    reference, docx = agreement_docx
    monkeypatch.setenv("UNOSERVER_URL", warm_server)
    killed = libreoffice_pids(warm_server)
    assert killed, "no LibreOffice found behind the warm server"
    for pid in killed:
        os.kill(pid, signal.SIGKILL)

    with caplog.at_level(logging.WARNING, logger="docs_templates.pdf"):
        data = pdf.docx_to_pdf(docx)

    assert f"Warm PDF server {warm_server} failed" in caplog.text
    assert pdfa_identification(data) == {"part": "2", "conformance": "B"}
    assert reference in pdf_text(data)

    wait_until_answering(warm_server)
    restarted = libreoffice_pids(warm_server)
    assert restarted and not set(restarted) & set(killed)
    again = pdf.convert_warm(warm_server, docx)
    assert reference in pdf_text(again)


def test_two_conversions_at_once_go_to_different_servers():
    addresses = ["http://127.0.0.1:1", "http://127.0.0.1:3"]
    with pdf.claimed(addresses) as first, pdf.claimed(addresses) as second:
        assert {first, second} == set(addresses)


def test_without_uno_the_pdf_process_says_why_and_stays_up(tmp_path):
    # honcho ends all of `make run` when one process exits; PDFs then take the one-shot path.
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "docs_templates.pdf_server"],
            env={**os.environ, "UNOSERVER_PYTHON": sys.executable},  # this venv has no uno
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "No warm PDF server" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "cannot import uno (Debian package python3-uno)" in log.read_text()
        assert supervisor.poll() is None
    finally:
        supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(30) == 0
