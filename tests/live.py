"""Real background processes for tests: a Celery worker (and beat) on the test database and Redis."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def process_env(**extra) -> dict:
    """The environment for a child process: the same settings, pointed at the test database."""
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )
    if not env.get("CELERY_BROKER_URL", "").startswith("redis://"):
        raise RuntimeError("CELERY_BROKER_URL must point at Redis for live worker tests")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def wait_for(predicate, timeout=60.0, interval=0.2, what="condition"):
    """Poll until ``predicate()`` is truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@contextmanager
def celery_process(kind: str, log_path: Path, *args, **env_extra):
    """Run ``celery -A project <kind>`` until the block ends; its log goes to ``log_path``."""
    command = [sys.executable, "-m", "celery", "-A", "project", kind, "--loglevel=INFO", *args]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=process_env(**env_extra), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
