"""Redis stopped while people work: pages keep working, and the document job and the reminders
that could not be queued are done, each exactly once, when Redis is back.

Everything runs as in production, in its own process: gunicorn, a Celery worker and Celery beat,
all on a Redis server of this test's own (so stopping it disturbs nothing else), PostgreSQL, and
a real SMTP sink.
"""

from datetime import timedelta

import pytest
from django.conf import global_settings
from django.utils import timezone

from agreements.dates import default_calendar
from agreements.models import Deadline, DocumentVersion, ReminderDelivery
from agreements.models.deadlines import due_moment
from tests.factories import PASSWORD, make_agreement
from tests.live import (
    PrivateRedis,
    answers,
    celery_process,
    csrf_post,
    free_port,
    http_login,
    wait_for,
    web_process,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


def last_working_day_before_today():
    calendar = default_calendar()
    day = timezone.localdate() - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def make_task_deadline_due(agreement):
    """Put the draft task's deadline in the past, so a sweep now owes its owner reminders."""
    due = last_working_day_before_today()
    Deadline.objects.filter(agreement=agreement, kind=Deadline.Kind.TASK_DUE).update(
        due_date=due,
        due_at=due_moment(due),
        scheduled_from=timezone.now() - timedelta(days=30),
        next_reminder_at=timezone.now() - timedelta(minutes=1),
    )


def test_it_keeps_pages_working_and_catches_up_once_redis_is_back(
    tmp_path, personas, orgs, smtp_sink, settings
):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # as the web process checks
    for name in ("alice", "lars"):
        personas[name].set_password(PASSWORD)
        personas[name].save()
    reminded = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="Påminnes")
    documented = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="Dokument")
    make_task_deadline_due(reminded)
    smtp_sink.clear()

    redis = PrivateRedis(tmp_path)
    redis.start()
    env = {
        "CELERY_BROKER_URL": redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REMINDER_HOUR": "0",
        "REMINDER_SWEEP_EVERY": "2",
        "REQUEUE_EVERY": "2",
        "DOCUMENT_REQUEUE_AFTER_SECONDS": "3",
        "CELERY_TASK_DEFAULT_QUEUE": "celery",
    }
    try:
        with (
            web_process(tmp_path / "web.log", free_port(), **env) as base,
            celery_process("worker", tmp_path / "worker.log", "--pool=solo", **env),
        ):
            wait_for(lambda: answers(base), timeout=60, what="gunicorn to answer")
            lars = http_login(base, "lars", PASSWORD)

            redis.stop()
            # People keep working: pages answer and an order for a document is taken.
            for path in ["/", "/queue/", "/agreements/", f"/agreements/{documented.reference}/"]:
                assert lars.get(f"{base}{path}", timeout=30).status_code == 200, path
            response = csrf_post(
                lars, f"{base}/agreements/{documented.reference}/documents/generate/"
            )
            assert response.status_code == 302
            page = lars.get(f"{base}/agreements/{documented.reference}/", timeout=30)
            assert "lages nå" in page.text
            version = DocumentVersion.objects.get(agreement=documented)
            assert version.status == DocumentVersion.Status.PENDING

            with celery_process(
                "beat",
                tmp_path / "beat.log",
                "--schedule",
                str(tmp_path / "beat-schedule"),
                **env,
            ):
                # Nothing can be queued while Redis is down, so nothing is done.
                assert not smtp_sink.messages
                redis.start()
                wait_for(
                    lambda: DocumentVersion.objects.get(pk=version.pk).status == "ready",
                    timeout=120,
                    what="the document ordered during the outage",
                )
                wait_for(
                    lambda: (
                        ReminderDelivery.objects.filter(deadline__agreement=reminded).exists()
                        and not ReminderDelivery.objects.filter(deadline__agreement=reminded)
                        .exclude(status="sent")
                        .exists()
                    ),
                    timeout=120,
                    what="the reminders owed during the outage to be sent",
                )
    finally:
        redis.stop()

    assert DocumentVersion.objects.filter(agreement=documented).count() == 1
    deliveries = set(
        ReminderDelivery.objects.filter(deadline__agreement=reminded).values_list("pk", flat=True)
    )
    counts = smtp_sink.delivery_counts()
    assert {pk: counts.get(pk, 0) for pk in deliveries} == dict.fromkeys(deliveries, 1)
    recipients = {rcpt for rcpts, _ in smtp_sink.messages for rcpt in rcpts}
    assert personas["alice"].email in recipients
