"""viewflow's Function, If, Join and End nodes with fewer statements per pass.

Same behaviour, less SQL, for a flow that runs every step under its process lock:

- no savepoint of a node's own while errors propagate (``context.propagate_exception``, the
  default for every user action and for the worker's ``run``): the error leaves the flow lock's
  ``transaction.atomic``, which rolls the whole step back; only a node whose failure is recorded on
  its task (ERROR) while the flow goes on needs its own savepoint, and there it keeps it;
- a join reads its incoming branches once per arrival (viewflow asks ``is_done`` twice and the
  token prefixes a third time), shares the arriving branch's process (and so the agreement the
  step holds, ``agreements.locking``) instead of reloading it, and is saved once when it is done
  at once (not STARTED and then DONE);
- the end writes only the process row's status and finish time.
"""

from django.db import transaction
from django.utils.timezone import now
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes import end, func, if_gate, join
from viewflow.workflow.signals import flow_finished, task_finished, task_started
from viewflow.workflow.status import STATUS


def _own_savepoint() -> bool:
    return not context.propagate_exception


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
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._previous = prev_activation.task
        return activation

    def __hash__(self):
        # The row has no id until it is written; the activation stays in viewflow's set.
        return id(self.task)

    @Activation.status.super()
    def complete(self):
        super().complete.original()
        if self._previous is not None:
            self.task.previous.add(self._previous)
            self._previous = None


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


class JoinActivation(join.JoinActivation):
    def __init__(self, *args, **kwargs):
        self._prefixes = self._done = None
        super().__init__(*args, **kwargs)

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task_class = flow_task.flow_class.task_class
        tasks = list(
            task_class._default_manager.filter(
                flow_task=flow_task,
                process=prev_activation.process,
                status__in=[STATUS.NEW, STATUS.STARTED],
            )
        )
        if len(tasks) > 1:
            raise FlowRuntimeError("More than one join instance for process found")
        if tasks:
            task = tasks[0]
            task.process = prev_activation.process
        else:
            if token.is_split_token():
                token = token.get_base_split_token()
            task = task_class(process=prev_activation.process, flow_task=flow_task, token=token)
            task.data = data if data is not None else {}
            task.seed = seed
            task.save()
        task.previous.add(prev_activation.task)
        return cls(task)

    @Activation.status.super()
    def activate(self):
        if self.task.started is None:
            self.task.started = now()
            if not self.is_done():  # when done, ``complete`` saves it once
                self.task.save()

    @Activation.status.super()
    def complete(self):
        with self.exception_guard(), transaction.atomic(savepoint=_own_savepoint()):
            join_prefixes = self._join_token_prefixes()
            if len(join_prefixes) > 1:
                raise FlowRuntimeError(
                    f"Multiple tokens {join_prefixes} came to join {self.flow_task.name}"
                )
            if join_prefixes and self.flow_task._continue_on_condition:
                active_tasks = self._active_join_tasks(next(iter(join_prefixes)))
                if active_tasks.exists() and self.flow_task._continue_on_condition(
                    self, active_tasks
                ):
                    self.cancel_active_tasks(active_tasks)
            super(join.JoinActivation, self).complete.original()

    def _join_token_prefixes(self):
        # Nothing this activation does between its checks changes its incoming branches.
        if self._prefixes is None:
            self._prefixes = super()._join_token_prefixes()
        return self._prefixes

    def is_done(self):
        if self._done is None:
            self._done = super().is_done()
        return self._done


class Join(flow.Join):
    activation_class = JoinActivation


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
                self.process.save(update_fields=["status", "finished"])
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
            if not unfinished:
                flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class End(flow.End):
    activation_class = EndActivation
