"""Every kind of page passes axe-core's WCAG 2.1 A and AA rules with no serious or critical finding.

Universell utforming: public-sector web solutions in Norway, intranets included, must meet
WCAG 2.1 AA. Each persona opens the pages it works on, with real data in every state of the flow
(a review, an approval, a signing, the supplier's emailed link), and axe-core checks each page as
the browser shows it.
"""

import contextlib
import importlib
import re

import pytest
from django.apps import apps as django_apps

from agreements.models import Application
from tests.factories import PASSWORD, advance, make_agreement, open_task
from tests.signing.conftest import links_to, supplier_dpa, walk_to_signing

from .axe import describe, violations

pytestmark = pytest.mark.django_db(transaction=True)

SIRI = "siri@acme.example"


def sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def no_capture(execute=False):
    # Transactional test: on_commit callbacks (the signing link's email) run by themselves.
    return contextlib.nullcontext()


@pytest.fixture
def world(personas, orgs, supplier, journal, mail, live_server, settings):
    """Agreements waiting for a review, an approval and signatures, and the supplier's link."""
    settings.SITE_URL = live_server.url
    importlib.import_module("agreements.migrations.0009_requirement_followup").seed(
        django_apps, None
    )
    unn, hnikt = orgs["UNN"], orgs["HNIKT"]
    draft = make_agreement(personas["alice"], unn, hnikt, title="Utkast til driftsavtale")
    in_review = advance(
        make_agreement(personas["alice"], unn, hnikt, title="Tjenesteavtale til gjennomgang"),
        personas,
        "submitted",
    )
    to_approve = advance(
        make_agreement(personas["alice"], unn, hnikt, title="Tjenesteavtale til godkjenning"),
        personas,
        "reviewed",
    )
    dpa_draft = supplier_dpa(personas, supplier, journal, title="Databehandleravtale i utkast")
    to_sign = walk_to_signing(supplier_dpa(personas, supplier, journal), personas, no_capture)
    (token,) = links_to(mail, SIRI)
    return {
        "draft": draft,
        "dpa_draft": dpa_draft,
        "in_review": in_review,
        "to_approve": to_approve,
        "to_sign": to_sign,
        "token": token,
        "application": Application.objects.get(name="Acme Journal"),
    }


def task_url(agreement, node):
    return f"/tasks/{open_task(agreement, node).pk}/"


def visits(world):
    """(persona, path, what) for every kind of page; persona None: not signed in."""
    detail = f"/agreements/{world['to_sign'].reference}/"
    return [
        (None, "/accounts/login/", "innlogging"),
        (None, f"/signer/{world['token']}/", "ekstern signering"),
        (None, "/signer/" + "x" * 43 + "/", "ukjent signeringslenke"),
        ("alice", "/", "innboks (start for avtaleeier)"),
        ("alice", "/queue/", "kø"),
        ("alice", "/archive/", "arkiv"),
        ("alice", "/agreements/", "avtaleliste"),
        ("alice", "/agreements/?status=awaiting_signature&q=Databehandler", "avtaleliste filtrert"),
        ("alice", detail, "avtaleside"),
        ("alice", "/agreements/new/", "ny avtale"),
        ("alice", task_url(world["draft"], "draft"), "utkast"),
        ("alice", f"/agreements/{world['draft'].reference}/terms/", "vilkår"),
        ("alice", f"/agreements/{world['dpa_draft'].reference}/terms/", "vilkår, databehandler"),
        ("alice", f"{detail}terms/", "vilkår, bare lesing"),
        ("alice", "/accounts/reminders/", "varslingsinnstillinger"),
        ("alice", "/accounts/away/", "fravær"),
        ("alice", "/accounts/tokens/", "API-nøkler"),
        ("alice", "/accounts/calendar/", "kalender"),
        ("alice", "/agreements/HNIKT-1999-9999/", "404"),
        ("alice", "/templates/", "403"),
        ("lars", task_url(world["in_review"], "legal_review"), "juridisk gjennomgang"),
        ("lars", "/templates/", "dokumentmaler"),
        ("lars", "/queue/", "kø med oppgaver"),
        ("ulla", "/", "oversikt (start for godkjenner)"),
        ("ulla", task_url(world["to_approve"], "approve"), "godkjenning"),
        ("ulla", task_url(world["to_sign"], "sign_customer"), "signering for kunden"),
        ("iris", "/applications/", "applikasjonsregister"),
        ("iris", f"/applications/{world['application'].pk}/", "applikasjon"),
        ("iris", "/applications/import/", "import"),
        ("iris", "/reports/uncovered/", "rapport OD 93"),
        ("iris", f"/applications/{world['application'].pk}/edit/", "endre applikasjon"),
        ("iris", "/requirements/", "OD-krav"),
        ("iris", "/requirements/risks/", "risikovurderinger"),
        ("iris", "/requirements/risks/new/", "ny risikovurdering"),
    ]


def test_every_kind_of_page_meets_wcag_21_aa(live_server, pages, personas, world):
    base = live_server.url
    page = pages(bypass_csp=True)
    # A refused login first: the form with its error.
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "feil passord")
    page.click("main button[type=submit]")
    page.wait_for_selector("main .messages .error")
    assert page.evaluate("document.activeElement.hasAttribute('data-form-error')")
    found = [v for v in violations(page) if v["impact"] in ("serious", "critical")]
    failures = [f"innlogging med feil ({page.url}):\n{describe(found)}"] if found else []
    signed_in_as = None
    for persona, path, what in visits(world):
        if persona != signed_in_as:
            page.context.clear_cookies()
            if persona:
                sign_in(page, base, personas[persona])
            signed_in_as = persona
        response = page.goto(f"{base}{path}")
        expected = {"404": 404, "ukjent signeringslenke": 404, "403": 403}.get(what, 200)
        assert response.status == expected, f"{what}: {response.status} at {path}"
        assert page.locator("h1").count(), f"{what}: no heading at {path}"
        found = [v for v in violations(page) if v["impact"] in ("serious", "critical")]

        if found:
            failures.append(f"{what} ({path}):\n{describe(found)}")
    assert not failures, "WCAG 2.1 AA violations:\n" + "\n".join(failures)
