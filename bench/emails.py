"""``python -m bench.emails``: digests per second delivered over SMTP by 2 Celery workers.

Writes 1,000 pending deliveries for 1,000 recipients (one digest each), starts two
``celery worker`` processes (one pool process each) on Redis, hands the recipients to the batch
send task as the sweep does (``REMINDER_SEND_BATCH`` per task) and times until every row is
sent; the SMTP server is an aiosmtpd sink in this process.
Needs CELERY_BROKER_URL=redis://...
"""

import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from .setup import django_on_bench_database, machine, owner_and_agreement, sized

ROOT = Path(__file__).resolve().parents[1]
RECIPIENTS = sized(1_000, 20)


class CountingHandler:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main():
    from aiosmtpd.controller import Controller

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

    # The sink shares this machine's CPUs with the workers; its per-command log would cost more
    # than the sending it measures.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = CountingHandler()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Controller(handler, hostname="127.0.0.1", port=port)
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
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)
        sink.stop()
    print(
        f"emails: {handler.count:,} digests by 2 workers in {elapsed:.1f} s = "
        f"{handler.count / elapsed:.0f} emails/s"
    )
    print(f"machine: {machine()}")
    return handler.count / elapsed


if __name__ == "__main__":
    main()
