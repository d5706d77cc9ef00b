"""viewflow's Function, If, Join and End nodes with fewer statements per pass.

Same behaviour, less SQL, for a flow that runs every step under its process lock:

- no savepoint of a node's own while errors propagate (``context.propagate_exception``, the
  default for every user action and for the worker's ``run``): the error leaves the flow lock's
  ``transaction.atomic``, which rolls the whole step back; only a node whose failure is recorded on
  its task (ERROR) while the flow goes on needs its own savepoint, and there it keeps it;
- a join finds its open task and the branches still running in one query per arrival (viewflow
  asks ``is_done`` twice and reads the incoming branches a third time), shares the arriving
  branch's process (and so the agreement the step holds, ``agreements.locking``) instead of
  reloading it, and is inserted once, finished, when it is done at once (not STARTED and then
  DONE);
- the end writes only the process row's status and finish time;
- a Handle (a wait the worker completes) and a Split, like a Function, If, End or join and the
  human tasks (``workflows.nodes``), hand their link to the previous task to
  ``workflows.task_links``; inside a step (``agreements.step_writes``) the links, the rows of
  the nodes that finish at once and the process's end are written with the step's other kept
  rows, in one statement at its end. A waiting join learns its incoming branches in the query
  that finds it.
"""

import functools

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, OuterRef, Q, Value
from django.utils.timezone import now
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.models import Process
from viewflow.workflow.nodes import end, func, handle, if_gate, join, split
from viewflow.workflow.signals import flow_finished, task_finished, task_started
from viewflow.workflow.status import STATUS

from agreements import row_writes, step_writes
from agreements.compiled import ByKey

from . import task_links


def _own_savepoint() -> bool:
    return not context.propagate_exception


def unsaved_task(flow_task, process, token, data=None, seed=None):
    """A new task row of ``flow_task`` as viewflow's activations make one, not yet written."""
    task = flow_task.flow_class.task_class(process=process, flow_task=flow_task, token=token)
    task.flow_task_type = flow_task.task_type  # as Task.save sets it, for a row written kept
    task.data = data if data is not None else {}
    task.seed = seed
    return task


class WrittenOnceActivation(Activation):
    """A node that runs as soon as it is created (a function, an If, the end) inserts its task
    row once, finished, with its link to the previous task, instead of inserting it and updating
    it a moment later. Only while errors propagate: a node whose failure is recorded on its task
    (ERROR) is inserted at once, as viewflow does."""

    _previous = None

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not context.propagate_exception:
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task = unsaved_task(flow_task, prev_activation.process, token, data, seed)
        activation = cls(task)
        activation._previous = prev_activation.task
        return activation

    def __hash__(self):
        # The row has no id until it is written; the activation stays in viewflow's set.
        return id(self.task)

    @Activation.status.super()
    def complete(self):
        if self._previous is None:  # created as viewflow does: already written
            super().complete.original()
            return
        self.task.finished = now()
        # Finished at once, so no query of the step looks for it: kept for the step's end.
        if not step_writes.keep(self.task, looked_for=False):
            row_writes.save_row(self.task)
        task_links.link(self.task, self._previous)
        self._previous = None
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class FunctionActivation(WrittenOnceActivation, func.FunctionActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard(), transaction.atomic(savepoint=_own_savepoint()):
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.flow_task._func(self)


class Function(flow.Function):
    activation_class = FunctionActivation


class IfActivation(WrittenOnceActivation, if_gate.IfActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard(), transaction.atomic(savepoint=_own_savepoint()):
            self._condition_result = self.flow_task._condition(self)


class If(flow.If):
    activation_class = IfActivation


class LinkedActivation(Activation):
    """viewflow's ``Activation.create`` (the row written at once), with the link to the
    previous task kept for the step's end (``workflows.task_links``): the previous task may be
    a finished node that is not written yet."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = unsaved_task(flow_task, prev_activation.process, token, data, seed)
        row_writes.save_row(task)
        task_links.link(task, prev_activation.task)
        return cls(task)


class HandleActivation(LinkedActivation, handle.HandleActivation):
    pass


class Handle(flow.Handle):
    activation_class = HandleActivation


class SplitActivation(LinkedActivation, split.SplitActivation):
    pass


class Split(flow.Split):
    activation_class = SplitActivation


class JoinActivation(join.JoinActivation):
    """A join that reads the process once per arrival: one query finds both the open join task
    and any branch of the same split still running. A join that is done at once (the last
    branch, or the only one asked) is inserted once, finished, with its link to the arriving
    task; a join that waits is inserted STARTED, as viewflow does. Only an existing join reads
    its incoming branches, to refuse tokens of two different splits as viewflow does."""

    def __init__(self, task, *, arriving=None, prefix=None, branches_open=False):
        self._arriving = arriving
        self._prefix = prefix
        self._branches_open = branches_open
        self._prefixes = self._done = None
        super().__init__(task)

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task_class = flow_task.flow_class.task_class
        process, arriving = prev_activation.process, prev_activation.task
        if arriving.pk is None:  # a finished node kept for the step's end: its id is needed
            step_writes.flush()
        base = token.get_base_split_token() if token.is_split_token() else token
        prefix = arriving.token.get_common_split_prefix(base, arriving.pk)
        if connection.vendor == "postgresql":
            rows = _join_rows(task_class, flow_task).all(process.pk, prefix)
        else:
            under = Q(token__startswith=prefix)
            rows = list(_join_and_running(task_class, flow_task, process.pk, under))
        joins = [t for t in rows if t.flow_task == flow_task and t.status != STATUS.DONE]
        if len(joins) > 1:
            raise FlowRuntimeError("More than one join instance for process found")
        if joins:
            task = joins[0]
            task.process = process
        else:
            task = unsaved_task(flow_task, process, base, data, seed)
        branches_open = any(t.pk != task.pk for t in rows)
        return cls(task, arriving=arriving, prefix=prefix, branches_open=branches_open)

    def __hash__(self):
        # A new join has no id until it is written; the activation stays in viewflow's set.
        return id(self.task)

    def _write(self, save: bool = True):
        if save and not (
            # Done at once: no query of the step looks for a finished join.
            self.task.pk is None
            and self.task.status == STATUS.DONE
            and step_writes.keep(self.task, looked_for=False)
        ):
            row_writes.save_row(self.task)
        if self._arriving is not None:
            task_links.link(self.task, self._arriving)
            self._arriving = None

    @Activation.status.super()
    def activate(self):
        # A join that was already waiting has nothing new but the arriving branch's link.
        changed = self.task.pk is None or self.task.started is None
        if self.task.started is None:
            self.task.started = now()
        if not self.is_done():  # when done, ``complete`` writes it once
            self._write(save=changed)

    @Activation.status.super()
    def complete(self):
        with self.exception_guard(), transaction.atomic(savepoint=_own_savepoint()):
            join_prefixes = self._join_token_prefixes()
            if len(join_prefixes) > 1:
                raise FlowRuntimeError(
                    f"Multiple tokens {join_prefixes} came to join {self.flow_task.name}"
                )
            self.task.finished = now()
            self._write()
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    def _join_token_prefixes(self):
        """The split prefixes of the arriving branch and, for a join that was already waiting,
        of the branches that arrived before (as viewflow reads them)."""
        if self._prefixes is None:
            self._prefixes = {self._prefix}
            incoming = getattr(self.task, "incoming_tokens", None)
            if incoming is not None:  # read with the join (``_incoming_columns``)
                self._prefixes.update(
                    token.get_common_split_prefix(self.task.token, pk)
                    for token, pk in zip(incoming, self.task.incoming_ids, strict=True)
                )
            elif self.task.pk is not None:
                # Reads the links: the ones kept in this step are written first (step_writes).
                self._prefixes.update(super()._join_token_prefixes())
        return self._prefixes

    def is_done(self):
        if self._done is None:
            prefixes = self._join_token_prefixes()
            self._done = len(prefixes) > 1 or not self._branches_open
        return self._done


def _join_and_running(task_class, flow_task, process_pk, under_split: Q):
    """The process's open task of this join and its tasks on the way to it (``under_split``:
    their token starts with the split's prefix) that are still running."""
    open_join = Q(flow_task=flow_task, status__in=[STATUS.NEW, STATUS.STARTED])
    running = under_split & ~Q(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED])
    return task_class._default_manager.filter(Q(process=process_pk) & (open_join | running))


@functools.cache
def _join_rows(task_class, flow_task) -> ByKey:
    """``_join_and_running`` for PostgreSQL, with each row's incoming branches, compiled once
    per join node (``agreements.compiled``): building it took more time than running it. The
    prefix is compared with ``starts_with`` as it is (``LIKE`` would need it escaped)."""

    def rows(process_pk, prefix):
        starts = Func(
            F("token"), Value(prefix), function="starts_with", output_field=BooleanField()
        )
        return _join_and_running(task_class, flow_task, process_pk, Q(starts)).annotate(
            **_incoming_columns(task_class)
        )

    return ByKey(rows, keys=(int, str))


def _incoming_columns(task_class) -> dict:
    """The tokens and ids of a task's incoming branches that count (not cancelled), as arrays,
    so a waiting join learns them in the query that finds it (viewflow reads them apart)."""
    incoming = (
        task_class._default_manager.filter(leading=OuterRef("pk"))
        .exclude(status__in=[STATUS.CANCELED, STATUS.REVIVED])
        .order_by("pk")
    )
    return {
        "incoming_tokens": ArraySubquery(incoming.values("token")),
        "incoming_ids": ArraySubquery(incoming.values("pk")),
    }


class Join(flow.Join):
    """A join of all incoming branches (``continue_on_condition`` is not supported: the one
    query per arrival answers only "are all branches done")."""

    activation_class = JoinActivation

    def __init__(self, **kwargs):
        if kwargs.get("continue_on_condition"):
            raise ValueError(
                "engine.Join joins all branches; continue_on_condition is not supported"
            )
        super().__init__(**kwargs)


class EndActivation(WrittenOnceActivation, end.EndActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard(), transaction.atomic(savepoint=_own_savepoint()):
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            unfinished = (
                self.flow_class.task_class._default_manager.filter(
                    process=self.process, finished__isnull=True
                )
                .exclude(pk=self.task.pk)
                .exists()
            )
            if not unfinished:
                self.process.status = STATUS.DONE
                self.process.finished = now()
                # The process row's status and finish time, at the step's end.
                step_writes.update(
                    Process.objects.filter(pk=self.process.pk),
                    status=self.process.status,
                    finished=self.process.finished,
                )
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
            if not unfinished:
                flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class End(flow.End):
    activation_class = EndActivation
