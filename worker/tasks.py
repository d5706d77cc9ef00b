"""Celery tasks: thin wrappers that call a service and record the outcome."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from agreements import documents, ending, reminders, signing
from agreements.jobs import GENERATE_DOCUMENT, SEND_REMINDER_DIGEST, SEND_REMINDER_DIGESTS
from agreements.models import DocumentVersion
from docs_templates import generation
from workflows import actions as workflow_actions

from .health import do_record_heartbeat

logger = logging.getLogger(__name__)
# Seconds before a digest refused within a batch is tried again on its own.
RETRY_FIRST_DELAY = 2


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


class ReminderSendFailed(Exception):
    """The SMTP server was unreachable or answered 4xx; the rows are failed and retried."""


@shared_task(name="worker.sweep_reminders")
def sweep_reminders() -> int:
    """Write the reminders due now; each recipient's digest is sent by its own task."""
    result = reminders.do_sweep_reminders(timezone.now())
    return result.deliveries


@shared_task(
    name=SEND_REMINDER_DIGEST,
    autoretry_for=(ReminderSendFailed,),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    # The ledger counts attempts and marks the rows dead at the limit; this only stops the task.
    max_retries=settings.REMINDER_MAX_ATTEMPTS,
)
def send_reminder_digest(recipient_id: int) -> int:
    # Only a transient refusal retries now: bounced, unknown and undeliverable do not.
    outcome = reminders.do_send_waiting_digests(recipient_id)
    if outcome.retry:
        raise ReminderSendFailed(outcome.error)
    return outcome.sent


@shared_task(name=SEND_REMINDER_DIGESTS)
def send_reminder_digests(recipient_ids: list[int]) -> int:
    """The sweep's batch: one digest per recipient on one SMTP connection. A recipient whose
    digest met a transient refusal is handed to the per-recipient task, which backs off."""
    outcome = reminders.do_send_digest_batch(recipient_ids)
    for recipient_id in outcome.retry_recipient_ids:
        send_reminder_digest.apply_async((recipient_id,), countdown=RETRY_FIRST_DELAY)
    return outcome.sent


@shared_task(name="worker.requeue_stale_reminders")
def requeue_stale_reminders() -> int:
    """Re-enqueue recipients whose reminders a dead worker or a lost retry left unsent."""
    return len(reminders.do_requeue_stale_deliveries(timezone.now()))


@shared_task(
    name=GENERATE_DOCUMENT, autoretry_for=(OperationalError,), max_retries=5, retry_backoff=True
)
def generate_document(version_id: int, pdf: bool = True) -> str:
    """Render document version ``version_id``; then let a flow waiting for it go on to signing,
    send the agreement back to approval if the version replaced the approved one, and replace
    signing links sent for an older version. A draft (UTKAST) changes nothing in the flow."""
    version = generation.do_render_document(version_id, pdf=pdf)
    if version.status == DocumentVersion.Status.READY and not version.is_draft:
        workflow_actions.do_resume_after_document(version.agreement_id)
        # A version ordered after the approval voids it before the links are renewed.
        workflow_actions.do_reopen_approval_if_superseded(version.agreement_id)
        signing.do_renew_signing_requests(version.agreement_id)
    return version.status


@shared_task(name="worker.requeue_pending_documents")
def requeue_pending_documents() -> int:
    """Send documents still pending to the workers again (a job lost while the broker was down)."""
    ids = documents.pending_document_ids(timezone.now(), settings.DOCUMENT_REQUEUE_AFTER_SECONDS)
    for version_id in ids:
        generate_document.delay(version_id)
    return len(ids)


@shared_task(name="worker.start_due_agreements")
def start_due_agreements() -> list[str]:
    """Signed agreements whose start date has come become active (each once, audited)."""
    return ending.do_start_due_agreements(timezone.localdate())


@shared_task(name="worker.end_due_agreements")
def end_due_agreements() -> list[str]:
    """Agreements in force or terminated whose end date has passed become ended."""
    return ending.do_end_due_agreements(timezone.localdate())
