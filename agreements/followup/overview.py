"""The figures of the start page for those who follow up: every number links to its list."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, Exists, Q, QuerySet, Sum
from django.urls import reverse

from ..forms.agreements import overdue_deadlines
from ..models import Agreement, ApplicationUse, Organisation, Requirement, User
from ..permissions import visible_agreement_counts, visible_agreements
from ..register.applications import visible_applications
from ..register.coverage import uncovered
from .progress import figures_for
from .requirements import may_follow_up, requirements_for

# The statuses shown per trust; ended, replaced and withdrawn agreements are history.
SHOWN_STATUSES = [
    Agreement.Status.DRAFT,
    Agreement.Status.IN_REVIEW,
    Agreement.Status.CHANGES_REQUESTED,
    Agreement.Status.AWAITING_APPROVAL,
    Agreement.Status.AWAITING_SIGNATURE,
    Agreement.Status.SIGNED,
    Agreement.Status.ACTIVE,
    Agreement.Status.TERMINATED,
]


def _link(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def counted_by_status(user: User, live: bool = False) -> QuerySet:
    """Per customer organisation with visible agreements: ``customer_id`` and the number of
    visible agreements in each shown status, keyed by the status value.

    Read from the few count rows the triggers keep (``AgreementCount``), a constant cost at
    any number of agreements; ``live`` (and any database but PostgreSQL, which has no triggers)
    counts the agreements themselves, the same figures by one aggregate over every row."""
    if live or connection.vendor != "postgresql":
        rows, number = visible_agreements(user), lambda q: Count("pk", filter=q)
    else:
        rows, number = visible_agreement_counts(user), lambda q: Sum("total", filter=q, default=0)
    return rows.values("customer_id").annotate(
        **{s.value: number(Q(status=s)) for s in SHOWN_STATUSES}
    )


def agreements_by_status(user: User) -> list[dict]:
    """Per customer organisation: the number of visible agreements in each shown status."""
    names = dict(Organisation.objects.values_list("pk", "short_name"))
    rows = []
    for row in counted_by_status(user).order_by("customer__name"):
        pk = row["customer_id"]
        cells = [
            (row[s.value], _link("agreements:list", organisation=pk, status=s.value))
            for s in SHOWN_STATUSES
        ]
        rows.append({"name": names.get(pk) or "", "cells": cells})
    return rows


def uncovered_by_trust(user: User, today: date) -> list[dict]:
    """Per trust: visible applications it uses that have no current supplier agreement."""
    missing = uncovered(visible_applications(user), today).values("pk")
    uses = ApplicationUse.objects.filter(application__in=missing)
    counts = dict(uses.values_list("organisation_id").annotate(n=Count("pk")).order_by())
    trusts = Organisation.objects.filter(pk__in=counts).order_by("name")
    return [
        {
            "name": trust.display_name,
            "count": counts[trust.pk],
            "link": _link("register:list", trust=trust.pk, coverage="uncovered"),
        }
        for trust in trusts
    ]


def latest_year(today: date) -> int | None:
    """The newest year up to ``today``'s that has requirements (last year's until this
    year's assignment document is registered)."""
    return (
        Requirement.objects.filter(year__lte=today.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def overview_data(user: User, today: date) -> dict:
    """Everything the overview shows, scoped to what ``user`` may see."""
    cards = []
    year = latest_year(today)
    if may_follow_up(user) and year is not None:
        day = min(today, date(year, 12, 31))
        cards = [(r, figures_for(r, day)) for r in requirements_for(user, year)]
    overdue = visible_agreements(user).filter(Exists(overdue_deadlines())).count()
    return {
        "cards": cards,
        "statuses": SHOWN_STATUSES,
        "by_status": agreements_by_status(user),
        "overdue": overdue,
        "overdue_link": _link("agreements:list", overdue="1"),
        "uncovered": uncovered_by_trust(user, today),
    }
