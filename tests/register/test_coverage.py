"""Requirement 93: when an application counts as having a current supplier agreement."""

from datetime import timedelta

import pytest

from agreements.models import Agreement, Application
from agreements.register.coverage import Gap, ending_soon, uncovered, with_coverage

from .helpers import TODAY, agreement, application, supplier

Status = Agreement.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs, personas):
    dips = supplier()
    app = application(personas["iris"], "DIPS Arena", dips, [orgs["UNN"]])
    return {"dips": dips, "app": app, "owner": personas["iris"], "unn": orgs["UNN"]}


def gap_of(app):
    return with_coverage(Application.objects.filter(pk=app.pk), TODAY).get()


@pytest.mark.parametrize(
    ("status", "start", "end", "covered", "gap"),
    [
        (Status.ACTIVE, None, None, True, Gap.COVERED),
        (Status.ACTIVE, TODAY, TODAY, True, Gap.COVERED),
        (Status.ACTIVE, None, TODAY - timedelta(days=1), False, Gap.EXPIRED),
        (Status.ACTIVE, TODAY + timedelta(days=1), None, False, Gap.UNDER_WAY),
        (Status.ENDED, None, None, False, Gap.EXPIRED),
        (Status.SIGNED, None, TODAY, True, Gap.COVERED),
        (Status.SIGNED, TODAY + timedelta(days=1), None, False, Gap.UNDER_WAY),
        (Status.TERMINATED, None, TODAY, True, Gap.COVERED),
        (Status.TERMINATED, None, TODAY - timedelta(days=1), False, Gap.EXPIRED),
        (Status.REPLACED, None, None, False, Gap.EXPIRED),
        (Status.CANCELLED, None, None, False, Gap.NONE),
        (Status.DRAFT, None, None, False, Gap.UNDER_WAY),
        (Status.AWAITING_SIGNATURE, None, None, False, Gap.UNDER_WAY),
    ],
)
def test_it_counts_only_agreements_in_force_today(world, status, start, end, covered, gap):
    agreement(world["owner"], world["unn"], world["dips"], [world["app"]], status, start, end)
    row = gap_of(world["app"])
    assert row.covered is covered
    assert row.coverage_gap == gap


def test_it_ignores_an_active_agreement_without_the_supplier_as_party(world, orgs):
    agreement(world["owner"], world["unn"], orgs["HNIKT"], [world["app"]], Status.ACTIVE)
    row = gap_of(world["app"])
    assert row.covered is False
    assert row.coverage_gap == Gap.OTHER_PARTY


def test_it_counts_the_supplier_as_customer_too(world):
    agreement(world["owner"], world["dips"], world["unn"], [world["app"]], Status.ACTIVE)
    assert gap_of(world["app"]).covered is True


def test_it_says_no_agreement_and_no_supplier(world, orgs):
    bare = application(world["owner"], "Uten leverandør", None, [orgs["UNN"]])
    assert gap_of(world["app"]).coverage_gap == Gap.NONE
    assert gap_of(bare).coverage_gap == Gap.NO_SUPPLIER


def test_it_lists_an_application_whose_only_agreement_ends_within_six_months(world):
    other = application(world["owner"], "Lenge", world["dips"], [world["unn"]])
    agreement(
        world["owner"],
        world["unn"],
        world["dips"],
        [world["app"]],
        Status.ACTIVE,
        end=TODAY + timedelta(days=100),
    )
    agreement(
        world["owner"],
        world["unn"],
        world["dips"],
        [other],
        Status.ACTIVE,
        end=TODAY + timedelta(days=400),
    )
    soon = ending_soon(Application.objects.all(), TODAY)
    assert list(soon.values_list("name", flat=True)) == ["DIPS Arena"]
    assert not uncovered(Application.objects.all(), TODAY).exists()
