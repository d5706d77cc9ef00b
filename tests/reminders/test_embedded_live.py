"""The reminder story on the embedded default: a SQLite file and the filesystem broker.

Web, beat and a worker with several pool processes all write one SQLite file. The beat sweeps
every two seconds and requeues every three; the worker sends over real SMTP. A "database is
locked" error that made a sender retry after its message had gone out would show as a second
message to the same person: each owner must get exactly one.

The pytest database is PostgreSQL, so everything here runs in subprocesses against a file of
its own: ``manage.py migrate``, a ``manage.py shell`` script that writes overdue drafts, then
``celery worker`` and ``celery beat``.
"""

import contextlib
import sqlite3
import subprocess
import sys
import time
from collections import Counter

from tests.live import ROOT, celery_process, embedded_env, wait_for

OWNERS = 8

# Drafts opened 30 days ago are long overdue: every reminder rule has a moment in the past, so
# the first sweep writes several rows per owner, which must go out as one digest each.
WRITE_DUE_DRAFTS = f"""
from datetime import timedelta
import time_machine
from django.utils import timezone
from agreements.models import Organisation
from agreements.roles import Role
from tests.factories import make_agreement, make_user

unn, hnikt = Organisation.objects.get(code="UNN"), Organisation.objects.get(code="HNIKT")
with time_machine.travel(timezone.now() - timedelta(days=30), tick=False):
    for i in range({OWNERS}):
        owner = make_user(f"owner{{i:02}}", unn, Role.CONTRACT_OWNER)
        make_agreement(owner, unn, hnikt, target_date=None)
"""


def _manage(env, *args, timeout=300):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}"


def _deliveries(db_path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path, timeout=20) as db:
        return db.execute(
            "SELECT d.status, u.email FROM agreements_reminderdelivery d "
            "JOIN agreements_user u ON u.id = d.recipient_id"
        ).fetchall()


def _all_sent(db_path, _logs) -> bool:
    rows = _deliveries(db_path)
    return bool(rows) and all(status == "sent" for status, _ in rows)


def _run_the_story(tmp_path, sink, until=_all_sent, patience=180, **settings) -> dict:
    """Migrate, write the overdue drafts, run worker and beat until ``until(db_path, logs)``
    holds (or ``patience`` seconds pass), then two more sweeps; what was stored, sent and
    logged."""
    env = embedded_env(
        tmp_path,
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        EMAIL_TIMEOUT=10,
        REMINDER_SWEEP_EVERY=2,
        REQUEUE_EVERY=3,
        # One send task per owner, so the three pool processes write the one file at once (a
        # batch of all eight would be sent by one process, one digest after another).
        REMINDER_SEND_BATCH=1,
        **settings,
    )
    db_path = tmp_path / "db.sqlite3"
    _manage(env, "migrate", "--noinput")
    _manage(env, "shell", "-c", WRITE_DUE_DRAFTS)
    with sqlite3.connect(db_path) as db:
        journal_mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    with (
        celery_process("worker", worker_log, "--concurrency=3", "--without-gossip", env=env),
        celery_process("beat", beat_log, "--schedule", str(tmp_path / "beat-schedule"), env=env),
    ):

        def logs():
            return worker_log.read_text() + beat_log.read_text()

        # Not reaching ``until`` in time is no failure here: each test asserts what happened.
        with contextlib.suppress(AssertionError):
            wait_for(lambda: until(db_path, logs()), patience, "the story to play out", 1)
        # Two more sweeps and requeues run meanwhile; none may send anything again.
        time.sleep(6)
    return {
        "journal_mode": journal_mode,
        "rows": _deliveries(db_path),
        "per_recipient": Counter(recipients[0] for recipients, _ in sink.messages),
        "logs": worker_log.read_text() + beat_log.read_text(),
    }


def test_each_digest_is_sent_once_from_sqlite_and_the_filesystem_broker(tmp_path, sink):
    story = _run_the_story(tmp_path, sink)
    assert story["journal_mode"] == "wal"
    rows = story["rows"]
    owners = {email for _, email in rows}
    assert len(owners) == OWNERS
    assert len(rows) > OWNERS, "each owner should have several reminders in one digest"
    assert {status for status, _ in rows} == {"sent"}
    assert story["per_recipient"] == dict.fromkeys(owners, 1)
    assert "database is locked" not in story["logs"]
