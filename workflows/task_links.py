"""The links between a step's task rows (viewflow's ``Task.previous``), written with its other rows.

viewflow writes each link as the next task is created: one ``INSERT`` per node a completion
passes (the review's last decision passes four). Inside ``agreements.step_writes.deferred`` (a
claim, release or completion in ``workflows.actions``) the flow's nodes (``workflows.engine``,
``workflows.nodes``) keep their links instead, and the step writes them with its other kept rows
in one statement before its transaction commits. A link may point at a finished node that is
kept too. A join that was already waiting reads the links, and the kept ones are written first.
Outside a step (the worker's ``Handle.run``, a flow's start) a link is written at once, as
viewflow does.
"""

from viewflow.workflow.models import Task

from agreements import step_writes


def link(task: Task, previous: Task) -> None:
    """``task.previous.add(previous)``, kept for the step's end when inside one."""
    row = Task.previous.through(from_task=task, to_task=previous)
    # As ``previous.add`` writes them: ON CONFLICT DO NOTHING, no m2m_changed receivers here.
    if not step_writes.keep(row, ignore_conflicts=True):
        task.previous.add(previous)
