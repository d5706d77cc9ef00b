"""The report's one-pass counts (``register.counting``) agree with the coverage annotations."""

import itertools
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse

from agreements.models import Agreement, Application
from agreements.register.counting import count_states
from agreements.register.coverage import Gap, with_coverage
from tests.factories import login_as, make_user

from .helpers import TODAY, agreement, application, supplier

Status = Agreement.Status
pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
# (status, start, end): one of each kind of agreement coverage tells apart.
KINDS = [
    (Status.ACTIVE, None, None),
    (Status.ACTIVE, None, TODAY + 30 * DAY),
    (Status.SIGNED, TODAY + DAY, None),
    (Status.TERMINATED, None, TODAY - DAY),
    (Status.ENDED, None, None),
    (Status.REPLACED, None, None),
    (Status.CANCELLED, None, None),
    (Status.DRAFT, None, None),
]


def expected(qs):
    """Counts from the annotations, in the shape ``count_states`` reports them."""
    totals, per_trust, soon = Counter(), Counter(), 0
    for app in with_coverage(qs, TODAY).prefetch_related("uses"):
        soon += app.ending_soon
        if app.covered:
            continue
        totals[app.coverage_gap] += 1
        for org in [u.organisation_id for u in app.uses.all()] or [None]:
            per_trust[org, app.coverage_gap] += 1
    return totals, per_trust, soon


def counted(qs):
    totals, per_trust, soon = Counter(), Counter(), 0
    for c in count_states(qs, TODAY):
        soon += c.total and c.ending_soon and c.n
        if c.gap == Gap.COVERED:
            continue
        if c.total:
            totals[c.gap] += c.n
        else:
            per_trust[c.organisation_id, c.gap] += c.n
    return totals, per_trust, soon


def test_the_one_pass_counts_agree_with_the_annotations(orgs, personas):
    iris, dips = personas["iris"], supplier()
    trusts = [[orgs["UNN"]], [orgs["UNN"], orgs["NLSH"]], [], [orgs["FIN"]]]
    n = itertools.count()
    # Every kind alone, with the supplier as a party or not, and every pair with the supplier.
    combos = [[(kind, True)] for kind in KINDS] + [[(kind, False)] for kind in KINDS]
    combos += [[(a, True), (b, True)] for a, b in itertools.combinations(KINDS, 2)]
    combos += [[], [(KINDS[0], False), (KINDS[2], True)]]
    for combo in combos:
        app = application(iris, f"App {next(n)}", dips, trusts[len(combo) % 4])
        for (status, start, end), with_supplier in combo:
            provider = dips if with_supplier else orgs["HNIKT"]
            agreement(iris, orgs["UNN"], provider, [app], status, start, end)
    bare = application(iris, "Uten leverandør", None, [orgs["UNN"]])
    agreement(iris, orgs["UNN"], orgs["HNIKT"], [bare], Status.ACTIVE)

    everything = Application.objects.all()
    want = expected(everything)
    assert counted(everything) == want
    assert set(want[0]) == {Gap.NO_SUPPLIER, Gap.UNDER_WAY, Gap.EXPIRED, Gap.OTHER_PARTY, Gap.NONE}
    assert want[2] > 0
    some = Application.objects.filter(uses__organisation=orgs["UNN"])
    assert counted(some) == expected(some)


def test_a_user_who_sees_no_application_gets_an_empty_report(orgs, personas):
    nobody = make_user("ingen", None)
    application(personas["iris"], "Skjult", supplier(), [orgs["UNN"]])
    page = login_as(nobody).get(reverse("register:uncovered"))
    assert page.status_code == 200
    assert page.context["summary"].total == 0 and "Skjult" not in page.content.decode()
