"""``agreements.row_writes.save_row`` stores a row exactly as ``Model.save`` does."""

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.token import Token

from agreements import row_writes
from tests.factories import advance, make_agreement, open_task
from workflows.engine import unsaved_task
from workflows.flows import AgreementFlow

pytestmark = pytest.mark.django_db


def stored(pk) -> dict:
    row = Task.objects.filter(pk=pk).values().get()
    row.pop("id")
    return row


def test_a_new_row_is_stored_as_django_stores_it(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    process = open_task(agreement, "draft").process
    moment = timezone.now()
    rows = []
    for write in (Task.save, row_writes.save_row):
        task = unsaved_task(AgreementFlow.legal_review, process, Token("start/7_"), {"note": "x"})
        task.created, task.owner, task.status = moment, personas["lars"], STATUS.ASSIGNED
        write(task)
        assert task.pk is not None and not task._state.adding
        rows.append(stored(task.pk))
    assert rows[0] == rows[1]
    assert rows[1]["owner_id"] == personas["lars"].pk
    assert rows[1]["data"] == {"note": "x"}
    assert rows[1]["flow_task_type"] == "HUMAN"


def test_an_existing_row_gets_every_column_written(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    task = open_task(agreement, "legal_review")
    count = Task.objects.count()
    task.owner, task.finished, task.data = personas["lene"], timezone.now(), {"seen": True}
    task.status = STATUS.DONE
    row_writes.save_row(task)
    row = stored(task.pk)
    assert (row["owner_id"], row["status"], row["data"]) == (
        personas["lene"].pk,
        "DONE",
        {"seen": True},
    )
    assert row["finished"] == task.finished
    assert Task.objects.count() == count


def test_a_row_that_is_gone_is_written_again(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    task = unsaved_task(AgreementFlow.legal_review, draft.process, Token("start/8_"))
    row_writes.save_row(task)
    pk = task.pk
    Task.objects.filter(pk=pk).delete()
    task.status = STATUS.CANCELED
    row_writes.save_row(task)
    assert stored(pk)["status"] == "CANCELED"
