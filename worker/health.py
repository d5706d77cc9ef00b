"""Health of the parts the system needs: the database, the broker, a live worker."""

from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from agreements.models import ReminderDelivery
from workflows.signing import stranded_tasks

from .models import Heartbeat

NEEDS_A_PERSON = [
    ReminderDelivery.Status.BOUNCED,
    ReminderDelivery.Status.DEAD,
    ReminderDelivery.Status.UNDELIVERABLE,
    ReminderDelivery.Status.UNKNOWN,
]

WORKER = "worker"
# The heartbeat task runs every 30 s (the beat schedule in project/celery.py); three missed beats mean no live worker.
HEARTBEAT_STALE_AFTER = timedelta(seconds=90)


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported as text
        return {"ok": False, "error": str(exc)[:200]}


def check_broker() -> dict:
    try:
        # The URL from settings (not the app's cached one), so it is what operators configured.
        with current_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)[:200]}


def check_worker(now=None) -> dict:
    now = now or timezone.now()
    try:
        beat = Heartbeat.objects.filter(name=WORKER).first()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)[:200]}
    if beat is None:
        return {"ok": False, "error": "no heartbeat yet"}
    age = (now - beat.beat_at).total_seconds()
    return {"ok": age <= HEARTBEAT_STALE_AFTER.total_seconds(), "last_beat_seconds_ago": int(age)}


def do_record_heartbeat(now=None) -> None:
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"beat_at": now or timezone.now()})


def check_reminders() -> dict:
    """Reminders that need a person: always ok (the system runs), but counted for operators."""
    try:
        counts = dict(
            ReminderDelivery.objects.filter(status__in=NEEDS_A_PERSON)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)[:200]}
    return {"ok": True, **{status: counts.get(status, 0) for status in NEEDS_A_PERSON}}


def check_stranded_tasks() -> dict:
    """Open tasks nobody can take (their role has no holder in their organisation). Reported,
    not failed on: the site itself is up, and the admin's start page lists them."""
    try:
        count = stranded_tasks().count()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)[:200]}
    return {"ok": True, "tasks_without_candidate": count}


def health_report() -> tuple[bool, dict]:
    checks = {
        "database": check_database(),
        "broker": check_broker(),
        "worker": check_worker(),
        "reminders": check_reminders(),
        "stranded_tasks": check_stranded_tasks(),
    }
    return all(c["ok"] for c in checks.values()), checks
