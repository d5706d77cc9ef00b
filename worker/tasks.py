"""Celery tasks: thin wrappers that call a service and record the outcome."""

import logging

from celery import shared_task
from viewflow.workflow.timers import fire_due_timers

from .health import do_record_heartbeat

logger = logging.getLogger(__name__)


@shared_task(name="worker.fire_due_timers")
def fire_workflow_timers() -> int:
    """Fire viewflow's due Timer/OnTimeout nodes; they fire only when this runs."""
    fired = fire_due_timers()
    if fired:
        logger.info("fired %s workflow timers", fired)
    return fired or 0


@shared_task(name="worker.heartbeat")
def heartbeat() -> None:
    """Prove a worker is alive and consuming; ``/health/`` reads the time."""
    do_record_heartbeat()
