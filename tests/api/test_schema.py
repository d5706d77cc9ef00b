"""The OpenAPI schema is valid OpenAPI 3, and Swagger UI and ReDoc come from this installation
under the strict content security policy (no inline script, nothing from elsewhere)."""

import re

import pytest
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/agreements/", "get"),
    ("/api/v1/agreements/", "post"),
    ("/api/v1/agreements/{reference}/", "get"),
    ("/api/v1/tasks/inbox/", "get"),
    ("/api/v1/tasks/queue/", "get"),
    ("/api/v1/tasks/{task_pk}/claim/", "post"),
    ("/api/v1/tasks/{task_pk}/release/", "post"),
    ("/api/v1/tasks/{task_pk}/complete/", "post"),
    ("/api/v1/applications/", "get"),
    ("/api/v1/requirements/{requirement_pk}/", "get"),
    ("/api/v1/documents/{document_pk}/file/", "get"),
}


def test_it_serves_a_valid_openapi_3_schema(api):
    response = api("alice").get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    listed = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert listed >= OPERATIONS
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


def test_it_serves_the_schema_to_nobody_anonymous(client):
    assert client.get("/api/schema/").status_code == 401


def scripts_and_links(html: str) -> tuple[list[str], list[str]]:
    return re.findall(r"<script[^>]*>", html), re.findall(r'(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_it_serves_the_api_documentation_from_its_own_files(page, client, personas):
    client.force_login(personas["alice"])
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    # Scripts only from this site, whatever the page; ReDoc alone may inline its styles.
    assert policy["script-src"] == "'self'" and "default-src" in policy
    assert policy["style-src"] == ("'self' 'unsafe-inline'" if "redoc" in page else "'self'")
    tags, urls = scripts_and_links(html)
    assert tags and all(" src=" in tag for tag in tags), "inline script would be blocked"
    assert "<style" not in html and " style=" not in html
    for url in urls:
        assert url.startswith("/"), f"{url} is not served by this installation"
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url


def test_it_serves_swagger_uis_start_up_as_a_script_file(client, personas):
    client.force_login(personas["alice"])
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert "/api/schema/" in script.content.decode()


def test_it_shows_the_documentation_to_nobody_anonymous(client):
    for page in ("/api/docs/", "/api/redoc/"):
        assert client.get(page).status_code == 401
