"""The stored coverage states (``register.stored_coverage``) equal the states computed from the
agreements: day after day as agreements start, end and come within six months of their end,
after every kind of write the triggers watch, and when another transaction is writing."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse

from agreements.models import Agreement, Application, ApplicationCoverage
from agreements.register import counting, stored_coverage
from agreements.register.coverage import with_coverage
from tests.factories import login_as

from .helpers import agreement, application, supplier

Status = Agreement.Status
DAY = timedelta(days=1)
# Far from the real today, so ``with_coverage`` computes from the agreements on these days.
START = date(2031, 1, 1)


def computed(day):
    """(gap, ending soon) per application on ``day``, from the agreements."""
    assert not stored_coverage.usable(day)
    return {
        app.pk: (app.coverage_gap, app.ending_soon)
        for app in with_coverage(Application.objects.all(), day)
    }


def stored(day):
    """(gap, ending soon) per application on ``day``, from the stored states."""
    stored_coverage.refresh(day)
    rows = ApplicationCoverage.objects.values_list("application_id", "rank", "valid_until")
    assert all(until > day for _, _, until in rows), "a state outside its window was read"
    return {
        app: (counting.GAP_OF_RANK[rank], rank == counting.RANK_ENDING) for app, rank, _ in rows
    }


@pytest.mark.django_db
def test_stored_states_follow_the_days_as_agreements_start_and_end(orgs, personas):
    iris, dips = personas["iris"], supplier()
    # Ends on month ends of different lengths, so the six-month turn falls on awkward days.
    ends = [date(2031, 3, 31), date(2031, 8, 31), date(2032, 2, 29), date(2031, 9, 30)]
    cases = [[(Status.ACTIVE, None, end)] for end in ends] + [
        [(Status.SIGNED, START + 40 * DAY, START + 300 * DAY)],
        [(Status.TERMINATED, START - 10 * DAY, START + 20 * DAY)],
        [(Status.ACTIVE, None, START + 30 * DAY), (Status.SIGNED, START + 60 * DAY, None)],
        [(Status.DRAFT, None, None), (Status.ACTIVE, START + 100 * DAY, START + 120 * DAY)],
        [(Status.ENDED, None, None)],
        [],
    ]
    for i, links in enumerate(cases):
        app = application(iris, f"App {i}", dips, [orgs["UNN"]])
        for status, start, end in links:
            agreement(iris, orgs["UNN"], dips, [app], status, start, end)
        # The same agreement with another provider only: "in force, supplier not a party".
        other = application(iris, f"Annen part {i}", dips, [orgs["UNN"]])
        for status, start, end in links:
            agreement(iris, orgs["UNN"], orgs["HNIKT"], [other], status, start, end)
    application(iris, "Uten leverandør", None, [orgs["UNN"]])

    changes = 0
    before = None
    for n in range(0, 430):
        day = START + n * DAY
        now = computed(day)
        assert stored(day) == now, day
        changes += before is not None and now != before
        before = now
    assert changes >= 10  # the walk crossed starts, ends and six-month turns


@pytest.mark.django_db
def test_every_write_the_state_depends_on_marks_it_for_recomputing(orgs, personas):
    iris, dips, visma = personas["iris"], supplier(), supplier("Visma AS", "980918606", "visma")
    day = START
    app = application(iris, "PACS", dips, [orgs["UNN"]])
    assert stored(day) == computed(day)
    deal = agreement(iris, orgs["UNN"], dips, [], Status.DRAFT)

    def step(change):
        change()
        assert stored(day) == computed(day)
        return computed(day)[app.pk][0]

    assert step(lambda: deal.applications.add(app)) == "under_way"
    assert step(lambda: Agreement.objects.filter(pk=deal.pk).update(status=Status.ACTIVE)) == ""
    assert step(lambda: Agreement.objects.filter(pk=deal.pk).update(end_date=day - DAY)) == (
        "expired"
    )
    assert step(lambda: Agreement.objects.filter(pk=deal.pk).update(end_date=None)) == ""
    assert step(lambda: Application.objects.filter(pk=app.pk).update(supplier=visma)) == (
        "other_party"
    )
    assert step(lambda: Agreement.objects.filter(pk=deal.pk).update(provider=visma)) == ""
    assert step(lambda: Application.objects.filter(pk=app.pk).update(supplier=None)) == (
        "no_supplier"
    )
    assert step(lambda: deal.applications.remove(app)) == "no_supplier"
    assert step(lambda: application(iris, "Ny", dips, [orgs["UNN"]])) == "no_supplier"
    assert ApplicationCoverage.objects.count() == Application.objects.count() == 2


@pytest.mark.django_db
def test_the_register_pages_read_the_stored_state_of_today(orgs, personas, rhf_user):
    iris, dips = personas["iris"], supplier()
    covered = application(iris, "Dekket", dips, [orgs["UNN"]])
    deal = agreement(iris, orgs["UNN"], dips, [covered], Status.ACTIVE)
    application(iris, "Udekket", dips, [orgs["UNN"]])
    client = login_as(rhf_user)

    def uncovered():
        page = client.get(reverse("register:uncovered"))
        return [app.name for app in page.context["page"].object_list]

    assert uncovered() == ["Udekket"]
    assert ApplicationCoverage.objects.get(application=covered).valid_from == (
        stored_coverage.timezone.localdate()
    )
    Agreement.objects.filter(pk=deal.pk).update(status=Status.ENDED)
    assert uncovered() == ["Dekket", "Udekket"]


@pytest.mark.django_db(transaction=True)
def test_a_refresh_skips_a_state_another_transaction_is_changing_and_takes_it_up_after(
    orgs, personas
):
    iris, dips = personas["iris"], supplier()
    app = application(iris, "PACS", dips, [orgs["UNN"]])
    deal = agreement(iris, orgs["UNN"], dips, [app], Status.ACTIVE, None, START + 10 * DAY)
    assert stored(START)[app.pk] == ("", True)
    later = START + 20 * DAY  # past the stored window: the row is stale on this day
    marked, release, done = threading.Event(), threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                Agreement.objects.filter(pk=deal.pk).update(status=Status.ENDED)
                marked.set()
                release.wait(30)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert marked.wait(30)
        with connection.cursor() as cursor:
            # Waiting for the writer's lock would fail here instead of hanging.
            cursor.execute("SET lock_timeout = '1s'")
            stored_coverage.refresh(later)
            cursor.execute("RESET lock_timeout")
        row = ApplicationCoverage.objects.get(application=app)
        assert row.valid_until == START + 11 * DAY  # left as it was, for the writer's commit
    finally:
        release.set()
        assert done.wait(30)
        thread.join()
    assert stored(later)[app.pk] == ("expired", False) == computed(later)[app.pk]
