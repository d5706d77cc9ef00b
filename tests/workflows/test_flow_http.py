"""The whole path of each agreement kind over HTTP, clicked by the personas."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, AuditEvent, Decision, Signature
from tests.factories import fill_dpa_terms, login_as, open_task, run_document_jobs

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    return login_as(user)


def create_over_http(client, kind, customer, provider, title="Ny avtale"):
    response = client.post(
        reverse("workflows:new_agreement"),
        {
            "kind": kind,
            "title": title,
            "customer": customer.pk,
            "provider": provider.pk,
            "notice_months": 3,
            "target_date": "2030-06-03",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reference = response.url.rstrip("/").split("/")[-1]
    return Agreement.objects.get(reference=reference)


def inbox_task_links(client):
    page = client.get(reverse("workflows:inbox")).content.decode()
    return re.findall(r'href="/tasks/(\d+)/"', page)


def claim_and_do(client, agreement, node, data):
    task = open_task(agreement, node)
    assert task is not None, f"no open {node} task"
    queue = client.get(reverse("workflows:queue")).content.decode()
    if task.status == "NEW":
        assert f"/tasks/{task.pk}/claim/" in queue
        response = client.post(reverse("workflows:claim", args=[task.pk]))
        assert response.status_code == 302
    page = client.get(reverse("workflows:task", args=[task.pk]))
    assert page.status_code == 200
    response = client.post(reverse("workflows:task", args=[task.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement.refresh_from_db()
    return task


def draft_data(agreement):
    return {
        "title": agreement.title,
        "notice_months": agreement.notice_months,
        "target_date": "2030-06-03",
    }


def run_to_active(agreement, personas, reviewers):
    owner = login(agreement.owner)
    if agreement.kind == Agreement.Kind.DATA_PROCESSOR:
        fill_dpa_terms(agreement)
    claim_and_do(owner, agreement, "draft", draft_data(agreement))
    assert agreement.status == Agreement.Status.IN_REVIEW
    for node, persona in reviewers:
        claim_and_do(login(personas[persona]), agreement, node, {"outcome": "approved"})
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL
    approver = personas["ulla"] if agreement.customer.code == "UNN" else personas["nils"]
    claim_and_do(login(approver), agreement, "approve", {"outcome": "approved"})
    assert agreement.status == Agreement.Status.AWAITING_SIGNATURE
    assert open_task(agreement, "sign_customer") is None, "signing waits for the document"
    run_document_jobs()
    document = agreement.documents.get(status="ready")
    sign = {"confirm": "on", "document_version": document.pk}
    claim_and_do(login(approver), agreement, "sign_customer", sign)
    assert agreement.status == Agreement.Status.AWAITING_SIGNATURE
    claim_and_do(login(personas["ivar"]), agreement, "sign_provider", sign)
    assert agreement.status == Agreement.Status.ACTIVE


@pytest.mark.parametrize(
    "kind",
    [
        Agreement.Kind.SERVICE,
        Agreement.Kind.OPERATING,
        Agreement.Kind.MAIN_OPERATING,
        Agreement.Kind.OTHER,
    ],
)
def test_it_takes_each_kind_from_draft_to_active_with_legal_review(kind, personas, orgs):
    alice = login(personas["alice"])
    agreement = create_over_http(alice, kind, orgs["UNN"], orgs["HNIKT"])
    assert agreement.status == Agreement.Status.DRAFT
    assert re.match(r"HNIKT-\d{4}-\d{4}$", agreement.reference)
    assert inbox_task_links(alice), "the draft should wait in the owner's inbox"

    run_to_active(agreement, personas, [("legal_review", "lars")])

    assert open_task(agreement, "privacy_review") is None
    signed = Signature.objects.filter(agreement=agreement)
    assert {(s.party.code, s.signed_by.username) for s in signed} == {
        ("UNN", "ulla"),
        ("HNIKT", "ivar"),
    }
    page = alice.get(reverse("agreements:detail", args=[agreement.reference])).content.decode()
    assert "Aktiv" in page
    assert "Signering for kunden" in page
    statuses = list(
        AuditEvent.objects.filter(agreement=agreement)
        .exclude(to_status="")
        .values_list("to_status", flat=True)
    )
    assert statuses == [
        "draft",
        "in_review",
        "awaiting_approval",
        "awaiting_signature",
        "active",
    ]


def test_it_sends_a_data_processor_agreement_to_legal_privacy_and_security(personas, orgs):
    agreement = create_over_http(
        login(personas["alice"]), Agreement.Kind.DATA_PROCESSOR, orgs["UNN"], orgs["HNIKT"]
    )
    run_to_active(
        agreement,
        personas,
        [("legal_review", "lars"), ("privacy_review", "pia"), ("security_review", "sam")],
    )
    areas = set(agreement.decisions.values_list("area", flat=True))
    assert areas == {"legal", "privacy", "security", "approval"}


def test_it_returns_the_draft_with_every_reviewers_comment_and_goes_round_again(personas, orgs):
    alice = login(personas["alice"])
    agreement = create_over_http(alice, Agreement.Kind.DATA_PROCESSOR, orgs["UNN"], orgs["HNIKT"])
    fill_dpa_terms(agreement)
    claim_and_do(alice, agreement, "draft", draft_data(agreement))
    claim_and_do(
        login(personas["lars"]),
        agreement,
        "legal_review",
        {"outcome": "changes_requested", "comment": "Punkt 9 om opphør mangler."},
    )
    claim_and_do(
        login(personas["pia"]),
        agreement,
        "privacy_review",
        {"outcome": "changes_requested", "comment": "Fyll ut kategoriene av registrerte."},
    )
    assert agreement.status == Agreement.Status.IN_REVIEW
    claim_and_do(login(personas["sam"]), agreement, "security_review", {"outcome": "approved"})

    assert agreement.status == Agreement.Status.CHANGES_REQUESTED
    draft = open_task(agreement, "revise")
    assert draft.owner == personas["alice"]
    page = alice.get(reverse("workflows:task", args=[draft.pk])).content.decode()
    assert "Revider utkast" in page
    assert "Punkt 9 om opphør mangler." in page
    assert "Fyll ut kategoriene av registrerte." in page

    claim_and_do(alice, agreement, "revise", draft_data(agreement))
    assert agreement.status == Agreement.Status.IN_REVIEW
    assert agreement.review_round == 2
    # Security approved and nothing changed: its approval stands; the other two review again.
    assert open_task(agreement, "security_review") is None
    for node, persona in [("legal_review", "lene"), ("privacy_review", "pia")]:
        claim_and_do(login(personas[persona]), agreement, node, {"outcome": "approved"})
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL
    assert Decision.objects.filter(agreement=agreement, review_round=1).count() == 3
    assert Decision.objects.filter(agreement=agreement, review_round=2).count() == 2


def test_it_lets_the_approver_send_the_agreement_back(personas, orgs):
    alice = login(personas["alice"])
    agreement = create_over_http(alice, Agreement.Kind.SERVICE, orgs["UNN"], orgs["HNIKT"])
    claim_and_do(alice, agreement, "draft", draft_data(agreement))
    claim_and_do(login(personas["lars"]), agreement, "legal_review", {"outcome": "approved"})
    claim_and_do(
        login(personas["ulla"]),
        agreement,
        "approve",
        {"outcome": "changes_requested", "comment": "Prismodellen må avklares."},
    )
    assert agreement.status == Agreement.Status.CHANGES_REQUESTED
    assert open_task(agreement, "revise").owner == personas["alice"]


def test_it_routes_approval_to_the_customers_approver_only(personas, orgs):
    bob = login(personas["bob"])
    agreement = create_over_http(bob, Agreement.Kind.SERVICE, orgs["NLSH"], orgs["HNIKT"])
    claim_and_do(bob, agreement, "draft", draft_data(agreement))
    claim_and_do(login(personas["lars"]), agreement, "legal_review", {"outcome": "approved"})
    approval = open_task(agreement, "approve")

    unn_approver = login(personas["ulla"])
    assert (
        f"/tasks/{approval.pk}/"
        not in unn_approver.get(reverse("workflows:queue")).content.decode()
    )
    assert unn_approver.post(reverse("workflows:claim", args=[approval.pk])).status_code == 404
    nlsh_approver = login(personas["nils"])
    assert (
        f"/tasks/{approval.pk}/claim/"
        in nlsh_approver.get(reverse("workflows:queue")).content.decode()
    )


def test_it_serves_the_new_agreement_form_at_agreements_new(personas):
    # workflows owns the page now; the address people have bookmarked stays the same.
    assert reverse("workflows:new_agreement") == "/agreements/new/"
    page = login(personas["alice"]).get("/agreements/new/").content.decode()
    assert 'name="kind"' in page and 'name="customer"' in page
