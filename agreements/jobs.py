"""Work that agreements hands to the Celery workers: rendering a document, sending a reminder
digest.

One mechanism for every job: ``current_app.send_task(name, args)`` once the transaction commits.
By name, because the tasks live in ``worker/``, which builds on agreements and may not be
imported from here; after commit, so a worker never looks for rows that are not yet visible or
were rolled back. ``robust``: with the broker down the request still succeeds and the rows stay
unsent; the beat's re-enqueue jobs (``worker.requeue_pending_documents``,
``worker.requeue_stale_reminders``) hand them out again once it is back.
"""

from celery import current_app
from django.db import transaction

# The Celery tasks (worker/tasks.py registers them under these names).
GENERATE_DOCUMENT = "worker.generate_document"
SEND_REMINDER_DIGEST = "worker.send_reminder_digest"
SEND_REMINDER_DIGESTS = "worker.send_reminder_digests"


def enqueue_after_commit(task_name: str, *args) -> None:
    """Send the task ``task_name`` with ``args`` to the workers once the transaction commits."""

    # A plain function, not a ``functools.partial``: a robust hook that fails is logged by its
    # ``__qualname__``, which a partial lacks (the log call itself would then raise).
    def send():
        current_app.send_task(task_name, args=list(args))

    transaction.on_commit(send, robust=True)
