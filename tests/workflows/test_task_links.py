"""A completion writes the links between its task rows together (workflows.task_links): the
flow's history still leads from every task back to the one before it."""

import pytest
from viewflow.workflow.models import Task

from tests.factories import APPROVE, advance, make_agreement, open_task, run_document_jobs
from workflows import actions
from workflows.flows import AgreementFlow

pytestmark = pytest.mark.django_db


def chain_back_from(task, length):
    """The node names from ``task`` back along ``previous``, ``length`` steps."""
    names = [task.flow_task.name]
    for _ in range(length):
        (task,) = Task.objects.filter(leading=task)
        names.append(task.flow_task.name)
    return names


def test_the_last_review_links_every_row_it_writes_to_the_one_before(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    review = open_task(agreement, "legal_review")
    actions.do_claim_task(personas["lars"], review)
    actions.do_complete_task(personas["lars"], open_task(agreement, "legal_review"), APPROVE)

    approval = open_task(agreement, "approve")
    assert chain_back_from(approval, 5) == [
        "approve",
        "check_reviews",
        "conclude_reviews",
        "join_reviews",
        "legal_review",
        "split_reviews",
    ]


def test_the_last_signature_links_the_join_the_activation_and_the_end(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "approved")
    run_document_jobs()
    sign = {"document_version": agreement.documents.order_by("-pk").first().pk}
    actions.do_complete_task(personas["ulla"], open_task(agreement, "sign_customer"), sign)
    actions.do_claim_task(personas["ivar"], open_task(agreement, "sign_provider"))
    actions.do_complete_task(personas["ivar"], open_task(agreement, "sign_provider"), sign)

    tasks = Task.objects.filter(process__agreementprocess__agreement=agreement)
    end = tasks.get(flow_task_type="END")
    assert chain_back_from(end, 2) == ["end", "activate", "join_signing"]
    join = tasks.get(flow_task=AgreementFlow.join_signing)
    assert sorted(t.flow_task.name for t in join.previous.all()) == [
        "sign_customer",
        "sign_provider",
    ]


def test_three_reviews_meet_in_one_join_that_waits_for_the_last(orgs, personas):
    from agreements.models import Agreement
    from tests.factories import do_task, fill_dpa_terms
    from tests.workflows.test_flow_http import claim_and_do, create_over_http, draft_data, login

    alice = login(personas["alice"])
    agreement = create_over_http(alice, Agreement.Kind.DATA_PROCESSOR, orgs["UNN"], orgs["HNIKT"])
    fill_dpa_terms(agreement)
    claim_and_do(alice, agreement, "draft", draft_data(agreement))
    tasks = Task.objects.filter(process__agreementprocess__agreement=agreement)

    do_task(personas["lars"], agreement, "legal_review", APPROVE)
    do_task(personas["pia"], agreement, "privacy_review", APPROVE)
    join = tasks.get(flow_task=AgreementFlow.join_reviews)
    assert join.status == "STARTED"
    assert sorted(t.flow_task.name for t in join.previous.all()) == [
        "legal_review",
        "privacy_review",
    ]
    assert open_task(agreement, "approve") is None

    do_task(personas["sam"], agreement, "security_review", APPROVE)
    join.refresh_from_db()
    assert join.status == "DONE"
    assert sorted(t.flow_task.name for t in join.previous.all()) == [
        "legal_review",
        "privacy_review",
        "security_review",
    ]
    assert chain_back_from(open_task(agreement, "approve"), 3) == [
        "approve",
        "check_reviews",
        "conclude_reviews",
        "join_reviews",
    ]
    assert tasks.filter(flow_task=AgreementFlow.join_reviews).count() == 1


def test_the_rows_written_at_the_steps_end_say_what_they_are(orgs, personas):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "submitted")
    actions.do_claim_task(personas["lars"], open_task(agreement, "legal_review"))
    actions.do_complete_task(personas["lars"], open_task(agreement, "legal_review"), APPROVE)

    rows = {
        task.flow_task.name: task
        for task in Task.objects.filter(process__agreementprocess__agreement=agreement)
    }
    for name, kind in [("join_reviews", "JOIN"), ("conclude_reviews", "FUNCTION")]:
        assert (rows[name].flow_task_type, rows[name].status) == (kind, "DONE")
        assert rows[name].created <= rows[name].finished
    assert rows["check_reviews"].flow_task_type == "EXCLUSIVE_GATEWAY"
    assert rows["approve"].status == "NEW"
