"""``python -m bench.emails``: digests per second delivered over SMTP by 2 Celery workers.

Writes 1,000 pending deliveries for 1,000 recipients (one digest each), starts two
``celery worker`` processes (one pool process each) on Redis, hands the recipients to the batch
send task as the sweep does (``REMINDER_SEND_BATCH`` per task) and times until every row is
sent; the SMTP server is a lean sink in this process (``bench.sink``: real SMTP, every byte
received). Then checks that every ledger row arrived in exactly one message, under the Message-ID
its row holds, and prints the CPU spent per digest by the workers, PostgreSQL and this process
(the sink): on a shared machine these are steadier than the rate.
Needs CELERY_BROKER_URL=redis://...
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from .setup import django_on_bench_database, machine, owner_and_agreement, sized
from .sink import LeanSink

ROOT = Path(__file__).resolve().parents[1]
RECIPIENTS = sized(1_000, 20)
_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of process ``pid`` so far (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _with_children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [pid, *(int(child) for child in f.read().split())]
    except OSError:
        return [pid]


def _backends(connection) -> dict[int, float]:
    """CPU so far of each PostgreSQL backend connected to this database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {pid: _cpu_seconds(pid) for (pid,) in cursor.fetchall()}


def _check_each_arrived_once(sink) -> None:
    """Every ledger row in exactly one received message, under the Message-ID it holds."""
    from agreements.models import ReminderDelivery

    held = dict(ReminderDelivery.objects.values_list("pk", "message_id"))
    carried = [(message_id, pk) for message_id, pks in sink.messages for pk in pks]
    if sorted(pk for _, pk in carried) != sorted(held):
        sys.exit("bench.emails: some reminder did not arrive exactly once")
    if any(held[pk] != message_id for message_id, pk in carried):
        sys.exit("bench.emails: a message arrived under another Message-ID than its rows hold")


def main():
    database_url = django_on_bench_database()
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        sys.exit("bench.emails: set CELERY_BROKER_URL=redis://...")
    from django.conf import settings
    from django.db import connection

    from agreements.models import Deadline, ReminderDelivery, ReminderRule, User
    from agreements.models.deadlines import due_moment
    from worker.tasks import send_reminder_digests

    ReminderDelivery.objects.all().delete()
    Deadline.objects.all().delete()
    owner, agreement = (
        owner_and_agreement()
        if not User.objects.filter(username="bench-owner").exists()
        else (User.objects.get(username="bench-owner"), None)
    )
    from agreements.models import Agreement

    agreement = agreement or Agreement.objects.get(reference="BENCH-0001")
    users = User.objects.bulk_create(
        User(username=f"bench-{i:04}", email=f"bench-{i:04}@bench.example")
        for i in range(RECIPIENTS)
    )
    rule = ReminderRule.objects.filter(deadline_kind="task_due", offset=0).first()
    deadlines = Deadline.objects.bulk_create(
        Deadline(
            agreement=agreement,
            kind="task_due",
            task_id=i,
            title="Bench",
            assignee=u,
            due_date=date(2026, 12, 1),
            due_at=due_moment(date(2026, 12, 1)),
            scheduled_from=due_moment(date(2026, 11, 1)),
        )
        for i, u in enumerate(users, start=1)
    )
    ReminderDelivery.objects.bulk_create(
        ReminderDelivery(deadline=d, rule=rule, occurrence="2026-12-01", addressee=u, recipient=u)
        for d, u in zip(deadlines, users, strict=True)
    )
    connection.close()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = LeanSink(port)
    sink.start()
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "project",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{queue}-{n}@localhost",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for n in range(2)
    ]
    try:
        from project.celery import app

        deadline = time.monotonic() + 60
        while (
            len(
                app.control.ping(
                    destination=[f"{queue}-{n}@localhost" for n in range(2)], timeout=1.0
                )
            )
            < 2
        ):
            if time.monotonic() > deadline:
                sys.exit("bench.emails: the workers did not start")
        backends_before = _backends(connection)
        workers_before = sum(_cpu_seconds(p) for w in workers for p in _with_children(w.pid))
        own_before = time.process_time()
        start = time.perf_counter()
        # As the sweep hands them out: REMINDER_SEND_BATCH recipients per task.
        ids, size = [u.pk for u in users], settings.REMINDER_SEND_BATCH
        for first in range(0, len(ids), size):
            send_reminder_digests.apply_async((ids[first : first + size],), queue=queue)
        pending = ReminderDelivery.objects.exclude(status="sent")
        while pending.exists():
            if time.perf_counter() - start > 600:
                sys.exit("bench.emails: not all sent in 10 minutes")
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        own_cpu = time.process_time() - own_before
        worker_cpu = (
            sum(_cpu_seconds(p) for w in workers for p in _with_children(w.pid)) - workers_before
        )
        database_cpu = sum(
            cpu - backends_before.get(pid, 0.0) for pid, cpu in _backends(connection).items()
        )
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)
        sink.stop()
    _check_each_arrived_once(sink)
    count = len(sink.messages)
    print(
        f"emails: {count:,} digests by 2 workers in {elapsed:.1f} s = {count / elapsed:.0f} emails/s"
        " (each reminder arrived once, under its Message-ID)"
    )
    print(
        f"CPU per digest: workers {worker_cpu / count * 1000:.2f} ms, PostgreSQL "
        f"{database_cpu / count * 1000:.2f} ms, this process (sink, polling) "
        f"{own_cpu / count * 1000:.2f} ms"
    )
    print(f"machine: {machine()}")
    return count / elapsed


if __name__ == "__main__":
    main()
