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
