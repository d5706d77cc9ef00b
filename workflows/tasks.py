"""Use cases on workflow tasks: look one up for a user, claim, release, complete.

Every change runs under the flow's process lock (``select_for_update`` on the process row), and
re-reads the task inside it, so of two people acting on one task at the same moment exactly one
succeeds and the other gets ``TaskUnavailable`` with a message to show.
"""

import logging

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from agreements import deadlines, lifecycle
from agreements.dates import default_calendar
from agreements.models import AuditEvent, Deadline, User
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
    if task is None:
        raise Http404("No such task")
    if not can_see_agreement(user, agreement_of(task)) and not AgreementTask.is_substitute(
        user, task
    ):
        raise Http404("No such task")
    return task


def agreement_of(task: Task):
    return task.process.coerced.agreement


def inbox(user: User, overdue: bool = False):
    """Tasks waiting for ``user``, oldest first: their own, and those of anyone they stand in
    for today (``User.substitute`` while ``away_until`` has not passed).

    ``overdue`` keeps only tasks whose deadline has passed.
    """
    today = timezone.localdate()
    tasks = agreement_tasks().filter(
        Q(owner=user) | Q(owner__substitute=user, owner__away_until__gte=today),
        status=STATUS.ASSIGNED,
    )
    if overdue:
        tasks = only_overdue(tasks)
    return tasks.order_by("created")


def only_overdue(tasks):
    """Narrow a task queryset to those whose open deadline has passed (indexed ``due_at``)."""
    late = Deadline.objects.filter(closed_at__isnull=True, due_at__lte=timezone.now())
    return tasks.filter(pk__in=late.values("task_id"))


def with_deadlines(tasks) -> list[Task]:
    """The tasks as a list, each with ``.deadline`` (its ``Deadline`` row or ``None``)."""
    tasks = list(tasks)
    by_task = {d.task_id: d for d in Deadline.objects.filter(task_id__in=[t.pk for t in tasks])}
    now, calendar = timezone.now(), default_calendar()
    today = timezone.localtime(now).date()
    for task in tasks:
        deadline = task.deadline = by_task.get(task.pk)
        if deadline is not None:
            deadline.days_left = deadline.working_days_left(today, calendar)
            deadline.days_overdue = -deadline.days_left
            deadline.overdue = deadline.is_overdue(now)
    return tasks


def claim_candidates(task_id: int) -> list[User]:
    """Everyone who may claim the unclaimed task ``task_id`` now: its role in its organisation,
    narrowed by the node's guard (the same test as viewflow's queue and ``do_claim_task``)."""
    task = agreement_tasks().filter(pk=task_id, status=STATUS.NEW).first()
    if task is None or not isinstance(task.flow_task, AgreementTask):
        return []
    node = task.flow_task
    party = node.party(agreement_of(task))
    users = User.objects.filter(organisation=party, groups__name=node.role, is_active=True)
    return [user for user in users if node.can_assign(user, task)]


def queue(user: User, overdue: bool = False) -> list[Task]:
    """Unclaimed tasks ``user`` may claim: viewflow's queue, narrowed by each node's guard."""
    candidates = (
        Task.objects.queue([AgreementFlow], user).select_related("process").order_by("created")
    )
    if overdue:
        candidates = only_overdue(candidates)
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
            deadlines.do_set_task_assignee(task.pk, user)
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
            deadlines.do_set_task_assignee(task.pk, None)
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
            # In the same transaction: a finished task is never reminded of again.
            deadlines.do_close_task_deadline(task.pk)
    except FlowLockFailed:
        raise TaskUnavailable(_("Oppgaven er opptatt akkurat nå. Prøv igjen om litt.")) from None


def do_resume_after_document(agreement_id: int) -> int:
    """Complete the flow's wait for the document to sign once a generated version is ready.

    Called by the worker after rendering. Returns how many waits it completed (0 when the flow
    is not waiting, e.g. a version legal staff made by hand, or a second delivery of the job).
    """
    from agreements.models import DocumentVersion

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


def do_start_agreement_flow(agreement) -> None:
    """Start the workflow of a freshly created agreement: its draft lands in the owner's inbox."""
    AgreementFlow.start.run(agreement=agreement)
