"""Failed logins are limited per address across user names, behind proxies too (issue 11, 17 and 19).

Per user name at an address is covered in test_login_and_headers.py; here one password is
sprayed over many names, and the client's address is read from X-Forwarded-For only when the
proxies in front of the app are configured.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, login_as

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SPRAYED = "Sommer2026!"


def spray(limit, **client_meta):
    """Try one password against ``limit`` different user names from one client."""
    client = Client(**client_meta)
    for number in range(limit):
        client.post(reverse("login"), {"username": f"ansatt{number}", "password": SPRAYED})


def log_in(user, **client_meta):
    client = Client(**client_meta)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return response, client


@pytest.fixture
def address_limit(settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    return 8


def test_it_locks_out_an_address_that_tries_many_user_names(personas, address_limit):
    spray(address_limit - 1)
    response, client = log_in(personas["alice"])
    assert response.status_code == 302, "below the limit the address is not locked"
    spray(address_limit)
    response, client = log_in(personas["bob"])
    assert response.status_code == 429
    assert "For mange innloggingsforsøk" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response, _ = log_in(personas["bob"], REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302, "another address is not locked"


def test_an_own_successful_login_does_not_clear_the_address_count(personas, address_limit):
    spray(address_limit - 1)
    log_in(personas["alice"])
    spray(1)
    response, _ = log_in(personas["bob"])
    assert response.status_code == 429


def test_without_trusted_proxies_a_forwarded_address_is_ignored(personas, address_limit):
    for number in range(address_limit):
        spray(1, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response, _ = log_in(personas["alice"], HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert response.status_code == 429


@pytest.fixture
def one_trusted_proxy(settings):
    """What TRUSTED_PROXY_COUNT=1 sets (checked by the test after this one)."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(
    personas, address_limit, one_trusted_proxy
):
    spray(address_limit, HTTP_X_FORWARDED_FOR="203.0.113.7")
    response, _ = log_in(personas["alice"], HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 429
    # A client cannot pose as another by writing its own X-Forwarded-For: the proxy appends the
    # address it saw, and that rightmost entry is the one counted.
    response, _ = log_in(personas["alice"], HTTP_X_FORWARDED_FOR="198.51.100.8, 203.0.113.7")
    assert response.status_code == 429
    response, _ = log_in(personas["alice"], HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert response.status_code == 302, "others behind the same proxy are not locked out"


def test_trusted_proxy_count_comes_from_the_environment():
    env = {**os.environ, "TRUSTED_PROXY_COUNT": "2", "AXES_IP_FAILURE_LIMIT": "40"}
    code = (
        "from django.conf import settings as s; print(s.AXES_IPWARE_META_PRECEDENCE_ORDER, "
        "s.AXES_IPWARE_PROXY_COUNT, s.IPWARE_STRICT, s.AXES_IP_FAILURE_LIMIT)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR') 1 False 40"


@pytest.mark.parametrize(
    "next_url", ["/accounts/login/", "/accounts/%6Cogin/", "/accounts/login/?next=/accounts/login/"]
)
def test_a_signed_in_user_sent_back_to_the_login_page_lands_on_the_start_page(next_url, personas):
    response = login_as(personas["alice"]).get(reverse("login"), {"next": next_url})
    assert response.status_code == 302
    assert response.url == reverse("workflows:home")


def test_a_signed_in_user_still_follows_another_next(personas):
    response = login_as(personas["alice"]).get(reverse("login"), {"next": "/agreements/"})
    assert (response.status_code, response.url) == (302, "/agreements/")
