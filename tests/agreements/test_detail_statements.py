"""The agreement page costs the same statements however long the agreement's history: its lists
(audit events, milestones, tasks, decisions, signatures, deadlines, reminders) each come in one
statement with what their rows show, compiled once per process (``agreements.compiled``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import AuditEvent
from tests.factories import advance, make_agreement, open_task
from workflows import actions

pytestmark = pytest.mark.django_db


def page(client, agreement):
    client.get(f"/agreements/{agreement.reference}/")  # the session's first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/agreements/{agreement.reference}/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_agreement_pages_statements_do_not_grow_with_its_history(client, orgs, personas):
    short = advance(
        make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"]), personas, "reviewed"
    )
    long = advance(
        make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"]), personas, "reviewed"
    )
    for _ in range(3):  # six more audit events, each with its actor
        actions.do_claim_task(personas["ulla"], open_task(long, "approve"))
        actions.do_release_task(personas["ulla"], open_task(long, "approve"))
    client.force_login(personas["alice"])

    short_statements, _ = page(client, short)
    long_statements, body = page(client, long)

    assert long_statements == short_statements
    # What the page shows of the longer history: each claim and release with who did it.
    assert body.count(str(AuditEvent.Action.TASK_CLAIMED.label)) == 4  # with the legal review's
    assert body.count(str(AuditEvent.Action.TASK_RELEASED.label)) == 3
    assert body.count(str(personas["ulla"])) >= 6
