"""Whoever drafted may not review, approve or sign; the rules hold in queues, claims and services."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agreements import lifecycle
from agreements.models import Agreement, Decision
from agreements.roles import Role
from tests.factories import (
    advance,
    login_as,
    make_agreement,
    make_user,
    open_task,
    run_document_jobs,
)
from workflows import actions, inbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafting_approver(orgs):
    """A UNN manager who is both contract owner and approver."""
    return make_user("dina", orgs["UNN"], Role.CONTRACT_OWNER, Role.APPROVER)


@pytest.fixture
def drafting_lawyer(orgs):
    return make_user("jon", orgs["HNIKT"], Role.CONTRACT_OWNER, Role.LEGAL, Role.APPROVER)


def submit(agreement):
    task = open_task(agreement, "draft")
    actions.do_complete_task(agreement.owner, task, {"title": agreement.title, "notice_months": 3})


def test_it_keeps_a_drafter_from_reviewing_their_own_draft(drafting_lawyer, orgs, personas):
    agreement = make_agreement(drafting_lawyer, orgs["UNN"], orgs["HNIKT"])
    submit(agreement)
    review = open_task(agreement, "legal_review")
    assert review not in inbox.queue(drafting_lawyer)
    assert review in inbox.queue(personas["lars"])
    with pytest.raises(actions.TaskUnavailable):
        actions.do_claim_task(drafting_lawyer, review)
    with pytest.raises(PermissionDenied):
        lifecycle.do_record_review(drafting_lawyer, agreement, Decision.Area.LEGAL, "approved")
    assert not agreement.decisions.exists()


def test_it_keeps_a_drafter_from_approving_and_signing(drafting_approver, orgs, personas):
    agreement = make_agreement(drafting_approver, orgs["UNN"], orgs["HNIKT"])
    submit(agreement)
    review = open_task(agreement, "legal_review")
    actions.do_claim_task(personas["lars"], review)
    actions.do_complete_task(personas["lars"], review, {"outcome": "approved", "comment": ""})
    approval = open_task(agreement, "approve")
    assert approval not in inbox.queue(drafting_approver)

    client = login_as(drafting_approver)
    response = client.post(reverse("workflows:claim", args=[approval.pk]), follow=True)
    assert "Du kan ikke utføre denne oppgaven." in response.content.decode()
    approval.refresh_from_db()
    assert approval.owner is None

    actions.do_claim_task(personas["ulla"], approval)
    actions.do_complete_task(personas["ulla"], approval, {"outcome": "approved", "comment": ""})
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_SIGNATURE
    run_document_jobs()
    sign = open_task(agreement, "sign_customer")
    assert sign not in inbox.queue(drafting_approver)
    with pytest.raises(PermissionDenied):
        lifecycle.do_sign_agreement(drafting_approver, agreement, orgs["UNN"])
    assert not agreement.signatures.exists()


def test_it_refuses_a_signature_for_a_party_the_signer_does_not_belong_to(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "approved")
    provider_signing = open_task(agreement, "sign_provider")
    assert provider_signing not in inbox.queue(personas["ulla"])
    with pytest.raises(PermissionDenied):
        lifecycle.do_sign_agreement(personas["ulla"], agreement, orgs["HNIKT"])
    with pytest.raises(PermissionDenied):
        lifecycle.do_sign_agreement(personas["nils"], agreement, orgs["NLSH"])
    assert not agreement.signatures.exists()
