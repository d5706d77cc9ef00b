"""A user who is away names a substitute on their own page; the substitute then does their tasks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.roles import Role
from tests.factories import login_as, make_agreement, make_user
from workflows import inbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(orgs):
    return make_user("carl", orgs["UNN"], Role.CONTRACT_OWNER)


def test_it_lets_a_user_name_a_substitute_who_then_sees_their_tasks(personas, orgs, colleague):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    until = timezone.localdate() + timedelta(days=7)
    client = login_as(personas["alice"])
    response = client.post(
        reverse("absence"), {"substitute": colleague.pk, "away_until": until.isoformat()}
    )
    assert response.status_code == 302
    personas["alice"].refresh_from_db()
    assert (personas["alice"].substitute, personas["alice"].away_until) == (colleague, until)
    assert "borte" in client.get(reverse("absence")).content.decode()
    page = login_as(colleague).get(reverse("workflows:inbox")).content.decode()
    assert agreement.reference in page


@pytest.mark.parametrize(
    "who, days, message",
    [
        ("bob", 3, "Stedfortrederen må være en aktiv kollega i din organisasjon."),
        ("alice", 3, "Du kan ikke være din egen stedfortreder."),
        ("carl", -1, "Siste fraværsdag kan ikke være tilbake i tid."),
        ("carl", None, "Velg både stedfortreder og siste fraværsdag, eller ingen av dem."),
    ],
)
def test_it_refuses_a_bad_absence_and_keeps_the_old_one(who, days, message, personas, colleague):
    users = {**personas, "carl": colleague}
    data = {"substitute": users[who].pk}
    if days is not None:
        data["away_until"] = (timezone.localdate() + timedelta(days=days)).isoformat()
    response = login_as(personas["alice"]).post(reverse("absence"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page or "Velg et gyldig valg" in page
    personas["alice"].refresh_from_db()
    assert personas["alice"].substitute is None and personas["alice"].away_until is None


def test_it_clears_the_absence_when_both_fields_are_empty(personas, colleague):
    until = timezone.localdate() + timedelta(days=2)
    alice = personas["alice"]
    alice.substitute, alice.away_until = colleague, until
    alice.save()
    response = login_as(alice).post(reverse("absence"), {"substitute": "", "away_until": ""})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.substitute is None and alice.away_until is None
    assert not inbox.inbox(colleague)
