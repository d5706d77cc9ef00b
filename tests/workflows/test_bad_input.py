"""Bad form input shows a message in Norwegian and changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, AuditEvent, Decision
from tests.factories import advance, login_as, make_agreement, open_task
from workflows import actions

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    return login_as(user)


def test_it_refuses_a_new_agreement_between_the_same_organisation(personas, orgs):
    client = login(personas["alice"])
    before = Agreement.objects.count()
    response = client.post(
        reverse("workflows:new_agreement"),
        {
            "kind": "service",
            "title": "X",
            "customer": orgs["UNN"].pk,
            "provider": orgs["UNN"].pk,
            "notice_months": 3,
        },
    )
    assert response.status_code == 200
    assert (
        "Kunde og leverandør må være to forskjellige organisasjoner." in response.content.decode()
    )
    assert Agreement.objects.count() == before


def test_it_refuses_an_agreement_between_two_other_organisations(personas, orgs):
    client = login(personas["alice"])
    response = client.post(
        reverse("workflows:new_agreement"),
        {
            "kind": "service",
            "title": "X",
            "customer": orgs["NLSH"].pk,
            "provider": orgs["HNIKT"].pk,
            "notice_months": 3,
        },
    )
    assert "Din organisasjon må være kunde eller leverandør i avtalen." in response.content.decode()
    assert not Agreement.objects.exists()


def test_it_refuses_an_end_date_before_the_start_date_in_the_draft(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="Uendret")
    draft = open_task(agreement, "draft")
    response = login(personas["alice"]).post(
        reverse("workflows:task", args=[draft.pk]),
        {
            "title": "Endret",
            "notice_months": 3,
            "start_date": "2027-01-10",
            "end_date": "2026-01-10",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sluttdato kan ikke være før startdato." in page
    agreement.refresh_from_db()
    assert agreement.title == "Uendret"
    assert agreement.status == Agreement.Status.DRAFT
    draft.refresh_from_db()
    assert draft.status == "ASSIGNED"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "notice_months": 3}, "Feltet er påkrevet."),
        ({"title": "T", "notice_months": "-2"}, "Verdien må være større enn eller lik 0."),
        ({"title": "T", "notice_months": 3, "target_date": "31.02.2027"}, "Oppgi en gyldig dato."),
    ],
)
def test_it_shows_field_errors_in_the_draft(data, message, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    response = login(personas["alice"]).post(reverse("workflows:task", args=[draft.pk]), data)
    assert message in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_it_requires_a_comment_when_a_reviewer_asks_for_changes(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    actions.do_complete_task(
        personas["alice"], open_task(agreement, "draft"), {"title": "T", "notice_months": 3}
    )
    review = open_task(agreement, "legal_review")
    client = login(personas["lars"])
    client.post(reverse("workflows:claim", args=[review.pk]))
    response = client.post(
        reverse("workflows:task", args=[review.pk]),
        {"outcome": "changes_requested", "comment": " "},
    )
    assert "Skriv hva som må endres." in response.content.decode()
    assert not Decision.objects.filter(agreement=agreement).exists()
    response = client.post(reverse("workflows:task", args=[review.pk]), {"outcome": "maybe"})
    assert "Velg et gyldig valg" in response.content.decode()
    review.refresh_from_db()
    assert review.status == "ASSIGNED"


def test_it_requires_the_signing_confirmation(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "approved")
    sign = open_task(agreement, "sign_customer")
    client = login(personas["ulla"])
    client.post(reverse("workflows:claim", args=[sign.pk]))
    response = client.post(reverse("workflows:task", args=[sign.pk]), {})
    assert "Du må bekrefte at du har signaturfullmakt." in response.content.decode()
    assert not agreement.signatures.exists()


def test_it_explains_when_a_finished_task_is_submitted_again(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    client = login(personas["alice"])
    client.post(reverse("workflows:task", args=[draft.pk]), {"title": "T", "notice_months": 3})
    events = AuditEvent.objects.filter(agreement=agreement).count()
    response = client.post(
        reverse("workflows:task", args=[draft.pk]), {"title": "T2", "notice_months": 3}, follow=True
    )
    assert "Oppgaven er allerede fullført." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.title == "T"
    assert AuditEvent.objects.filter(agreement=agreement).count() == events
