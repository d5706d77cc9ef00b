"""Every URL pattern of the product, requested as each persona.

Objects of another organisation are 404 everywhere, no page answers 5xx, and a state-changing
request without a CSRF token is refused. A new URL argument that this test does not know how to
fill fails the test, so new pages cannot slip past it.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from agreements.appendix_files import do_attach_appendix_file
from agreements.documents import do_request_document
from agreements.models import Requirement, RiskAssessment
from agreements.register.applications import Use, do_create_application
from tests.factories import make_agreement, open_task, run_document_jobs
from worker.health import do_record_heartbeat

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "static/")
PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n"


def product_patterns(resolver=None, prefix=""):
    """(route, pattern) for every URL pattern outside the Django admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIP_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from product_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


@pytest.fixture
def foreign_objects(personas, orgs):
    """Objects belonging to Nordlandssykehuset and Helse Nord IKT only."""
    agreement = make_agreement(personas["bob"], orgs["NLSH"], orgs["HNIKT"])
    document = do_request_document(personas["lars"], agreement)
    run_document_jobs(pdf=False)
    assessment = RiskAssessment.objects.create(
        requirement=Requirement.objects.get(year=2022, number=88),
        organisation=orgs["NLSH"],
        title="Forsinkelse",
        assessed_on="2022-05-01",
        probability=2,
        consequence=3,
        created_by=personas["bob"],
    )
    do_record_heartbeat()  # so /health/ is up and a 5xx anywhere is a real failure
    application = do_create_application(
        personas["iris"], [Use(organisation=orgs["NLSH"])], name="Bare i Nordland"
    )
    operating = make_agreement(
        personas["bob"], orgs["NLSH"], orgs["HNIKT"], kind="operating", start_flow=False
    )
    attached = do_attach_appendix_file(
        personas["bob"], operating, 7, PDF, "application/pdf", "prisliste.pdf"
    )
    return {
        "pk": application.pk,
        "file_pk": attached.pk,
        "reference": agreement.reference,
        "task_pk": open_task(agreement, "draft").pk,
        "document_pk": document.pk,
        # Helse Nord IKT's requirements and another trust's risk assessment: 404 for UNN.
        "requirement_pk": assessment.requirement_id,
        "risk_pk": assessment.pk,
        # A calendar feed's or a signing link's token is its own credential: an outsider only
        # has a guessed one, which is 404 for everyone.
        "token": "et-gjettet-token",
    }


def fill(route, values):
    path, args = "/" + route, []
    for name in values:
        marker = f"<{name}>"
        for converter in ("str:", "int:", "slug:", "path:"):
            typed = f"<{converter}{name}>"
            if typed in path:
                path = path.replace(typed, str(values[name]))
                args.append(name)
        if marker in path:
            path = path.replace(marker, str(values[name]))
            args.append(name)
    assert "<" not in path, f"unknown URL argument in {route}: add it to foreign_objects"
    return path, args


@pytest.mark.parametrize("persona", ["alice", "ulla", "lars", "ivar"])
def test_it_hides_foreign_objects_and_never_fails_on_any_url(persona, personas, foreign_objects):
    own_org = personas[persona].organisation.code
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas[persona])
    checked = 0
    for route, _pattern in product_patterns():
        path, args = fill(route, foreign_objects)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code < 500, f"{method.upper()} {path}: {response.status_code}"
            if method == "post":
                assert response.status_code in (403, 404, 405), (
                    f"POST {path} without CSRF token answered {response.status_code}"
                )
            if args and own_org == "UNN" and method == "get":
                assert response.status_code in (404, 405), f"GET {path} leaked to {persona}"
            checked += 1
    assert checked >= 20


def test_it_refuses_posts_without_csrf_token_even_for_the_right_user(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="Før")
    draft = open_task(agreement, "draft")
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["alice"])
    response = client.post(f"/tasks/{draft.pk}/", {"title": "Etter", "notice_months": 3})
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.title == "Før"


def test_it_answers_404_for_a_reference_with_a_nul_byte(personas):
    client = Client()
    client.force_login(personas["alice"])
    for path in ["/agreements/HNIKT%00/", "/agreements/HNIKT%00/audit.csv"]:
        assert client.get(path).status_code == 404
