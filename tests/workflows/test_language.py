"""Norwegian bokmål by default, whatever the browser asks for; English when the user picks it."""

import pytest
from django.urls import reverse

from tests.factories import login_as, make_agreement

pytestmark = pytest.mark.django_db


def test_it_speaks_norwegian_even_to_an_english_browser(personas, orgs):
    make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    client = login_as(personas["alice"])
    page = client.get(reverse("workflows:inbox"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Oppgaver som venter på deg." in page
    assert "Utarbeid utkast" in page


def test_it_switches_to_english_and_remembers_it_on_the_profile(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    client = login_as(personas["alice"])
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    personas["alice"].refresh_from_db()
    assert personas["alice"].language == "en"
    page = client.get(reverse("workflows:inbox")).content.decode()
    assert "Tasks waiting for you." in page
    assert "Prepare draft" in page
    detail = client.get(reverse("agreements:detail", args=[agreement.reference])).content.decode()
    assert "Event log" in detail


def test_it_ignores_an_unknown_language_and_an_offsite_redirect(personas):
    client = login_as(personas["alice"])
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.url == "/"
    personas["alice"].refresh_from_db()
    assert personas["alice"].language == "nb"
