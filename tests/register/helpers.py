"""Builders for register tests: applications and agreements in a given state."""

from datetime import date

from agreements.models import Agreement, Organisation
from agreements.register.applications import Use, do_create_application


def supplier(name="DIPS AS", org_number="974760673", code="dips"):
    return Organisation.objects.create(
        code=code, name=name, kind=Organisation.Kind.SUPPLIER, org_number=org_number
    )


def application(actor, name, supplier=None, trusts=(), **fields):
    return do_create_application(
        actor, [Use(organisation=t) for t in trusts], name=name, supplier=supplier, **fields
    )


_counter = iter(range(1, 100000))


def agreement(owner, customer, provider, apps, status, start=None, end=None):
    """An agreement row in ``status`` (written directly: these tests are about coverage, not
    about the workflow that leads there)."""
    a = Agreement.objects.create(
        reference=f"T-{next(_counter):05d}",
        title="Leverandøravtale",
        kind=Agreement.Kind.OTHER,
        status=status,
        customer=customer,
        provider=provider,
        owner=owner,
        start_date=start,
        end_date=end,
    )
    a.applications.set(apps)
    return a


TODAY = date(2026, 6, 15)
