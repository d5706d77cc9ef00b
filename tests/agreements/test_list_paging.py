"""The agreements list pages with "Forrige/Neste" and never counts every row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import login_as, make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(orgs, personas):
    return [
        make_agreement(
            personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False, title=f"Avtale {i}"
        )
        for i in range(52)
    ]


def test_it_shows_the_newest_fifty_and_a_next_link(many, personas):
    client = login_as(personas["alice"])
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("agreements:list")).content.decode()
    assert many[-1].reference in first and many[2].reference in first
    assert many[1].reference not in first
    assert "Neste" in first and "Forrige" not in first
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_it_shows_the_rest_on_page_two_with_the_filter_kept(many, personas):
    client = login_as(personas["alice"])
    second = client.get(reverse("agreements:list") + "?q=Avtale&page=2").content.decode()
    assert many[0].reference in second and many[1].reference in second
    assert many[2].reference not in second
    assert "Forrige" in second and "Neste" not in second
    assert "?q=Avtale&amp;page=1" in second


def test_it_shows_page_one_for_a_page_number_that_is_not_one(many, personas):
    client = login_as(personas["alice"])
    listing = client.get(reverse("agreements:list") + "?page=abc").content.decode()
    assert many[-1].reference in listing
