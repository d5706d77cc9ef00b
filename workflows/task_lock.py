"""The flow's process lock and everything a claim, release or completion reads, in one statement.

viewflow's ``select_for_update_lock`` takes the lock with a query of its own (``SELECT 1 FROM
workflows_agreementprocess ... FOR UPDATE NOWAIT``), after which the step reads the task, then
its process and agreement. Here one query reads the task with its process, agreement, parties,
manager and drafters and locks the same process row (and, for a completion, the agreement's row)
``FOR UPDATE ... NOWAIT``. Locks are taken exactly as viewflow takes them (the same row, the
same retries with the same pauses, ``FlowLockFailed`` at the end), so a step here and a
``Flow.lock`` elsewhere (the worker's ``Handle.run``) still exclude each other.

Inside the lock, statements are prepared (``prepared_statements``).
"""

import random
import time
from contextlib import contextmanager

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db import DatabaseError, connection, transaction
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.lock import lock_scope
from viewflow.workflow.models import Task

from agreements import permissions, prepared
from agreements.compiled import ByKey
from agreements.models import User

from .flows import AgreementFlow

PARTIES = ("agreement__customer", "agreement__provider", "agreement__manager")
# viewflow's SelectForUpdateLock: five attempts, then FlowLockFailed.
ATTEMPTS = 5
_PROCESS = "process__agreementprocess"


def _task_and_agreement(task_pk):
    """The task with its process, agreement, parties and manager; the filter makes every join
    to the agreement an inner one (PostgreSQL locks no row on the nullable side of an outer
    join)."""
    return Task.objects.filter(
        pk=task_pk, **{f"{_PROCESS}__agreement__isnull": False}
    ).select_related(*(f"{_PROCESS}__{p}" for p in PARTIES))


def _locked_task_query(lock_agreement: bool) -> ByKey:
    locks = (_PROCESS, f"{_PROCESS}__agreement") if lock_agreement else (_PROCESS,)
    return ByKey(
        lambda task_pk, actor_pk: (
            _task_and_agreement(task_pk)
            .annotate(**permissions.submitter_ids_column(f"{_PROCESS}__agreement_id"))
            # The acting user's roles, which every claim and completion checks.
            .annotate(actor_roles=ArraySubquery(Group.objects.filter(user=actor_pk).values("name")))
            # The rest of the step's statements keep one plan each (``prepared``).
            .annotate(generic_plans=prepared.GENERIC_PLANS_FOR_THE_TRANSACTION)
            .select_for_update(nowait=True, of=locks)
        ),
        keys=(int, int),
    )


# Compiled to SQL once per process (``agreements.compiled``): compiling took most of its time.
_LOCKED_TASK = {True: _locked_task_query(True), False: _locked_task_query(False)}
# Elsewhere than on PostgreSQL (``make run``'s SQLite): no arrays, and no row locks.
_PLAIN_TASK = ByKey(_task_and_agreement)


class _TaskLock:
    """A ``lock_impl`` for one task: it takes the process lock by loading the task into
    ``loaded``, retrying as viewflow's ``SelectForUpdateLock`` does."""

    def __init__(self, task_pk: int, lock_agreement: bool, actor_pk: int | None):
        if connection.vendor == "postgresql":
            self.query, self.keys = _LOCKED_TASK[lock_agreement], (task_pk, actor_pk)
        else:
            self.query, self.keys = _PLAIN_TASK, (task_pk,)
        self.task_pk = task_pk
        self.loaded = None

    @contextmanager
    def __call__(self, flow_class, process_pk):
        for attempt in range(ATTEMPTS):
            with transaction.atomic():
                try:
                    self.loaded = self.query.first(*self.keys)
                    if self.loaded is None:
                        raise Task.DoesNotExist(f"No task {self.task_pk} of an agreement")
                except DatabaseError:
                    if attempt == ATTEMPTS - 1:
                        raise FlowLockFailed(f"Lock failed for {flow_class}") from None
                    time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)
                else:
                    yield
                    return


@contextmanager
def locked_task(task: Task, *, lock_agreement: bool = False, actor: User | None = None):
    """The transaction that holds the flow's lock on ``task``'s process: yields the task read
    afresh in it and its process (``AgreementProcess``, with ``submitter_ids``, its agreement,
    parties and manager loaded). With ``lock_agreement`` the agreement's row is locked too.
    ``actor``'s roles are read in the same statement (``User.role_names``).
    Raises ``FlowLockFailed`` when the lock stays taken, and ``Task.DoesNotExist`` for a task
    of no agreement."""
    lock = _TaskLock(task.pk, lock_agreement, actor.pk if actor else None)
    with prepared.prepared_statements(), lock_scope(lock, AgreementFlow, task.process_id):
        fresh = lock.loaded
        process = fresh.process.coerced
        process.submitter_ids = getattr(fresh, "submitter_ids", None)
        roles = getattr(fresh, "actor_roles", None)
        if actor is not None and roles is not None:
            actor.keep_role_names(roles)
        yield fresh, process
