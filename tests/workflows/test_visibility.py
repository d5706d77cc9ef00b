"""A user sees agreements and tasks where their organisation is a party; everything else is 404."""

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement
from tests.factories import login_as, make_agreement, open_task

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    return login_as(user)


@pytest.fixture
def nlsh_agreement(personas, orgs):
    """A Nordlandssykehuset agreement with an open draft task; UNN is not a party."""
    return make_agreement(personas["bob"], orgs["NLSH"], orgs["HNIKT"])


@pytest.mark.parametrize("persona", ["alice", "ulla"])
def test_it_answers_404_for_another_organisations_pages(persona, personas, nlsh_agreement):
    client = login(personas[persona])
    task = open_task(nlsh_agreement, "draft")
    for url in [
        reverse("agreements:detail", args=[nlsh_agreement.reference]),
        reverse("workflows:task", args=[task.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Fant ikke siden" in response.content.decode()
    for url in [
        reverse("workflows:claim", args=[task.pk]),
        reverse("workflows:release", args=[task.pk]),
        reverse("workflows:task", args=[task.pk]),
    ]:
        assert client.post(url, {"title": "x"}).status_code == 404, url
    listing = client.get(reverse("agreements:list")).content.decode()
    assert nlsh_agreement.reference not in listing
    nlsh_agreement.refresh_from_db()
    assert nlsh_agreement.status == Agreement.Status.DRAFT


@pytest.mark.parametrize("persona", ["bob", "nils", "lars", "ivar", "ada"])
def test_it_shows_the_agreement_to_parties_and_administrators(persona, personas, nlsh_agreement):
    client = login(personas[persona])
    page = client.get(reverse("agreements:detail", args=[nlsh_agreement.reference]))
    assert page.status_code == 200
    assert nlsh_agreement.title in page.content.decode()
    assert nlsh_agreement.reference in client.get(reverse("agreements:list")).content.decode()


def test_it_keeps_a_task_out_of_other_inboxes_and_queues(personas, nlsh_agreement):
    task = open_task(nlsh_agreement, "draft")
    for persona in ["alice", "ulla", "lars"]:
        client = login(personas[persona])
        for tab in ["workflows:inbox", "workflows:queue", "workflows:archive"]:
            assert f"/tasks/{task.pk}/" not in client.get(reverse(tab)).content.decode()
    bob = login(personas["bob"])
    assert f"/tasks/{task.pk}/" in bob.get(reverse("workflows:inbox")).content.decode()


def test_it_sends_anonymous_visitors_to_the_login_page(nlsh_agreement):
    client = Client()
    for url in [
        reverse("workflows:inbox"),
        reverse("agreements:list"),
        reverse("agreements:detail", args=[nlsh_agreement.reference]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_it_filters_the_agreement_list(personas, orgs):
    service = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="Tjeneste A")
    dpa = make_agreement(
        personas["alice"],
        orgs["UNN"],
        orgs["HNIKT"],
        kind=Agreement.Kind.DATA_PROCESSOR,
        title="Databehandling B",
    )
    client = login(personas["alice"])
    page = client.get(reverse("agreements:list"), {"kind": "data_processor"}).content.decode()
    assert dpa.reference in page and service.reference not in page
    page = client.get(reverse("agreements:list"), {"status": "active"}).content.decode()
    assert dpa.reference not in page and "Ingen avtaler passer filteret." in page
    page = client.get(reverse("agreements:list"), {"kind": "nonsense"}).content.decode()
    assert dpa.reference not in page and "Velg et gyldig valg" in page
