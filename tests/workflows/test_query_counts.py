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

# The goal is 20 per completion; these are today's counts (docs/performance.md says
# where they go: viewflow's own join/gateway rows and the lifecycle's locked reload and
# savepoints), held here so they can only go down.
# Raised once (claim +2, review +7, approval +4) when routing began to check that the next steps have a holder and
# the managing organisation joined the visibility test (issue 10).
# Raised by one each for approval and the last signature when approval was bound to the draft
# shown (one read of the newest draft) and activation began to end the flow's watch for a newer
# document version (one UPDATE) (issue 10, point 3).
MAX_PER_CLAIM = 17
MAX_REVIEW, MAX_APPROVAL, MAX_SIGNATURE = 63, 48, 28
# The last signature also joins the branches and activates the agreement; +4 when activation
# began to stamp the start date and open the yearly revision's deadline (issue 10, point 5).
MAX_LAST_SIGNATURE = 61


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
    assert open_task(agreement, "approve") is not None


def test_an_approval_costs_at_most_its_statements(agreement, personas):
    advance(agreement, personas, "reviewed")
    claim, complete, log = claim_and_complete(personas["ulla"], agreement, "approve", APPROVE)
    assert claim <= MAX_PER_CLAIM
    assert complete <= MAX_APPROVAL, "\n".join(q["sql"] for q in log.captured_queries)
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
    assert complete <= MAX_LAST_SIGNATURE, "\n".join(q["sql"] for q in log.captured_queries)
    agreement.refresh_from_db()
    assert agreement.status == agreement.Status.ACTIVE
