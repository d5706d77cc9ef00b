"""Login throttling, security headers, and Django's deployment checks with production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, login_as

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_it_locks_out_a_login_after_repeated_failures(personas):
    client = Client()
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "alice", "password": "feil"})
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "For mange innloggingsforsøk" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not punished for alice's mistakes.
    assert login_as(personas["bob"]).get(reverse("workflows:inbox")).status_code == 200


def test_it_shows_a_clear_message_for_a_wrong_password(personas):
    response = Client().post(reverse("login"), {"username": "alice", "password": "feil"})
    assert "Feil brukernavn eller passord" in response.content.decode()


def test_it_sends_security_headers(personas):
    response = login_as(personas["alice"]).get(reverse("workflows:inbox"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_it_sends_hsts_over_tls(personas, settings):
    settings.SECURE_SSL_REDIRECT = False
    response = Client().get(reverse("login"), secure=True)
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_it_passes_the_deployment_checks_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "avtaler.helse-nord.example",
        "SECURE_SSL_REDIRECT": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_expires_sessions(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
