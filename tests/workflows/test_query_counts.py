"""How many SQL statements a claim and a completion cost, so they cannot creep back up.

Each completion runs under the process lock: load the task and its agreement, do the step,
write the next tasks and their deadlines, audit. Pages are counted in bench/pages.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import APPROVE, advance, make_agreement, open_task, run_document_jobs
from workflows import actions

pytestmark = pytest.mark.django_db

# The goal: at most 20 statements per completion, claim + complete (issue 13, point 3).
GOAL = 20
# The counts reached, held here so they can only go down. Each includes the SAVEPOINT and RELEASE
# of the test's own transaction (a BEGIN and COMMIT outside tests). docs/performance.md says where
# they go. The rows nothing later in a step reads (audit events, deadlines, the links between task
# rows, the rows of nodes that finish at once, the agreement's status) are written together in
# one statement at the step's end (``agreements.step_writes``).
# A claim: the task with its process, agreement, drafters and the user's roles, read in the
# statement that takes the process lock; then the task's owner, its deadline's assignee and the
# audit event in one statement.
MAX_PER_CLAIM = 4
# The last reviewer: also the join, the round's conclusion and the approval task with its deadline.
# The approval: also the document to sign ordered and the flow's wait for it.
MAX_REVIEW, MAX_APPROVAL, MAX_SIGNATURE = 12, 13, 9
# The last signature also joins the branches and activates the agreement (start date, yearly
# revision deadline, the flow's watch for a newer document ended, the process finished).
MAX_LAST_SIGNATURE = 15


def claim_and_complete(user, agreement, node, data):
    """(statements of the claim, statements of the completion) of ``node`` by ``user``."""
    task = open_task(agreement, node)
    with CaptureQueriesContext(connection) as claim:
        if task.status == "NEW":  # the approver's own signature is assigned to them already
            actions.do_claim_task(user, task)
    task = open_task(agreement, node)
    with CaptureQueriesContext(connection) as complete:
        actions.do_complete_task(user, task, data)
    return len(claim), len(complete), complete


@pytest.fixture
def agreement(orgs, personas):
    return make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])


def test_a_review_costs_at_most_its_statements(agreement, personas):
    advance(agreement, personas, "submitted")
    claim, complete, log = claim_and_complete(personas["lars"], agreement, "legal_review", APPROVE)
    assert claim <= MAX_PER_CLAIM
    assert complete <= MAX_REVIEW, "\n".join(q["sql"] for q in log.captured_queries)
    assert claim + complete <= GOAL
    assert open_task(agreement, "approve") is not None


def test_an_approval_costs_at_most_its_statements(agreement, personas):
    advance(agreement, personas, "reviewed")
    claim, complete, log = claim_and_complete(personas["ulla"], agreement, "approve", APPROVE)
    assert claim <= MAX_PER_CLAIM
    assert complete <= MAX_APPROVAL, "\n".join(q["sql"] for q in log.captured_queries)
    assert claim + complete <= GOAL
    agreement.refresh_from_db()
    assert agreement.status == agreement.Status.AWAITING_SIGNATURE


def test_a_signature_costs_at_most_its_statements(agreement, personas):
    advance(agreement, personas, "approved")
    run_document_jobs()
    document = agreement.documents.order_by("-pk").first()
    sign = {"document_version": document.pk}
    claim, complete, log = claim_and_complete(personas["ulla"], agreement, "sign_customer", sign)
    assert claim <= MAX_PER_CLAIM
    assert complete <= MAX_SIGNATURE, "\n".join(q["sql"] for q in log.captured_queries)
    claim, complete, log = claim_and_complete(personas["ivar"], agreement, "sign_provider", sign)
    assert claim <= MAX_PER_CLAIM
    assert complete <= MAX_LAST_SIGNATURE, "\n".join(q["sql"] for q in log.captured_queries)
    assert claim + complete <= GOAL
    agreement.refresh_from_db()
    assert agreement.status == agreement.Status.ACTIVE
