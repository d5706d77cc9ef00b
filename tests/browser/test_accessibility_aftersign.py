"""The page kinds added after signing, suppliers and review rounds pass axe-core's WCAG 2.1 A and
AA rules with no serious or critical finding.

The suppliers' pages, an operating agreement's appendices, the follow-up pages of a signed
agreement near its notice date (decide, yearly revision), the withdraw page of a draft, the
agreement page with its timeline, the inbox with its follow-up items and a round-2 review task
with the read-only terms, what changed since round 1 and the draft on demand. Dates are set from
today, so the live server and the browser share the real clock.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements import terms
from agreements.models import Agreement, Organisation, SupplierContact
from tests.aftersign.helpers import signed_agreement
from tests.factories import fill_dpa_terms, make_agreement, open_task
from tests.workflows.test_flow_http import claim_and_do, create_over_http, draft_data, login

from .axe import describe, violations
from .test_accessibility import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

APPROVED = {"outcome": "approved"}


def round_two_review(personas, orgs) -> Agreement:
    """A data processor agreement back with legal in round 2 after legal asked for changes."""
    alice = login(personas["alice"])
    agreement = create_over_http(alice, Agreement.Kind.DATA_PROCESSOR, orgs["UNN"], orgs["HNIKT"])
    fill_dpa_terms(agreement)
    claim_and_do(alice, agreement, "draft", draft_data(agreement))
    changes = {"outcome": "changes_requested", "comment": "Formålet må stå i beskrivelsen."}
    claim_and_do(login(personas["lars"]), agreement, "legal_review", changes)
    claim_and_do(login(personas["pia"]), agreement, "privacy_review", APPROVED)
    claim_and_do(login(personas["sam"]), agreement, "security_review", APPROVED)
    revised = {**draft_data(agreement), "description": "Drift av journalsystemet for UNN."}
    claim_and_do(alice, agreement, "revise", revised)
    assert agreement.review_round == 2
    return agreement


@pytest.fixture
def states(personas, orgs):
    today = timezone.localdate()
    # In force since 11 months and a half, 3 months' notice: the notice date is in a month
    # and the yearly revision in two weeks, both in the owner's inbox.
    running = signed_agreement(
        personas,
        orgs,
        start_date=today - timedelta(days=350),
        end_date=today + timedelta(days=120),
    )
    assert running.status == Agreement.Status.ACTIVE
    operating = make_agreement(
        personas["iris"], orgs["UNN"], orgs["HNIKT"], kind="operating", start_flow=False
    )
    terms.do_update_terms(
        personas["iris"],
        operating,
        {"scope": "All drift"},
        {"appendices": [{"number": 5, "content": "Tjenestenivåene"}]},
    )
    supplier = Organisation.objects.create(
        code="acme", name="Acme Helse AS", kind=Organisation.Kind.SUPPLIER, org_number="914778271"
    )
    SupplierContact.objects.create(
        organisation=supplier, name="Siv Signe", email="siv@acme.example", may_sign=True
    )
    return {
        "running": running,
        "draft": make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="Utkast"),
        "operating": operating,
        "supplier": supplier,
        "round_two": round_two_review(personas, orgs),
    }


def visits(states):
    """(persona, path, what, text the page shows) for every new kind of page."""
    running = f"/agreements/{states['running'].reference}/"
    review = open_task(states["round_two"], "legal_review").pk
    return [
        ("iris", "/suppliers/", "leverandører", "Acme Helse AS"),
        ("iris", "/suppliers/new/", "ny leverandør", ""),
        ("iris", f"/suppliers/{states['supplier'].pk}/", "leverandør", "Acme Helse AS"),
        (
            "iris",
            f"/agreements/{states['operating'].reference}/appendices/",
            "bilag til driftsavtale",
            "Last opp",
        ),
        ("alice", "/", "innboks med oppfølging", "Oppfølging av avtaler"),
        ("alice", running, "avtaleside med tidslinje", "Tidslinje"),
        ("alice", f"{running}follow-up/", "forny eller si opp", "Forny"),
        ("alice", f"{running}revision/", "årlig revisjon", "Årlig revisjon"),
        ("alice", f"/agreements/{states['draft'].reference}/withdraw/", "trekk avtalen", ""),
        ("lene", f"/tasks/{review}/", "gjennomgang runde 2", "Endret siden runde 1"),
    ]


def test_the_new_kinds_of_page_meet_wcag_21_aa(live_server, pages, personas, states):
    base = live_server.url
    page = pages(bypass_csp=True)
    failures = []
    signed_in_as = None
    for persona, path, what, text in visits(states):
        if persona != signed_in_as:
            sign_in(page, base, personas[persona])
            signed_in_as = persona
        response = page.goto(f"{base}{path}")
        if response.status != 200 or not page.locator("h1").count():
            failures.append(f"{what}: status {response.status} or no heading at {path}")
        if text not in page.inner_text("main"):
            failures.append(f"{what}: «{text}» not shown at {path}")
        if what == "gjennomgang runde 2":
            draft_button = page.locator("#draft-document button", has_text="Lag utkast")
            assert draft_button.count(), "the draft on demand is offered in round 2"
        found = [v for v in violations(page) if v["impact"] in ("serious", "critical")]
        if found:
            failures.append(f"{what} ({path}):\n{describe(found)}")
    assert not failures, "WCAG 2.1 AA violations:\n" + "\n".join(failures)
