"""Log lines are JSON and carry the agreement reference and the workflow task id."""

import json
import logging

import pytest

from project.logging import ContextFilter, JsonFormatter
from tests.factories import make_agreement, open_task
from workflows import actions

pytestmark = pytest.mark.django_db


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []
        self.addFilter(ContextFilter())
        self.setFormatter(JsonFormatter())

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def log_lines():
    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(previous)


def test_it_logs_a_completed_task_with_reference_and_task_id(log_lines, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    actions.do_complete_task(personas["alice"], draft, {"title": "T", "notice_months": 3})
    completed = [line for line in log_lines if line["message"].startswith("task draft completed")]
    assert completed, log_lines
    assert completed[0]["agreement"] == agreement.reference
    assert completed[0]["task_id"] == draft.pk
    status = [line for line in log_lines if line["message"].startswith("status draft -> in_review")]
    assert status and status[0]["agreement"] == agreement.reference
    assert {"time", "level", "logger"} <= set(status[0])
