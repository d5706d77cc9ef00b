"""The overview's agreements per status and trust come from count rows that PostgreSQL's triggers
keep (``AgreementCount``): after every kind of write they must equal a fresh count."""

import re

import pytest
from django.db.models import Count

from agreements import lifecycle
from agreements.followup.overview import counted_by_status
from agreements.models import Agreement, AgreementCount
from tests.factories import login_as, make_agreement

pytestmark = pytest.mark.django_db
KEY = ("customer_id", "provider_id", "manager_id", "status")


def stored_counts() -> set[tuple]:
    return set(AgreementCount.objects.values_list(*KEY, "total"))


def fresh_counts() -> set[tuple]:
    return set(Agreement.objects.values_list(*KEY).annotate(n=Count("pk")).order_by())


def assert_in_step(personas):
    """The stored rows equal a fresh COUNT, and every persona's overview figures equal a count
    over the agreements that persona may see."""
    assert stored_counts() == fresh_counts()
    for name in ("ulla", "nils", "ivar", "iris", "alice", "ada"):
        user = personas[name]
        stored = list(counted_by_status(user).order_by("customer_id"))
        live = list(counted_by_status(user, live=True).order_by("customer_id"))
        assert stored == live, name


def shown(client, customer, status) -> int:
    """The number in the overview's cell of ``customer``'s row and ``status``'s column."""
    page = client.get("/").content.decode()
    link = re.escape(f"/agreements/?organisation={customer.pk}&amp;status={status}")
    return int(re.search(f'<a href="{link}">(\\d+)</a>', page).group(1))


def test_it_counts_in_step_with_creates_moves_bulk_writes_and_deletes(personas, orgs):
    alice, bob = personas["alice"], personas["bob"]
    unn, nlsh, hnikt = orgs["UNN"], orgs["NLSH"], orgs["HNIKT"]
    ulla = login_as(personas["ulla"])  # UNN approver: starts on the overview
    assert_in_step(personas)
    assert AgreementCount.objects.count() == 0

    first = make_agreement(alice, unn, hnikt, start_flow=False)
    second = make_agreement(alice, unn, hnikt, start_flow=False)
    make_agreement(bob, nlsh, hnikt, start_flow=False)
    assert_in_step(personas)
    assert shown(ulla, unn, Agreement.Status.DRAFT) == 2

    lifecycle.do_submit_for_review(alice, first)
    assert_in_step(personas)
    assert shown(ulla, unn, Agreement.Status.DRAFT) == 1
    assert shown(ulla, unn, Agreement.Status.IN_REVIEW) == 1

    # A bulk UPDATE outside the lifecycle, changing status and organisation at once.
    Agreement.objects.filter(pk=second.pk).update(status=Agreement.Status.ACTIVE, manager=hnikt)
    assert_in_step(personas)
    assert shown(ulla, unn, Agreement.Status.DRAFT) == 0
    assert shown(ulla, unn, Agreement.Status.ACTIVE) == 1

    # An UPDATE that changes no counted column writes no count row.
    before = list(AgreementCount.objects.values_list("pk", "total").order_by("pk"))
    Agreement.objects.filter(pk=first.pk).update(title="Ny tittel")
    assert list(AgreementCount.objects.values_list("pk", "total").order_by("pk")) == before

    # Many rows in one INSERT, then most of them deleted in one DELETE.
    Agreement.objects.bulk_create(
        Agreement(
            reference=f"BULK-{n}",
            title=f"Bulk {n}",
            kind=Agreement.Kind.SERVICE,
            status=Agreement.Status.AWAITING_APPROVAL,
            customer=unn,
            provider=hnikt,
            manager=unn,
            owner=alice,
        )
        for n in range(5)
    )
    assert_in_step(personas)
    assert shown(ulla, unn, Agreement.Status.AWAITING_APPROVAL) == 5
    Agreement.objects.filter(reference__in=[f"BULK-{n}" for n in range(4)]).delete()
    assert_in_step(personas)
    assert shown(ulla, unn, Agreement.Status.AWAITING_APPROVAL) == 1

    # The last agreement of a key gone: its row goes too, as a fresh count has none.
    Agreement.objects.filter(reference="BULK-4").delete()
    assert_in_step(personas)
    assert not AgreementCount.objects.filter(status=Agreement.Status.AWAITING_APPROVAL).exists()


def test_a_trust_sees_only_rows_of_agreements_it_is_involved_in(personas, orgs):
    unn, nlsh, hnikt = orgs["UNN"], orgs["NLSH"], orgs["HNIKT"]
    make_agreement(personas["alice"], unn, hnikt, start_flow=False)
    make_agreement(personas["bob"], nlsh, hnikt, start_flow=False)
    assert_in_step(personas)
    by_customer = {row["customer_id"] for row in counted_by_status(personas["ulla"])}
    assert by_customer == {unn.pk}  # UNN's approver: not NLSH's agreement
    by_customer = {row["customer_id"] for row in counted_by_status(personas["ivar"])}
    assert by_customer == {unn.pk, nlsh.pk}  # Helse Nord IKT is the provider of both
    page = login_as(personas["ulla"]).get("/").content.decode()
    assert f"organisation={nlsh.pk}&amp;" not in page
