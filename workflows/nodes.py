"""A human task node scoped to one role in one organisation, with a separation-of-duties guard."""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from viewflow.workflow import flow
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_finished
from viewflow.workflow.status import STATUS

from agreements import deadlines, row_writes, step_writes
from agreements.compiled import UpdateByKey
from agreements.models import Agreement, AuditEvent, Organisation, User
from agreements.permissions import OrganisationRoleBackend
from agreements.roles import Role, role_permission

from . import task_links
from .engine import unsaved_task

# The agreement of a viewflow task row, as a lookup path from ``viewflow.Task``.
TASK_AGREEMENT = "process__agreementprocess__agreement"


def drafted_by(user: User) -> Q:
    """The SQL twin of ``user.pk in permissions.drafter_ids(agreement)`` on a task queryset: the
    task's agreement is owned by ``user`` or ``user`` submitted a draft of it for review."""
    submitted = AuditEvent.objects.filter(
        agreement_id=OuterRef(f"{TASK_AGREEMENT}_id"),
        action=AuditEvent.Action.SUBMITTED,
        actor_id=user.pk,
    )
    return Q(**{f"{TASK_AGREEMENT}__owner_id": user.pk}) | Q(Exists(submitted))


def not_drafted_by(user: User) -> Q:
    """The SQL twin of separation of duties: ``user`` drafted nothing of the task's agreement."""
    return ~drafted_by(user)


class AgreementTaskActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """viewflow's ``ViewActivation.create``, with the link to the previous task kept for
        the step's one statement of links (``workflows.task_links``)."""
        task = unsaved_task(flow_task, prev_activation.process, token, data, seed)
        activation = cls(task)
        owner_permission = flow_task.calc_owner_permission(activation)
        if owner_permission:
            task.owner_permission = owner_permission
            task.owner_permission_obj = flow_task.calc_owner_permission_obj(activation)
        owner = flow_task.calc_owner(activation)
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED
        row_writes.save_row(task)
        task_links.link(task, prev_activation.task)
        if flow_task._on_create is not None:
            flow_task._on_create(activation)
        return activation

    @ViewActivation.status.super()
    def complete(self):
        """viewflow's ``complete``, writing the row with ``agreements.row_writes``."""
        self.task.finished = timezone.now()
        row_writes.save_row(self.task)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    @ViewActivation.status.super()
    def assign(self, user):
        """viewflow's ``assign``, writing only what a claim changes, at the step's end."""
        self.task.owner = user
        self._write_owner()

    @ViewActivation.status.super()
    def unassign(self):
        self.task.owner = None
        self._write_owner()

    def _write_owner(self):
        # Nothing later in a claim or release reads the task row again.
        step_writes.update_by_key(
            _WRITE_OWNER, self.task.pk, owner=self.task.owner, status=self.task.status
        )


# Every claim and release writes it: its SQL made once (``agreements.compiled``).
_WRITE_OWNER = UpdateByKey(lambda pk: Task.objects.filter(pk=pk), ("owner", "status"))


class AgreementTask(flow.View):
    """A user task that only holders of ``role`` in ``party(agreement)`` can claim or do.

    ``guard(user, agreement)`` adds the rules a role alone does not capture, such as "nobody
    reviews their own draft". It is checked on claim and again on execution, so a role change or a
    stale queue page cannot slip past it.

    ``guard_sql(user)`` is the same rule as ``guard`` as a condition on ``viewflow.Task`` rows,
    so the queue filters in SQL; ``tests/workflows/test_queue_rule.py`` checks that the two agree.
    The role in the party is the task's ``owner_permission``, matched against the user's.

    ``sla_days`` is how many Norwegian working days the task has from its creation; its deadline
    row is written in the transaction that creates the task.

    While the task's owner is away, their substitute may do it too (``User.substitute``).
    """

    activation_class = AgreementTaskActivation

    def __init__(
        self,
        step,
        *,
        role: Role,
        party: Callable[[Agreement], Organisation],
        guard: Callable[[User, Agreement], bool],
        sla_days: int,
        guard_sql: Callable[[User], Q] = not_drafted_by,
        releasable: bool = True,
    ):
        super().__init__(step)
        self.sla_days = sla_days
        self._on_create = self._open_deadline
        self.releasable = releasable
        self.step = step
        self.role = role
        self.party = party
        self.guard = guard
        self.guard_sql = guard_sql
        self.Permission(self._required_permission)

    def __str__(self):
        # The human title (Annotation), translated, wherever a task is named to a person.
        return str(self.task_title)

    def _required_permission(self, activation):
        return role_permission(self.role, self.party(activation.process.agreement).pk)

    def allows(self, user: User, task) -> bool:
        agreement = task.process.coerced.agreement
        return bool(user.is_authenticated) and self.guard(user, agreement)

    @staticmethod
    def holds_permission(user: User, task) -> bool:
        """``user.has_perm(task.owner_permission)`` as viewflow asks it, without Django's model
        backend: a role string is granted only by ``OrganisationRoleBackend`` (the user's groups,
        read once per user object), or to an active superuser."""
        if not task.owner_permission:
            return True
        return user.is_active and (
            user.is_superuser
            or task.owner_permission in OrganisationRoleBackend().get_all_permissions(user)
        )

    @staticmethod
    def is_owner(user: User, task) -> bool:
        # By id: the owner row is not loaded to compare it.
        return task.owner_id is not None and task.owner_id == user.pk

    def can_assign(self, user, task):
        return (
            task.owner_id is None
            and user is not None
            and bool(user.is_authenticated)
            and self.holds_permission(user, task)
            and self.allows(user, task)
        )

    def can_unassign(self, user, task):
        return (
            self.releasable
            and task.owner_id is not None
            and bool(user.is_authenticated)
            and (self.is_owner(user, task) or self.flow_class.instance.has_manage_permission(user))
        )

    def can_execute(self, user, task):
        return (self.is_owner(user, task) or self.is_substitute(user, task)) and self.allows(
            user, task
        )

    @staticmethod
    def is_substitute(user, task) -> bool:
        """``user`` stands in today for the away owner of the assigned ``task``."""
        owner = task.owner
        return (
            bool(user.is_authenticated)
            and owner is not None
            and owner.pk != user.pk
            # The same person the reminders go to (agreements.reminders): down the chain.
            and owner.reminder_stand_in(timezone.localdate()) == user
        )

    def _open_deadline(self, activation):
        task = activation.task
        deadlines.do_open_task_deadline(
            activation.process.agreement,
            task_id=task.pk,
            title=str(self),
            sla_days=self.sla_days,
            assignee=task.owner,
        )
