"""A workflow step's statements are prepared on PostgreSQL, and after its lock planned once; so
are the agreement page's and the task page's (``prepared.prepared_page``). The lists' are not
prepared, and keep plans made for their values.

A step and those pages find rows by key, so a plan made once serves every run; a list's best
plan depends on the values (a generic plan of the queue made at 1k tasks took 114-142 ms at 1M
tasks, docs/performance.md)."""

import pytest
from django.db import connection
from django.test import override_settings

from tests.factories import advance, make_agreement, open_task
from workflows import actions

pytestmark = pytest.mark.django_db


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def claim_and_release_six_times(agreement, user):
    for _ in range(6):  # psycopg prepares a statement on its fifth run
        actions.do_claim_task(user, open_task(agreement, "legal_review"))
        actions.do_release_task(user, open_task(agreement, "legal_review"))


def test_a_steps_lock_query_is_prepared(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    claim_and_release_six_times(agreement, personas["lars"])

    assert any('FOR UPDATE OF "workflows_agreementprocess"' in s for s in prepared())


def test_the_agreement_page_is_prepared_and_the_queue_is_not(client, orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    client.force_login(personas["lars"])

    for _ in range(6):  # psycopg prepares a statement on its fifth run
        page = client.get(f"/agreements/{agreement.reference}/")
        assert agreement.title in page.content.decode()
    assert any('"agreements_agreement"."reference" = $' in s for s in prepared())

    before = prepared()
    for _ in range(6):
        page = client.get("/queue/")
        assert agreement.reference in page.content.decode()
    assert prepared() == before


@pytest.mark.django_db(transaction=True)  # each step in a transaction of its own, as served
def test_a_steps_statements_after_its_lock_keep_one_plan(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    claim_and_release_six_times(agreement, personas["lars"])

    with connection.cursor() as cursor:
        # The statement that writes a claim's or release's kept rows, prepared after 5 runs.
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE 'WITH ids0%%'"
        )
        plans = cursor.fetchall()
    assert plans, "the step's write was not prepared"
    # PostgreSQL's default plans each of a prepared statement's first five runs afresh.
    assert all(custom == 0 and generic >= 1 for generic, custom in plans)


@override_settings(PREPARED_STATEMENTS=False)
def test_nothing_is_prepared_when_prepared_statements_are_off(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    before = prepared()
    claim_and_release_six_times(agreement, personas["lars"])
    assert prepared() == before
    assert open_task(agreement, "legal_review").owner_id is None


@pytest.mark.django_db(transaction=True)
def test_the_generic_plans_end_with_the_steps_transaction(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    claim_and_release_six_times(agreement, personas["lars"])

    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        # The list pages' statements, sent after a step, are planned with their values.
        assert cursor.fetchone()[0] == "auto"
