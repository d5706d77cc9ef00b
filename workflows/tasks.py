"""Use cases on workflow tasks: look one up for a user, claim, release, complete.

Every change runs under the flow's process lock (``select_for_update`` on the process row), and
re-reads the task inside it, so of two people acting on one task at the same moment exactly one
succeeds and the other gets ``TaskUnavailable`` with a message to show.
"""

import logging

from django.http import Http404
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from agreements import lifecycle
from agreements.models import AuditEvent, User
from agreements.permissions import can_see_agreement
from project.logging import log_context

from .flows import AgreementFlow
from .nodes import AgreementTask

logger = logging.getLogger(__name__)


class TaskUnavailable(Exception):
    """The task cannot be done by this user now; ``str(exc)`` is a message for them."""


def agreement_tasks():
    return Task.objects.filter(process__flow_class=AgreementFlow).select_related("process", "owner")


def access_task(user: User, task_pk: int) -> Task:
    """The human task ``task_pk`` if its agreement is visible to ``user``; otherwise ``Http404``."""
    task = agreement_tasks().filter(pk=task_pk, flow_task_type="HUMAN").first()
    if task is None or not can_see_agreement(user, agreement_of(task)):
        raise Http404("No such task")
    return task


def agreement_of(task: Task):
    return task.process.coerced.agreement


def inbox(user: User):
    """Tasks assigned to ``user`` and waiting for them, oldest first."""
    return agreement_tasks().filter(owner=user, status=STATUS.ASSIGNED).order_by("created")


def queue(user: User) -> list[Task]:
    """Unclaimed tasks ``user`` may claim: viewflow's queue, narrowed by each node's guard."""
    candidates = (
        Task.objects.queue([AgreementFlow], user).select_related("process").order_by("created")
    )
    return [task for task in candidates if task.flow_task.can_assign(user, task)]


def archive(user: User):
    return (
        agreement_tasks()
        .filter(owner=user, finished__isnull=False, flow_task_type="HUMAN")
        .order_by("-finished")
    )


def _explain_unavailable(user: User, task: Task) -> str:
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


def do_claim_task(user: User, task: Task) -> None:
    try:
        with task.activation() as activation:
            if task.status != STATUS.NEW or not task.flow_task.can_assign(user, task):
                raise TaskUnavailable(_explain_unavailable(user, task))
            activation.assign(user)
            lifecycle.record_task_event(
                user, agreement_of(task), AuditEvent.Action.TASK_CLAIMED, str(task.flow_task)
            )
    except FlowLockFailed:
        raise TaskUnavailable(_("Oppgaven er opptatt akkurat nå. Prøv igjen om litt.")) from None


def do_release_task(user: User, task: Task) -> None:
    try:
        with task.activation() as activation:
            if task.status != STATUS.ASSIGNED or not task.flow_task.can_unassign(user, task):
                raise TaskUnavailable(_("Du kan ikke legge tilbake denne oppgaven."))
            activation.unassign()
            lifecycle.record_task_event(
                user, agreement_of(task), AuditEvent.Action.TASK_RELEASED, str(task.flow_task)
            )
    except FlowLockFailed:
        raise TaskUnavailable(_("Oppgaven er opptatt akkurat nå. Prøv igjen om litt.")) from None


def do_complete_task(user: User, task: Task, data: dict) -> None:
    """Run the task's step with ``data`` (a valid form's cleaned data) and move the flow on, all in one transaction.

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
            task.activation() as activation,
        ):
            if task.status != STATUS.ASSIGNED or not flow_task.can_execute(user, task):
                raise TaskUnavailable(_explain_unavailable(user, task))
            activation.start(None)
            flow_task.step.perform(user, agreement_of(task), data, task.pk)
            activation.execute()
            logger.info("task %s completed by %s", flow_task.name, user)
    except FlowLockFailed:
        raise TaskUnavailable(_("Oppgaven er opptatt akkurat nå. Prøv igjen om litt.")) from None


def do_start_agreement_flow(agreement) -> None:
    """Start the workflow of a freshly created agreement: its draft lands in the owner's inbox."""
    AgreementFlow.start.run(agreement=agreement)
