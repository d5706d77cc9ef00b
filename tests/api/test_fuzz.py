"""Property-based run of the whole API from its OpenAPI schema (schemathesis): whatever the
path, query and body, no answer is a server error."""

import json
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.core import NotSet

from agreements.api.tokens import do_create_api_token
from tests.factories import make_agreement

raw_schema = json.loads(
    OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
)
schema = schemathesis.openapi.from_dict(raw_schema)


@pytest.fixture
def fuzz_client(personas, orgs, settings):
    """Alice's token client, with an agreement to find and a budget no fuzz run exhausts."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/min"},
    }
    make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    _token, raw = do_create_api_token(personas["alice"], "Fuzz", 1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_never_answers_with_a_server_error(case, fuzz_client):
    # The generated Authorization header and cookies are dropped: the fixture's token signs in.
    path = case.formatted_path
    query = urlencode(case.query or {}, doseq=True)
    body = {}
    if case.method.upper() in ("POST", "PUT", "PATCH") and not isinstance(case.body, NotSet):
        data = case.body if isinstance(case.body, bytes) else json.dumps(case.body)
        body = {"data": data, "content_type": "application/json"}
    response = fuzz_client.generic(case.method.upper(), f"{path}?{query}", **body)
    assert response.status_code < 500, f"{case.method} {path}?{query} {body}"
