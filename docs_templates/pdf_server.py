"""Keep warm LibreOffice converters running: ``python -m docs_templates.pdf_server``.

One unoserver per address in ``UNOSERVER_URL`` (its XML-RPC port; LibreOffice's own UNO port is
the next one). unoserver imports LibreOffice's ``uno`` module, which Debian ships only for its own
Python (package python3-uno), so each server runs under ``UNOSERVER_PYTHON`` (/usr/bin/python3)
with this environment's unoserver appended to its path (``docs_templates.unoserver_launch``,
which also has it open documents hidden). A server that exits (LibreOffice crashed, or unoserver
ended it after a hung conversion) or stops answering is killed with its whole process group, so
no orphaned LibreOffice keeps the port, and started again with a fresh profile.
Documents keep flowing meanwhile: ``docs_templates.pdf`` converts one-shot while no server answers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import unoserver

from docs_templates.pdf import (
    CONVERSION_TIMEOUT_SECONDS,
    server_answers,
    soffice_path,
    warm_addresses,
)

logger = logging.getLogger(__name__)

DEFAULT_UNO_PYTHON = "/usr/bin/python3"
# unoserver waits 7 s before it serves; LibreOffice's first start is slower on a busy machine.
STARTUP_SECONDS = 90
POLL_SECONDS = 1
# The health request waits behind a running conversion (one request thread per server), and
# unoserver itself ends a conversion that outlives the timeout.
HEALTH_EVERY_SECONDS = 30
HEALTH_TIMEOUT_SECONDS = CONVERSION_TIMEOUT_SECONDS + 10
MAX_BACKOFF_SECONDS = 60
# Runs under UNOSERVER_PYTHON: unoserver, opening documents hidden (see that module).
LAUNCHER = str(Path(__file__).resolve().with_name("unoserver_launch.py"))


def uno_python() -> str:
    return os.environ.get("UNOSERVER_PYTHON", DEFAULT_UNO_PYTHON)


def missing_prerequisite() -> str | None:
    """Why no warm server can run here, or None."""
    if soffice_path() is None:
        return "LibreOffice (soffice) is not installed"
    python = uno_python()
    probe = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [python, "-c", "import uno"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return f"{python} cannot import uno (Debian package python3-uno)"
    return None


class WarmServer:
    """One unoserver, restarted whenever it dies or stops answering, until ``stop`` is set."""

    def __init__(self, address: str, workdir: Path):
        parts = urlsplit(address)
        self.address = address
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 2003
        self.profile = workdir / f"profile-{self.port}"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        site = str(Path(unoserver.__file__).resolve().parent.parent)
        return [
            *(uno_python(), LAUNCHER, site),
            *("--interface", self.host, "--port", str(self.port)),
            *("--uno-interface", "127.0.0.1", "--uno-port", str(self.port + 1)),
            *("--executable", soffice_path() or "soffice"),
            *("--user-installation", str(self.profile)),
            *("--conversion-timeout", str(CONVERSION_TIMEOUT_SECONDS)),
        ]

    def run(self, stop: threading.Event) -> None:
        quick_failures = 0
        while not stop.is_set():
            started = time.monotonic()
            shutil.rmtree(self.profile, ignore_errors=True)
            self.process = subprocess.Popen(self.command(), start_new_session=True)  # noqa: S603
            reason = self.watch(stop)
            self.kill()
            if stop.is_set():
                return
            quick_failures = quick_failures + 1 if time.monotonic() - started < 60 else 0
            delay = min(MAX_BACKOFF_SECONDS, 2**quick_failures) if quick_failures > 1 else 0
            logger.warning("PDF server %s %s; restarting in %s s", self.address, reason, delay)
            stop.wait(delay)

    def watch(self, stop: threading.Event) -> str:
        """Wait until the server fails; return what happened ("" when asked to stop)."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server_answers(self.address, timeout=2):
            if self.process.poll() is not None:
                return f"exited while starting (code {self.process.returncode})"
            if time.monotonic() > deadline:
                return f"did not answer within {STARTUP_SECONDS} s"
            if stop.wait(POLL_SECONDS):
                return ""
        logger.info("PDF server %s ready (pid %s)", self.address, self.process.pid)
        last_health = time.monotonic()
        while not stop.wait(POLL_SECONDS):
            if self.process.poll() is not None:
                return f"exited (code {self.process.returncode})"
            if time.monotonic() - last_health >= HEALTH_EVERY_SECONDS:
                if not server_answers(self.address, timeout=HEALTH_TIMEOUT_SECONDS):
                    return "stopped answering"
                last_health = time.monotonic()
        return ""

    def kill(self) -> None:
        """End unoserver and the LibreOffice it started (same process group)."""
        if self.process is None:
            return
        group = self.process.pid
        with contextlib.suppress(ProcessLookupError):  # the group has already exited
            os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            logger.warning("PDF server %s ignored SIGTERM", self.address)
        with contextlib.suppress(ProcessLookupError):  # the group has already exited
            os.killpg(group, signal.SIGKILL)
        self.process.wait()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    addresses = warm_addresses()
    problem = "UNOSERVER_URL is empty" if not addresses else missing_prerequisite()
    if problem:
        # Stay up: honcho ends every process of `make run` as soon as one of them exits.
        logger.error("No warm PDF server: %s. Documents are converted one-shot.", problem)
        stop.wait()
        return 0
    with tempfile.TemporaryDirectory(prefix="avtaleflyt-unoserver-") as workdir:
        servers = [WarmServer(address, Path(workdir)) for address in addresses]
        threads = [threading.Thread(target=s.run, args=(stop,), daemon=True) for s in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(POLL_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
