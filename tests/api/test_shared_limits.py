"""A token's request budget is one for the whole installation: every web process counts in the
same Redis, so running more processes does not multiply what a token may send."""

import subprocess
import sys

import pytest
from django.test import Client

from agreements.api.tokens import do_create_api_token
from tests.live import ROOT, process_env

pytestmark = pytest.mark.django_db(transaction=True)

AGREEMENTS = "/api/v1/agreements/"

# Another Python process with the same settings asks once with the token and prints the status.
ASK_ONCE = """
import sys, django
django.setup()
from django.test import Client
print(Client(HTTP_AUTHORIZATION="Bearer " + sys.argv[1]).get("/api/v1/agreements/").status_code)
"""


def status_from_another_process(raw: str, prefix: str) -> int:
    env = process_env(
        API_RATE_LIMIT="3/min",
        CACHE_KEY_PREFIX=prefix,
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="project.settings",
    )
    done = subprocess.run(
        [sys.executable, "-c", ASK_ONCE, raw],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


def test_it_counts_a_tokens_requests_across_processes(personas, settings, own_cache):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
    _token, spent = do_create_api_token(personas["alice"], "Skript A", 30)
    _token, fresh = do_create_api_token(personas["alice"], "Skript B", 30)
    here = Client(HTTP_AUTHORIZATION=f"Bearer {spent}")
    assert [here.get(AGREEMENTS).status_code for _ in range(3)] == [200, 200, 200]
    assert here.get(AGREEMENTS).status_code == 429

    # The other process finds the budget this one used up, and a fresh token's budget whole.
    assert status_from_another_process(spent, own_cache) == 429
    assert status_from_another_process(fresh, own_cache) == 200
    assert here.get(AGREEMENTS).status_code == 429
