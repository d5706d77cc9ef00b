"""A step's write-only rows are kept and written in one statement at its end
(agreements.step_writes), without losing what a read in the step must see."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.token import Token

from agreements import deadlines, row_writes, step_writes
from agreements.models import Agreement, AgreementCount, AuditEvent, Deadline
from tests.factories import advance, make_agreement, open_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(orgs, personas):
    return make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])


def event(agreement, actor, message):
    return AuditEvent.objects.create(
        agreement=agreement, actor=actor, action=AuditEvent.Action.UPDATED, message=message
    )


def test_kept_rows_are_written_together_at_the_end_in_their_order(agreement, personas):
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as log, step_writes.deferred():
        first = event(agreement, personas["alice"], "første")
        second = event(agreement, personas["alice"], "andre")
        assert first.pk is None and second.pk is None
        assert len(log) == 0
        stamped = first.at
    assert len(log) == 1, [q["sql"] for q in log.captured_queries]
    assert AuditEvent.objects.count() == before + 2
    assert first.pk < second.pk
    stored = AuditEvent.objects.get(pk=first.pk)
    assert (stored.message, stored.actor_id, stored.at) == ("første", personas["alice"].pk, stamped)


def test_a_read_of_a_kept_table_sees_the_kept_rows(agreement, personas):
    with step_writes.deferred():
        kept = event(agreement, personas["alice"], "lest igjen")
        assert AuditEvent.objects.filter(message="lest igjen").count() == 1
        assert kept.pk is not None


def test_an_error_in_the_step_writes_nothing(agreement, personas):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic(), step_writes.deferred():
        event(agreement, personas["alice"], "aldri")
        raise RuntimeError("the step failed")
    assert AuditEvent.objects.count() == before
    assert not AuditEvent.objects.filter(message="aldri").exists()


def test_a_kept_update_lands_with_the_kept_rows(agreement, personas):
    advance(agreement, personas, "submitted")
    review = open_task(agreement, "legal_review")
    now = timezone.now()
    with CaptureQueriesContext(connection) as log, step_writes.deferred():
        deadlines.do_close_task_deadline(review.pk, now=now)
        event(agreement, None, "lukket")
    assert len(log) == 1
    closed = Deadline.objects.get(task_id=review.pk)
    assert (closed.closed_at, closed.next_reminder_at) == (now, None)
    assert AuditEvent.objects.filter(message="lukket").exists()


def test_a_kept_row_may_point_at_another_kept_row(agreement, personas):
    draft = open_task(agreement, "draft")
    finished = Task(
        process_id=draft.process_id,
        flow_task=draft.flow_task,
        flow_task_type="HUMAN",
        status="DONE",
        token=Token("start"),
        finished=timezone.now(),
    )
    link = Task.previous.through(from_task=finished, to_task=draft)
    with step_writes.deferred():
        assert step_writes.keep(finished, looked_for=False)
        assert step_writes.keep(link, ignore_conflicts=True)
    assert finished.pk is not None
    assert list(Task.objects.filter(leading=finished)) == [draft]


def test_outside_a_step_rows_are_written_at_once(agreement, personas):
    written = event(agreement, personas["alice"], "med en gang")
    assert written.pk is not None
    assert AuditEvent.objects.filter(pk=written.pk, message="med en gang").exists()


def test_a_savepoint_of_the_step_rolls_back_only_what_was_written_in_it(agreement, personas):
    with transaction.atomic(), step_writes.deferred():
        event(agreement, personas["alice"], "beholdt")
        try:
            with transaction.atomic():
                event(agreement, personas["alice"], "angret")
                raise RuntimeError("rolled back, the step goes on")
        except RuntimeError:
            pass
    assert AuditEvent.objects.filter(message="beholdt").exists()
    assert not AuditEvent.objects.filter(message="angret").exists()


def test_two_kept_updates_of_one_row_both_land_in_their_order(agreement):
    # Within one statement PostgreSQL updates a row once: the second UPDATE writes the first.
    with CaptureQueriesContext(connection) as log, step_writes.deferred():
        agreement.title = "Først"
        row_writes.save_locked_row(agreement, ["title"])
        assert len(log) == 0
        agreement.title = "Deretter"
        row_writes.save_locked_row(agreement, ["title"])
        assert len(log) == 1
    assert len(log) == 2
    agreement.refresh_from_db()
    assert agreement.title == "Deretter"


def test_a_status_written_at_the_steps_end_moves_the_overview_counts(agreement, personas):
    status = Agreement.Status
    counts = AgreementCount.objects.filter(customer=agreement.customer, provider=agreement.provider)
    assert counts.get(status=status.DRAFT).total == 1
    with CaptureQueriesContext(connection) as log, step_writes.deferred():
        agreement.status = status.IN_REVIEW
        row_writes.save_locked_row(agreement, ["status"])
        event(agreement, personas["alice"], "sendt")
    # One statement of WITH clauses; the counts follow by the agreements table's trigger.
    assert len(log) == 1 and log.captured_queries[0]["sql"].startswith("WITH")
    assert Agreement.objects.get(pk=agreement.pk).status == status.IN_REVIEW
    assert not counts.filter(status=status.DRAFT).exists()
    assert counts.get(status=status.IN_REVIEW).total == 1
