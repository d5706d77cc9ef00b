"""The Celery application and its beat schedule. The tasks live in ``worker/``."""

import os

from celery import Celery
from celery.signals import task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

app = Celery("avtaleflyt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["worker"])


def beat_schedule(settings) -> dict:
    """What one beat process runs periodically; the intervals come from settings (environment).

    Running two beats by mistake is harmless for reminders: the sweep's ledger rows are unique and
    the send task sends only rows it holds locked (see ``agreements.reminders``).
    """
    return {
        "fire-workflow-timers": {
            "task": "worker.fire_due_timers",
            "schedule": settings.WORKFLOW_TIMERS_EVERY,
        },
        "worker-heartbeat": {"task": "worker.heartbeat", "schedule": 30.0},
        "sweep-reminders": {
            "task": "worker.sweep_reminders",
            "schedule": settings.REMINDER_SWEEP_EVERY,
        },
        "requeue-stale-reminders": {
            "task": "worker.requeue_stale_reminders",
            "schedule": settings.REQUEUE_EVERY,
        },
        "requeue-pending-documents": {
            "task": "worker.requeue_pending_documents",
            "schedule": settings.REQUEUE_EVERY,
        },
        # Signed agreements become active on their start date, ended ones after their end date.
        "start-due-agreements": {
            "task": "worker.start_due_agreements",
            "schedule": settings.AGREEMENT_DATES_EVERY,
        },
        "end-due-agreements": {
            "task": "worker.end_due_agreements",
            "schedule": settings.AGREEMENT_DATES_EVERY,
        },
    }


@app.on_after_configure.connect
def _add_beat_schedule(sender, **kwargs):
    # Once Django's settings are loaded into the app's configuration, not at import: this module
    # is imported while project.settings is still being read.
    from django.conf import settings

    sender.conf.beat_schedule = beat_schedule(settings)


@task_prerun.connect
def _check_database_connections(**kwargs):
    """Workers keep their database connection between tasks (``CELERY_DB_REUSE_MAX``). One that
    died since the last task (the server restarted, the network dropped) must not fail the next
    task: Django pings it before the task's first query (``CONN_HEALTH_CHECKS``, one round trip
    per task) and opens a new one if the ping fails."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            connection.health_check_done = False


@worker_init.connect
def _warm_up(**kwargs):
    """Before the worker takes tasks, and before prefork starts its pool processes (they inherit
    it): what the first reminder digest would otherwise load inside its task."""
    from django.utils import timezone

    from agreements.reminders.digests import warm_up

    warm_up(timezone.now())
