"""``agreements.compiled.ByKey``: a queryset compiled once gives what the queryset gives."""

import pytest
from django.db.models import Model
from viewflow.workflow.models import Task

from agreements.compiled import ByKey
from tests.factories import advance, make_agreement, open_task
from workflows import inbox

pytestmark = pytest.mark.django_db

PATH = "process__agreementprocess__agreement"


def tasks_with_agreement(pk):
    return Task.objects.filter(pk=pk).select_related(
        "owner", f"{PATH}__customer", f"{PATH}__provider"
    )


def loaded(instance: Model, seen=None) -> dict:
    """The instance's field values and, recursively, those of the related rows loaded with it
    (each row once: select_related caches the way back too)."""
    seen = set() if seen is None else seen
    seen.add(id(instance))
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    for name, related in instance._state.fields_cache.items():
        if related is None or id(related) not in seen:
            values[name] = loaded(related, seen) if related is not None else None
    return values


def test_it_gives_the_row_the_queryset_gives_with_its_related_rows(orgs, personas):
    first = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    second = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="Andre")
    advance(first, personas, "submitted")
    by_key = ByKey(tasks_with_agreement)
    for agreement, node in ((first, "legal_review"), (second, "draft"), (first, "draft")):
        pk = (
            open_task(agreement, node)
            or Task.objects.filter(
                process__agreementprocess__agreement=agreement, flow_task__endswith=node
            ).get()
        ).pk
        compiled = by_key.first(pk)
        assert loaded(compiled) == loaded(tasks_with_agreement(pk).get())
        assert compiled.process.agreementprocess.agreement.title == agreement.title


def test_it_keeps_annotations_and_gives_none_for_a_missing_key(orgs, personas):
    from django.db.models import F

    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    task = open_task(agreement, "draft")
    by_key = ByKey(
        lambda pk: Task.objects.filter(pk=pk).annotate(agreement_title=F(f"{PATH}__title"))
    )
    assert by_key.first(task.pk).agreement_title == agreement.title
    assert by_key.first(task.pk + 10_000) is None


def test_it_refuses_a_queryset_that_does_not_use_its_key():
    with pytest.raises(ValueError, match="exactly one parameter"):
        ByKey(lambda pk: Task.objects.filter(status="NEW")).first(1)


def test_the_task_page_look_up_finds_only_human_tasks(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    start = Task.objects.get(process=draft.process, flow_task_type="START")
    assert inbox.access_task(personas["alice"], draft.pk) == draft
    from django.http import Http404

    with pytest.raises(Http404):
        inbox.access_task(personas["alice"], start.pk)


def test_all_gives_every_row_in_order_and_takes_a_text_key(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    process_pk = open_task(agreement, "legal_review").process_id

    def tasks_in(pk, status):
        return Task.objects.filter(process=pk, status=status).order_by("pk")

    by_key = ByKey(tasks_in, keys=(int, str))
    for status in ("DONE", "NEW", "CANCELED"):
        rows = by_key.all(process_pk, status)
        assert [loaded(t) for t in rows] == [loaded(t) for t in tasks_in(process_pk, status)]
    assert {t.status for t in by_key.all(process_pk, "DONE")} == {"DONE"}
    assert len(by_key.all(process_pk, "DONE")) >= 2  # start and draft at least
    assert by_key.all(process_pk, "CANCELED") == []


def test_a_small_integer_key_takes_a_stand_in_that_fits_its_column(orgs, personas):
    from django.core.exceptions import EmptyResultSet

    from agreements.models import Decision

    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "reviewed")

    def decisions(pk, review_round):
        return Decision.objects.filter(agreement=pk, review_round=review_round).order_by("pk")

    by_key = ByKey(decisions, keys=(int, 32_109))
    found = by_key.all(agreement.pk, 1)
    assert [d.area for d in found] == ["legal"]
    assert [loaded(d) for d in found] == [loaded(d) for d in decisions(agreement.pk, 1)]
    assert by_key.all(agreement.pk, 2) == []
    # A stand-in outside the column's range: Django answers "nothing" without any SQL.
    with pytest.raises(EmptyResultSet):
        ByKey(decisions, keys=(int, int)).all(agreement.pk, 1)


def test_an_update_by_key_writes_what_queryset_update_writes(orgs, personas):
    from django.db import connection
    from django.utils import timezone

    from agreements.compiled import UpdateByKey
    from agreements.models import Deadline

    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    task = open_task(agreement, "legal_review")
    open_deadline = Deadline.objects.filter(task_id=task.pk, closed_at__isnull=True)
    assert open_deadline.count() == 1
    update = UpdateByKey(
        lambda task_id: Deadline.objects.filter(task_id=task_id, closed_at__isnull=True),
        ("assignee", "closed_at"),
    )
    moment = timezone.now()
    sql, params = update.statement(task.pk, assignee=personas["lars"], closed_at=moment)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.rowcount == 1
    stored = Deadline.objects.get(task_id=task.pk)
    assert (stored.assignee_id, stored.closed_at) == (personas["lars"].pk, moment)
    assert update.table == Deadline._meta.db_table
    with connection.cursor() as cursor:  # the closed one no longer matches, as in update()
        cursor.execute(*update.statement(task.pk, assignee=None, closed_at=moment))
        assert cursor.rowcount == 0
    assert Deadline.objects.get(task_id=task.pk).assignee_id == personas["lars"].pk
