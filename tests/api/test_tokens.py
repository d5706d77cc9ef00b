"""Personal API tokens: made and revoked on /accounts/tokens/, shown once, stored hashed, and
every misuse answered 401 with problem details."""

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agreements.api.tokens import do_create_api_token
from agreements.models import ApiToken
from tests.factories import login_as

pytestmark = pytest.mark.django_db

AGREEMENTS = "/api/v1/agreements/"


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["status"] == 401 and body["type"] and body["title"] and body["detail"]


def test_it_shows_a_new_token_once_and_stores_only_its_hash(personas):
    page = login_as(personas["alice"])
    made = page.post("/accounts/tokens/", {"name": "Rapportskript", "days": 30})
    html = made.content.decode()
    assert made.status_code == 200
    token = ApiToken.objects.get(user=personas["alice"])
    raw = html.split("data-new-token>")[1].split("<")[0]
    assert raw.startswith("avt_") and token.hint in raw
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    again = page.get("/accounts/tokens/").content.decode()
    assert "Rapportskript" in again and raw not in again

    listing = bearer(raw).get(AGREEMENTS)
    assert listing.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_a_token_once_revoked_on_the_page(personas):
    token, raw = do_create_api_token(personas["alice"], "CI", 30)
    assert bearer(raw).get(AGREEMENTS).status_code == 200
    page = login_as(personas["alice"])
    assert page.post("/accounts/tokens/", {"revoke": token.pk}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_unauthorized(bearer(raw).get(AGREEMENTS))
    assert "trukket tilbake" in page.get("/accounts/tokens/").content.decode()


def test_it_lets_nobody_revoke_another_users_token(personas):
    token, raw = do_create_api_token(personas["alice"], "CI", 30)
    page = login_as(personas["bob"])
    assert page.post("/accounts/tokens/", {"revoke": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert bearer(raw).get(AGREEMENTS).status_code == 200


def test_it_refuses_an_expired_token(personas):
    token, raw = do_create_api_token(personas["alice"], "Gammel", 30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_unauthorized(bearer(raw).get(AGREEMENTS))


def test_it_refuses_the_token_of_a_deactivated_user(personas):
    _token, raw = do_create_api_token(personas["alice"], "CI", 30)
    personas["alice"].is_active = False
    personas["alice"].save()
    assert_unauthorized(bearer(raw).get(AGREEMENTS))


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer avt_not-a-token",
        "Bearer a b",
        "Bearer ghp_0123456789abcdefghijklmnopqrstuvwxyz",
        "Token avt_whatever",
        "Basic YWxpY2U6Y29ycmVjdCBob3JzZQ==",
    ],
)
def test_it_answers_401_without_a_usable_token(header, personas):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get(AGREEMENTS)
    if header and not header.startswith("Bearer"):
        # Another scheme is not ours: the request is simply not authenticated.
        assert response.status_code == 401
    else:
        assert_unauthorized(response)


def test_it_refuses_another_users_token_text_with_one_character_changed(personas):
    _token, raw = do_create_api_token(personas["alice"], "CI", 30)
    forged = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert_unauthorized(bearer(forged).get(AGREEMENTS))


def test_it_throttles_per_token(personas, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
    _a, first = do_create_api_token(personas["alice"], "Ett", 30)
    _b, second = do_create_api_token(personas["alice"], "To", 30)
    answers = [bearer(first).get(AGREEMENTS).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = bearer(first).get(AGREEMENTS)
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["status"] == 429
    assert bearer(second).get(AGREEMENTS).status_code == 200
