"""Generated input for every form: never a 5xx, and nothing changes when input is refused."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement, AuditEvent, Decision, Signature
from tests.factories import make_agreement, open_task
from workflows import tasks

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "<script>",
            "' OR 1=1 --",
            "\x00",
            "é" * 250,
            "null",
            "[]",
            "{}",
        ]
    ),
)
maybe_text = st.one_of(st.none(), text, st.integers(min_value=-(10**12), max_value=10**12).map(str))


def snapshot(agreement=None):
    return (
        Agreement.objects.count(),
        AuditEvent.objects.count(),
        Decision.objects.count(),
        Signature.objects.count(),
        tuple(Agreement.objects.order_by("pk").values_list("title", "status", "review_round")),
    )


def post_form(client, url, data):
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "kind": maybe_text,
            "title": maybe_text,
            "customer": maybe_text,
            "provider": maybe_text,
            "notice_months": maybe_text,
            "target_date": maybe_text,
            "start_date": maybe_text,
            "end_date": maybe_text,
            "applications": maybe_text,
            "parent": maybe_text,
            "requirement": maybe_text,
        }
    )
)
def test_it_survives_generated_new_agreement_input(data, personas, orgs):
    client = as_user(personas["alice"])
    before = snapshot()
    response = post_form(client, reverse("new_agreement"), data)
    assert response.status_code < 500
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "title": maybe_text,
            "notice_months": maybe_text,
            "target_date": maybe_text,
            "start_date": maybe_text,
            "end_date": maybe_text,
            "description": maybe_text,
        }
    )
)
def test_it_survives_generated_draft_input(data, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    before = snapshot()
    response = post_form(
        as_user(personas["alice"]), reverse("workflows:task", args=[draft.pk]), data
    )
    assert response.status_code < 500
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(data=st.fixed_dictionaries({"outcome": maybe_text, "comment": maybe_text}))
def test_it_survives_generated_review_input(data, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    tasks.do_complete_task(
        personas["alice"], open_task(agreement, "draft"), {"title": "T", "notice_months": 3}
    )
    review = open_task(agreement, "legal_review")
    tasks.do_claim_task(personas["lars"], review)
    before = snapshot()
    response = post_form(
        as_user(personas["lars"]), reverse("workflows:task", args=[review.pk]), data
    )
    assert response.status_code < 500
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "kind", "status", "organisation", "requirement", "page"]), text
    )
)
def test_it_survives_generated_list_filters(params, personas):
    response = as_user(personas["alice"]).get(reverse("agreements:list"), params)
    assert response.status_code == 200


@FUZZ
@given(username=text, password=text)
def test_it_survives_generated_logins(username, password, personas):
    response = Client().post(reverse("login"), {"username": username, "password": password})
    assert response.status_code in (200, 429)
