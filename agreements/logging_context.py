"""The agreement and workflow task a piece of work is about, for every log line written inside it.

Code that works on an agreement or task wraps the work in ``log_context(agreement=..., task=...)``;
the log filter of the composition root (``project.logging``) reads ``current_agreement()`` and
``current_task()`` onto each record. It lives here, on the domain side, so the apps that do the
work need not import ``project``.
"""

import contextvars
from contextlib import contextmanager

_agreement = contextvars.ContextVar("agreement", default=None)
_task = contextvars.ContextVar("task", default=None)


@contextmanager
def log_context(agreement=None, task=None):
    tokens = []
    if agreement is not None:
        tokens.append((_agreement, _agreement.set(str(agreement))))
    if task is not None:
        tokens.append((_task, _task.set(task)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def current_agreement() -> str | None:
    """The reference of the agreement being worked on, or None outside any ``log_context``."""
    return _agreement.get()


def current_task() -> int | None:
    """The id of the workflow task being worked on, or None."""
    return _task.get()
