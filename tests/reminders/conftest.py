"""Real parts for the reminder tests: an SMTP sink (aiosmtpd) and a live Celery worker on Redis.

The worker is a subprocess (``celery -A project worker``) pointed at pytest-django's test
database and at the sink; tests that use it are ``transaction=True`` so it sees committed rows.
A missing service fails the test with a one-line reason; nothing is skipped.
"""

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from project.celery import app as celery_app
from worker.tasks import send_reminder_digest

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout=60.0, what="condition"):
    """Poll ``predicate`` until it returns a truthy value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SinkHandler:
    """Keeps every accepted message. ``hold_at(n)`` makes the n-th message wait (unaccepted)
    until ``release()``, so a test can kill the sender while it is mid-SMTP."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self._hold_at = None
        self.holding = threading.Event()
        self._release = threading.Event()
        self._seen = 0

    def hold_at(self, n: int):
        self._hold_at, self._seen = n, 0
        self.holding.clear()
        self._release.clear()

    def release(self):
        self._release.set()

    async def handle_DATA(self, server, session, envelope):
        self._seen += 1
        if self._hold_at is not None and self._seen == self._hold_at:
            self.holding.set()
            # Blocks the sink's event loop on purpose: nothing else is accepted meanwhile.
            self._release.wait(timeout=60)
            self._hold_at = None
            return "451 4.3.0 Sender went away, not accepted"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


class SmtpSink:
    def __init__(self):
        self.port = free_port()
        self.handler = SinkHandler()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def clear(self):
        with self.handler.lock:
            self.handler.messages.clear()

    def delivery_counts(self) -> dict[int, int]:
        """How many received messages carried each reminder delivery id."""
        counts: dict[int, int] = {}
        for _, message in self.messages:
            for part in (message["X-Avtaleflyt-Reminders"] or "").split(","):
                if part:
                    counts[int(part)] = counts.get(int(part), 0) + 1
        return counts


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("the reminder tests need PostgreSQL: set DATABASE_URL=postgres://...")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class LiveWorker:
    """A ``celery worker`` subprocess on its own queue, started and killed by the tests."""

    def __init__(self, smtp_port: int):
        broker = os.environ.get("CELERY_BROKER_URL", "")
        if not broker.startswith("redis://"):
            pytest.fail("the live-worker tests need Redis: set CELERY_BROKER_URL=redis://...")
        self.queue = f"reminders-test-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SITE_URL": settings.SITE_URL,
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,
            "SECURE_SSL_REDIRECT": "false",
            "EMAIL_TIMEOUT": "10",
            "LOG_LEVEL": "WARNING",
        }
        self.process = None
        self.log = ROOT / "var" / f"{self.queue}.log"

    def start(self):
        self.name = f"{self.queue}-{uuid.uuid4().hex[:4]}@localhost"
        self.log.parent.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "project",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "-Q",
                self.queue,
                "-n",
                self.name,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            reply = celery_app.control.ping(destination=[self.name], timeout=1.0)
        except Exception as exc:  # noqa: BLE001 - a broker that is down must fail with its reason
            pytest.fail(f"cannot reach the Celery broker (Redis): {exc}")
        deadline = time.monotonic() + 60
        while not reply:
            if self.process.poll() is not None:
                pytest.fail(f"the Celery worker exited at start; see {self.log}")
            if time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not answer a ping in 60s; see {self.log}")
            reply = celery_app.control.ping(destination=[self.name], timeout=1.0)

    def enqueue(self, recipient_id: int):
        """Hand a recipient's digest to this worker (its own queue), as the beat task would."""
        send_reminder_digest.apply_async((recipient_id,), queue=self.queue)

    def kill(self):
        """SIGKILL the worker and its pool processes: no cleanup, no acks."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="session")
def live_worker(django_db_setup, django_db_blocker, smtp_sink):
    worker = LiveWorker(smtp_sink.port)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def sink(smtp_sink):
    smtp_sink.clear()
    if smtp_sink.controller is None:
        smtp_sink.start()
    yield smtp_sink
    smtp_sink.handler.release()
