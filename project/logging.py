"""Structured (JSON) log lines carrying the agreement reference and the workflow task id.

Code that works on an agreement or task wraps the work in ``log_context(agreement=..., task=...)``;
every line logged inside, by any logger, carries those fields.
"""

import contextvars
import json
import logging
from contextlib import contextmanager
from datetime import UTC, datetime

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


class ContextFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "agreement"):
            record.agreement = _agreement.get()
        if not hasattr(record, "task_id"):
            record.task_id = _task.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in ("agreement", "task_id"):
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
