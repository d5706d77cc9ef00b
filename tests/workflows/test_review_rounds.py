"""Reviewers see what they review, and a change request brings back only who must look again
(issue 10, points 3 and 4): over HTTP, as the personas click it."""

import html

import pytest
from django.urls import reverse

from agreements import terms
from agreements.models import Agreement, Decision, ReviewRound
from tests.factories import fill_dpa_terms, open_task
from tests.workflows.test_flow_http import claim_and_do, create_over_http, draft_data, login

pytestmark = pytest.mark.django_db

APPROVED = {"outcome": "approved"}


def task_page(client, agreement, node) -> str:
    task = open_task(agreement, node)
    assert task is not None, f"no open {node} task"
    response = client.get(reverse("workflows:task", args=[task.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def submitted_dpa(personas, orgs):
    alice = login(personas["alice"])
    agreement = create_over_http(alice, Agreement.Kind.DATA_PROCESSOR, orgs["UNN"], orgs["HNIKT"])
    fill_dpa_terms(agreement)
    claim_and_do(alice, agreement, "draft", draft_data(agreement))
    return alice, agreement


def test_a_reviewer_reads_the_terms_read_only_and_compact(personas, orgs):
    _alice, agreement = submitted_dpa(personas, orgs)
    lars = login(personas["lars"])
    claim_and_do_page = task_page(lars, agreement, "legal_review")
    assert "Behandlingens gjenstand" in claim_and_do_page
    assert "Drift, vedlikehold og brukerstøtte for kliniske systemer" in claim_and_do_page
    # The lists as tables with the rows entered, and nothing to edit.
    assert "Nordlys Datasenter AS" in claim_and_do_page
    assert "Tofaktorpålogging, tjenstlig behov og rollebasert tilgang." in claim_and_do_page
    assert 'name="subject_matter"' not in claim_and_do_page
    assert "Lagre for å få flere tomme rader" not in claim_and_do_page
    assert "form-TOTAL_FORMS" not in claim_and_do_page
    # Round 1: nothing has changed yet and no earlier approval stands.
    assert "Endret siden runde" not in claim_and_do_page
    assert "Godkjenninger som står" not in claim_and_do_page

    task = open_task(agreement, "legal_review")
    lars.post(reverse("workflows:claim", args=[task.pk]))
    page = task_page(lars, agreement, "legal_review")
    assert "Ingen merknader" in page
    assert "Endringer må gjøres" in page
    assert "Godkjent – klar for godkjenning" not in page


def test_after_a_change_request_from_legal_only_legal_reviews_again(personas, orgs):
    alice, agreement = submitted_dpa(personas, orgs)
    comment = "Formålet med avtalen må stå i beskrivelsen."
    claim_and_do(
        login(personas["lars"]),
        agreement,
        "legal_review",
        {"outcome": "changes_requested", "comment": comment},
    )
    claim_and_do(login(personas["pia"]), agreement, "privacy_review", APPROVED)
    claim_and_do(login(personas["sam"]), agreement, "security_review", APPROVED)
    assert agreement.status == Agreement.Status.CHANGES_REQUESTED

    # The owner revises: the task says so, with the comment.
    assert open_task(agreement, "draft") is None
    inbox = html.unescape(alice.get(reverse("workflows:inbox")).content.decode())
    assert '/">Revider utkast</a>' in inbox
    assert '/">Utarbeid utkast</a>' not in inbox
    page = task_page(alice, agreement, "revise")
    assert "<h1>Revider utkast</h1>" in page
    assert comment in page
    claim_and_do(
        alice,
        agreement,
        "revise",
        {**draft_data(agreement), "description": "Drift av journalsystemet for UNN."},
    )

    # Only legal reviews round 2; privacy's and security's approvals stand and are shown.
    assert agreement.review_round == 2
    assert open_task(agreement, "legal_review") is not None
    assert open_task(agreement, "privacy_review") is None
    assert open_task(agreement, "security_review") is None
    assert ReviewRound.objects.get(agreement=agreement, number=2).areas == ["legal"]
    page = task_page(login(personas["lene"]), agreement, "legal_review")
    assert "Endret siden runde 1" in page
    assert "Beskrivelse" in page and "Drift av journalsystemet for UNN." in page
    assert "Personvern</strong>: Godkjent i runde 1 av Pia" in page
    assert "Informasjonssikkerhet</strong>: Godkjent i runde 1 av Sam" in page

    claim_and_do(login(personas["lene"]), agreement, "legal_review", APPROVED)
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL
    round_two = Decision.objects.filter(agreement=agreement, review_round=2)
    assert list(round_two.values_list("area", "outcome")) == [("legal", "approved")]
    approval_page = task_page(login(personas["ulla"]), agreement, "approve")
    assert "Godkjent i runde 1 av Pia" in approval_page


def test_a_change_in_the_security_measures_brings_security_back_and_shows_the_rows(personas, orgs):
    alice, agreement = submitted_dpa(personas, orgs)
    claim_and_do(
        login(personas["lars"]),
        agreement,
        "legal_review",
        {"outcome": "changes_requested", "comment": "Logging må beskrives nærmere."},
    )
    claim_and_do(login(personas["pia"]), agreement, "privacy_review", APPROVED)
    claim_and_do(login(personas["sam"]), agreement, "security_review", APPROVED)

    rows = terms.rows_of(agreement)
    measures = [
        {"area": m.area, "measure": m.measure}
        for m in rows["security_measures"]
        if m.area != "Logging"
    ] + [{"area": "Logging", "measure": "Logg over oppslag lagres i fem år og kontrolleres."}]
    terms.do_update_terms(personas["alice"], agreement, {}, {"security_measures": measures})
    claim_and_do(alice, agreement, "revise", draft_data(agreement))

    # Security's part changed: security and legal review; privacy's approval stands.
    assert set(ReviewRound.objects.get(agreement=agreement, number=2).areas) == {
        "legal",
        "security",
    }
    assert open_task(agreement, "privacy_review") is None
    page = task_page(login(personas["sam"]), agreement, "security_review")
    assert "Sikkerhetstiltak" in page
    assert "fjernet: <del>Logging · All tilgang til helseopplysninger logges" in page
    assert (
        "lagt til: <ins>Logging · Logg over oppslag lagres i fem år og kontrolleres.</ins>" in page
    )
    assert "Personvern</strong>: Godkjent i runde 1" in page
