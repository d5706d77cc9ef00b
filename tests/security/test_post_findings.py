"""What the fuzzing of every POST found (test_fuzz_every_post.py), pinned as plain examples."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, User
from tests.factories import login_as, make_agreement

from .fuzz_values import feedback, snapshot

pytestmark = pytest.mark.django_db


def test_it_refuses_a_user_name_longer_than_any_in_norwegian(personas):
    response = Client().post(reverse("login"), {"username": "å" * 300, "password": "x"})
    assert response.status_code == 200
    assert feedback(response)["errors"] == ["Feil brukernavn eller passord. Prøv igjen."]
    # Never tried, so never stored in axes' 255-character column (that was the 500).
    assert not AccessAttempt.objects.exists()


def test_it_says_what_is_missing_when_a_form_is_posted_empty(personas):
    alice = personas["alice"]
    User.objects.filter(pk=alice.pk).update(reminder_frequency=User.ReminderFrequency.WEEKLY)
    response = login_as(alice).post(reverse("reminder_preferences"), {})
    assert response.status_code == 200
    assert feedback(response)["errors"] == ["Feltet er påkrevet."]
    alice.refresh_from_db()
    assert alice.reminder_frequency == User.ReminderFrequency.WEEKLY


def test_it_says_so_when_no_token_was_chosen_to_revoke(personas):
    client = login_as(personas["alice"])
    response = client.post(reverse("api_tokens"), {"revoke": ""}, follow=True)
    assert feedback(response)["errors"] == ["Velg nøkkelen som skal trekkes tilbake."]


def test_it_shows_why_a_risk_measure_was_refused(personas, orgs):
    from .post_targets import RISK, build_world

    world = build_world(personas, orgs)
    data = {**RISK, "requirement": world.requirement.pk, "organisation": orgs["UNN"].pk}
    del data["measures-0-status"]
    client = login_as(personas["ulla"])
    before = snapshot()
    response = client.post(reverse("followup:risk_new"), data)
    assert response.status_code == 200
    assert feedback(response)["errors"] == ["Feltet er påkrevet."]
    assert snapshot() == before


def test_it_says_what_is_missing_when_an_appendix_upload_is_posted_empty(personas, orgs):
    operating = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], kind="operating")
    client = login_as(personas["alice"])
    before = snapshot()
    # An empty POST left the form unbound: the page came back without a word.
    response = client.post(reverse("agreements:appendices", args=[operating.reference]), {})
    assert response.status_code == 200
    assert feedback(response)["errors"] == ["Feltet er påkrevet.", "Feltet er påkrevet."]
    assert snapshot() == before


def test_it_asks_for_the_reason_when_a_withdrawal_is_posted_empty(personas, orgs):
    draft = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    client = login_as(personas["alice"])
    # Before: "Skjemaet har feil. Se merknadene nedenfor." with no remark below it.
    response = client.post(reverse("workflows:withdraw", args=[draft.reference]), {})
    assert response.status_code == 200
    assert feedback(response)["errors"] == [
        "Skjemaet har feil. Se merknadene nedenfor.",
        "Skriv hvorfor avtalen trekkes.",
    ]
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT
