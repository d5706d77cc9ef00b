"""Structured (JSON) log lines carrying the agreement reference and the workflow task id.

Code that works on an agreement or task wraps the work in
``agreements.logging_context.log_context(agreement=..., task=...)``; every line logged inside, by
any logger, carries those fields.
"""

import json
import logging
from datetime import UTC, datetime

from agreements.logging_context import current_agreement, current_task


class ContextFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "agreement"):
            record.agreement = current_agreement()
        if not hasattr(record, "task_id"):
            record.task_id = current_task()
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
