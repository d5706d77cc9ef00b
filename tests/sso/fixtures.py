"""A real OpenID Connect provider in its own process, and the app configured to use it.

Imported by the browser test that signs in through it (tests/browser/test_sso_journey.py).
"""

import copy
import os
import socket
import subprocess
import sys

import pytest
import requests

from agreements.group_map import parse_group_map
from tests.live import ROOT, wait_for

CLIENT_ID = "avtaler-test"
CLIENT_SECRET = "provider-client-secret"
GROUP_MAP = "grp-unn-owner=UNN:contract_owner,grp-unn-approver=UNN:approver"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url):
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider at http://127.0.0.1:<port>, knowing the live server as its client."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    db = tmp_path_factory.mktemp("provider") / "provider.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.sso.provider.settings",
        PROVIDER_DB=str(db),
        PROVIDER_URL=url,
        PYTHONPATH=str(ROOT),
    )
    app = live_server.url
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.sso.provider.seed",
            CLIENT_ID,
            CLIENT_SECRET,
            f"{app}/oidc/callback/",
            f"{app}/accounts/login/",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _answers(f"{url}/.well-known/openid-configuration"), 60, "provider")
        yield {"url": url, "end_sessions": db.with_name(db.name + ".end_sessions")}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def sso(settings, oidc_provider, live_server):
    """The app's settings as the ``OIDC_*`` environment would make them."""
    url = oidc_provider["url"]
    settings.ROOT_URLCONF = "tests.sso.urls"
    settings.SITE_URL = live_server.url
    settings.OIDC_ENABLED = True
    settings.PASSWORD_LOGIN = False
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "project.oidc.OrganisationOIDCBackend",
        "project.oidc.NoPasswordModelBackend",
        "agreements.permissions.OrganisationRoleBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{url}/jwks"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{url}/end-session"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_SUBJECT_CLAIM = "sub"
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_GROUP_MAP = parse_group_map(GROUP_MAP)
    settings.OIDC_USE_PKCE = True
    settings.OIDC_STORE_ID_TOKEN = True
    settings.OIDC_OP_LOGOUT_URL_METHOD = "project.oidc.provider_logout_url"
    settings.LOGIN_REDIRECT_URL_FAILURE = "/accounts/sso/refused/"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(url)
    settings.CONTENT_SECURITY_POLICY = policy
    return oidc_provider
