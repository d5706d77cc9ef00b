"""Real parts for the reminder tests: an SMTP sink (aiosmtpd) and a live Celery worker on Redis.

The worker is a subprocess (``celery -A project worker``) pointed at pytest-django's test
database and at the sink; tests that use it are ``transaction=True`` so it sees committed rows.
A missing service fails the test with a one-line reason; nothing is skipped.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from project.celery import app as celery_app
from tests.live import wait_for
from worker.tasks import send_reminder_digest

ROOT = Path(__file__).resolve().parents[2]


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
        """Hand a recipient's digest to this worker (its own queue) by hand."""
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
def reminder_worker(django_db_setup, django_db_blocker, smtp_sink):
    worker = LiveWorker(smtp_sink.port)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def live_worker(reminder_worker):
    """The live worker, with the digests the sweep queues routed to its queue during the test."""
    # The Django-namespaced key: a plain ``task_default_queue`` is shadowed by the CELERY_ one.
    previous = celery_app.conf.task_default_queue
    celery_app.conf.update(CELERY_TASK_DEFAULT_QUEUE=reminder_worker.queue)
    try:
        yield reminder_worker
    finally:
        celery_app.conf.update(CELERY_TASK_DEFAULT_QUEUE=previous)
        _wait_until_idle(reminder_worker)


def _wait_until_idle(worker):
    """Revoke the test's waiting retries and let running tasks end: the flush after the test
    truncates every table, and a task holding row locks meanwhile deadlocks with it."""
    inspector = celery_app.control.inspect([worker.name], timeout=1.0)
    scheduled = inspector.scheduled() or {}
    waiting = [t["request"]["id"] for tasks in scheduled.values() for t in tasks]
    if waiting:
        celery_app.control.revoke(waiting)

    def idle():
        busy = [inspector.active(), inspector.reserved()]
        # No reply: the worker was killed by the test; nothing of it runs.
        return all(not any((replies or {}).values()) for replies in busy)

    wait_for(idle, 60, "the live worker to finish the test's tasks", interval=0.5)


@pytest.fixture
def sink(smtp_sink, settings):
    """The session's SMTP sink, emptied; in-process sends go to it too (over SMTP)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    smtp_sink.handler.reset()
    smtp_sink.clear()
    if smtp_sink.controller is None:
        smtp_sink.start()
    yield smtp_sink
    smtp_sink.handler.release()
