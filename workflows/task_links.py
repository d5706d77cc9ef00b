"""The links between a step's task rows (viewflow's ``Task.previous``), written in one statement.

viewflow writes each link as the next task is created: one ``INSERT`` per node a completion
passes (the review's last decision passes four). Inside ``batched`` (a completion in
``workflows.actions``) the flow's nodes (``workflows.engine``, ``workflows.nodes``) keep their
links instead, and the block writes them together before its transaction commits. Nothing in a
step reads the links it writes, except a join that was already waiting, which writes the kept
ones first. Outside ``batched`` (the worker's ``Handle.run``, a flow's start) a link is written
at once, as viewflow does.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from viewflow.workflow.models import Task

_pending: ContextVar[list | None] = ContextVar("pending_task_links", default=None)


@contextmanager
def batched():
    """Keep the links ``link`` is given in the block and write them when it ends without an
    error (one statement); on an error they go with the rest of the rolled-back step."""
    token = _pending.set([])
    try:
        yield
        write_pending()
    finally:
        _pending.reset(token)


def link(task: Task, previous: Task) -> None:
    """``task.previous.add(previous)``, kept for the end of ``batched`` when inside it."""
    pending = _pending.get()
    if pending is None:
        task.previous.add(previous)
    else:
        pending.append((task, previous))


def write_pending() -> None:
    """Write the links kept so far (no statement when there are none)."""
    pending = _pending.get()
    if not pending:
        return
    through = Task.previous.through
    # As ``previous.add`` writes them: ON CONFLICT DO NOTHING, no m2m_changed receivers here.
    through.objects.bulk_create(
        [through(from_task_id=task.pk, to_task_id=previous.pk) for task, previous in pending],
        ignore_conflicts=True,
    )
    pending.clear()
