"""Use cases on the agreement workflow: open an agreement with its flow, claim, release and
complete a task, and go on once the document to sign is ready; with the ``may_*`` predicates a
task page uses to decide what it offers.

Every change to a task runs under the flow's process lock (``select_for_update`` on the process
row) and re-checks the same predicate inside it, so of two people acting on one task at the same
moment exactly one succeeds and the other gets ``TaskUnavailable`` with a message to show.
"""

import logging
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from agreements import (
    approval_binding,
    deadlines,
    lifecycle,
    locking,
    permissions,
    signing,
    step_writes,
)
from agreements.logging_context import log_context
from agreements.models import Agreement, AuditEvent, DocumentVersion, User

from . import task_lock
from .flows import AgreementFlow
from .inbox import agreement_of, agreement_tasks
from .nodes import AgreementTask

logger = logging.getLogger(__name__)


class TaskUnavailable(Exception):
    """The task cannot be done by this user now; ``str(exc)`` is a message for them."""


def may_do_task(user: User, task: Task) -> bool:
    """``user`` may fill in and complete ``task`` now (it is assigned, and to them or to the
    person they stand in for)."""
    flow_task = task.flow_task
    return (
        isinstance(flow_task, AgreementTask)
        and task.status == STATUS.ASSIGNED
        and flow_task.can_execute(user, task)
    )


def may_claim_task(user: User, task: Task) -> bool:
    """``task`` is unclaimed and ``user`` holds its role in its party and passes its guard."""
    return task.status == STATUS.NEW and task.flow_task.can_assign(user, task)


def may_release_task(user: User, task: Task) -> bool:
    """``user`` may put the assigned ``task`` back in the queue (never a draft)."""
    return task.status == STATUS.ASSIGNED and task.flow_task.can_unassign(user, task)


def explain_unavailable(user: User, task: Task) -> str:
    """Why ``user`` cannot do ``task`` now, in words for them."""
    if task.status == STATUS.DONE:
        who = task.owner if task.owner_id else None
        if who and who.pk != user.pk:
            return _("Oppgaven er allerede fullført av %(who)s.") % {"who": who}
        return _("Oppgaven er allerede fullført.")
    if task.status == STATUS.CANCELED:
        return _("Oppgaven er avbrutt.")
    if task.owner_id and task.owner_id != user.pk:
        return _("Oppgaven er tatt av %(who)s.") % {"who": task.owner}
    return _("Du kan ikke utføre denne oppgaven.")


def _busy() -> TaskUnavailable:
    return TaskUnavailable(_("Oppgaven er opptatt akkurat nå. Prøv igjen om litt."))


@transaction.atomic
def do_open_agreement(actor: User, **fields) -> Agreement:
    """Create a draft agreement (``lifecycle.do_create_agreement`` takes ``fields``) and start its
    workflow, in one transaction: the draft lands in the owner's inbox, or nothing is stored.

    Raises what ``do_create_agreement`` raises (``PermissionDenied``, ``ValidationError``).
    """
    agreement = lifecycle.do_create_agreement(actor, **fields)
    AgreementFlow.start.run(agreement=agreement)
    return agreement


@contextmanager
def _activation(task: Task, actor: User, *, lock_agreement: bool = False):
    """``task.activation()`` with what every claim, release and completion reads loaded in one
    statement that also takes the flow's process lock (``task_lock``): the task with its
    process, agreement, parties, manager and drafters. With ``lock_agreement`` that statement
    also takes the agreement's row lock, and the use cases then act on that instance
    (``agreements.locking``) instead of re-reading it.
    """
    with task_lock.locked_task(task, lock_agreement=lock_agreement, actor=actor) as (
        fresh,
        process,
    ):
        for field in Task._meta.concrete_fields:  # as refresh_from_db() does
            setattr(task, field.attname, getattr(fresh, field.attname))
        task.process = process
        try:
            with locking.holding(process.agreement, row_locked=lock_agreement):
                permissions.keep_drafters(
                    process.agreement, getattr(process, "submitter_ids", None)
                )
                yield task.flow_task.activation_class(task)
        except BaseException:
            # What the failed step changed in memory is rolled back in the database: whoever
            # shows the task again reads its process and agreement afresh.
            if Task.process.field.is_cached(task):
                Task.process.field.delete_cached_value(task)
            raise


def do_claim_task(user: User, task: Task) -> None:
    try:
        with _activation(task, user) as activation, step_writes.deferred():
            if not may_claim_task(user, task):
                raise TaskUnavailable(explain_unavailable(user, task))
            activation.assign(user)
            deadlines.do_set_task_assignee(task.pk, user)
            lifecycle.record_task_event(
                user, agreement_of(task), AuditEvent.Action.TASK_CLAIMED, str(task.flow_task)
            )
    except FlowLockFailed:
        raise _busy() from None


def do_release_task(user: User, task: Task) -> None:
    try:
        with _activation(task, user) as activation, step_writes.deferred():
            if not may_release_task(user, task):
                raise TaskUnavailable(_("Du kan ikke legge tilbake denne oppgaven."))
            activation.unassign()
            deadlines.do_set_task_assignee(task.pk, None)
            lifecycle.record_task_event(
                user, agreement_of(task), AuditEvent.Action.TASK_RELEASED, str(task.flow_task)
            )
    except FlowLockFailed:
        raise _busy() from None


def do_complete_task(user: User, task: Task, data: dict) -> None:
    """Run the task's step with ``data`` (a valid form's cleaned data) and move the flow on, all
    in one transaction.

    Raises ``TaskUnavailable`` when someone else got there first or the user may not do it, and
    lets ``ValidationError``/``PermissionDenied`` from the step through; either way nothing is
    written.
    """
    flow_task = task.flow_task
    if not isinstance(flow_task, AgreementTask):
        raise TaskUnavailable(_("Du kan ikke utføre denne oppgaven."))
    try:
        with (
            log_context(agreement=agreement_of(task).reference, task=task.pk),
            _activation(task, user, lock_agreement=True) as activation,
            # The rows nothing in the step reads back, written in one statement at its end.
            step_writes.deferred(),
        ):
            if not may_do_task(user, task):
                raise TaskUnavailable(explain_unavailable(user, task))
            activation.start(None)
            flow_task.step.perform(user, agreement_of(task), data, task.pk)
            activation.execute()
            logger.info("task %s completed by %s", flow_task.name, user)
            # In the same transaction: a finished task is never reminded of again.
            deadlines.do_close_task_deadline(task.pk)
    except FlowLockFailed:
        raise _busy() from None


def do_resume_after_document(agreement_id: int) -> int:
    """Complete the flow's wait for the document to sign once a generated version is ready.

    Called by the worker after rendering. Returns how many waits it completed (0 when the flow
    is not waiting, e.g. a version legal staff made by hand, or a second delivery of the job).
    """
    if DocumentVersion.objects.signable_for(agreement_id) is None:
        return 0
    waiting = agreement_tasks().filter(
        process__agreementprocess__agreement_id=agreement_id,
        flow_task=AgreementFlow.await_document,
        status=STATUS.NEW,
    )
    completed = 0
    for task in waiting:
        try:
            AgreementFlow.await_document.run(task)
        except TransitionNotAllowed:
            # Completed by a concurrent run between our query and its lock: nothing to do.
            continue
        completed += 1
    return completed


def do_reopen_approval_if_superseded(agreement_id: int) -> bool:
    """Send the agreement back to approval when a version ordered after the approval is ready
    before anyone has signed (``approval_binding.superseding_version``): the status goes back
    through ``lifecycle``, the signing tasks and waits are cancelled with their deadlines, and
    the flow's watch for a newer document completes, which opens a new approval task.

    Called by the worker after a version is ready. Returns whether it sent the agreement back
    (False too when a concurrent run did it first).
    """
    watch = (
        agreement_tasks()
        .filter(
            process__agreementprocess__agreement_id=agreement_id,
            flow_task=AgreementFlow.watch_document,
            status=STATUS.NEW,
        )
        .first()
    )
    if watch is None:
        return False
    with transaction.atomic(), AgreementFlow.lock(watch.process_id):
        watch.refresh_from_db()
        agreement = agreement_of(watch)
        version = approval_binding.superseding_version(agreement)
        if watch.status != STATUS.NEW or version is None:
            return False
        lifecycle.do_reopen_approval(agreement, approval_binding.reopen_message(version))
        signing.do_revoke_signing_requests(agreement)
        signing_tasks = Task.objects.filter(process_id=watch.process_id, finished__isnull=True)
        for task in signing_tasks.exclude(pk=watch.pk):
            task.flow_task.activation_class(task).cancel()
            deadlines.do_close_task_deadline(task.pk)
        AgreementFlow.watch_document.run(watch)
    logger.info("agreement %s back to approval after version %s", agreement_id, version.number)
    return True
