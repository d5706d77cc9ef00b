"""Requirement 93: which applications have a current supplier agreement.

An application is covered on a day when an agreement that lists it, with the application's
supplier as customer or provider, is in force that day: signed, active or terminated
(``Agreement.IN_FORCE_STATUSES``), started (or no start date) and not past its end date. Ended,
replaced and withdrawn agreements have their own statuses and never count.
Everything here is a queryset annotation, so the register and the report filter, count and
paginate in SQL: for today on PostgreSQL read from each application's stored state
(``stored_coverage``), on other days computed with ``Exists`` subqueries.
"""

from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import CharField as CharOutput
from django.utils.translation import gettext_lazy as _

from ..dates import add_months
from ..models import Agreement, Application

Status = Agreement.Status

# An agreement still on its way to signature (or signed but not yet started) is "only a draft".
IN_FORCE = sorted(Agreement.IN_FORCE_STATUSES)
_UNDER_WAY = (
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.CHANGES_REQUESTED,
    Status.AWAITING_APPROVAL,
    Status.AWAITING_SIGNATURE,
)

# How far ahead an agreement's end counts as "ends soon" in the report.
ENDING_SOON_MONTHS = 6


class Gap:
    """Why an application has no current supplier agreement (the ``coverage_gap`` annotation)."""

    COVERED = ""
    NO_SUPPLIER = "no_supplier"
    UNDER_WAY = "under_way"
    EXPIRED = "expired"
    OTHER_PARTY = "other_party"
    NONE = "none"

    LABELS = {
        NO_SUPPLIER: _("Ingen leverandør registrert"),
        UNDER_WAY: _("Bare utkast eller avtale som ikke har startet"),
        EXPIRED: _("Bare utløpte avtaler"),
        OTHER_PARTY: _("Bare gjeldende avtaler der leverandøren ikke er part"),
        NONE: _("Ingen avtale"),
    }


def _supplier_agreements():
    """Agreements listing the outer application with its supplier as a party."""
    return Agreement.objects.filter(applications=OuterRef("pk")).filter(
        Q(customer_id=OuterRef("supplier_id")) | Q(provider_id=OuterRef("supplier_id"))
    )


def in_force_q(today: date, prefix: str = "") -> Q:
    """The condition "in force on ``today``" for agreements (``prefix`` for a related lookup)."""
    return (
        Q(**{f"{prefix}status__in": IN_FORCE})
        & (Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": today}))
        & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today}))
    )


def with_coverage(
    qs: QuerySet[Application], today: date, gap: bool = True, refresh: bool = True
) -> QuerySet[Application]:
    """``qs`` annotated with ``covered`` (bool), ``lasting`` (bool: a current agreement runs
    beyond ``ENDING_SOON_MONTHS``), and unless ``gap`` is false (a list that shows neither),
    ``ending_soon`` (bool: covered, but every current agreement ends within
    ``ENDING_SOON_MONTHS``) and ``coverage_gap`` (a ``Gap`` value, empty when covered). Each
    annotation is a subquery per row: a page pays for those it selects. For today on
    PostgreSQL, each is instead read from the stored state (``stored_coverage``), refreshed
    first unless ``refresh`` is false (the caller refreshed them a moment ago)."""
    from . import stored_coverage  # it builds on this module's rules

    if stored_coverage.usable(today):
        if refresh:
            stored_coverage.refresh(today)
        return stored_coverage.annotate(qs, gap)
    current = _supplier_agreements().filter(in_force_q(today))
    lasting = current.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=add_months(today, ENDING_SOON_MONTHS))
    )
    qs = qs.annotate(covered=Exists(current), lasting=Exists(lasting))
    if not gap:
        return qs
    under_way = _supplier_agreements().filter(
        Q(status__in=_UNDER_WAY) | Q(status__in=IN_FORCE, start_date__gt=today)
    )
    expired = _supplier_agreements().filter(
        Q(status__in=[Status.ENDED, Status.REPLACED]) | Q(status__in=IN_FORCE, end_date__lt=today)
    )
    any_agreement = Agreement.objects.filter(in_force_q(today), applications=OuterRef("pk"))
    return qs.annotate(
        ending_soon=ExpressionWrapper(Q(covered=True, lasting=False), output_field=BooleanField()),
        coverage_gap=Case(
            When(covered=True, then=Value(Gap.COVERED)),
            When(supplier__isnull=True, then=Value(Gap.NO_SUPPLIER)),
            When(Exists(under_way), then=Value(Gap.UNDER_WAY)),
            When(Exists(expired), then=Value(Gap.EXPIRED)),
            When(Exists(any_agreement), then=Value(Gap.OTHER_PARTY)),
            default=Value(Gap.NONE),
            output_field=CharOutput(),
        ),
    )


COVERED, UNCOVERED, ENDING = "covered", "uncovered", "ending"


def coverage_q(which: str) -> Q:
    """The filter ``COVERED``, ``UNCOVERED`` or ``ENDING`` on a ``with_coverage`` queryset."""
    if which == COVERED:
        return Q(covered=True)
    if which == ENDING:
        return Q(covered=True, lasting=False)
    return Q(covered=False)


def uncovered(
    qs: QuerySet[Application], today: date, refresh: bool = True
) -> QuerySet[Application]:
    """The applications of ``qs`` without a current supplier agreement, annotated."""
    return with_coverage(qs, today, refresh=refresh).filter(coverage_q(UNCOVERED))


def ending_soon(
    qs: QuerySet[Application], today: date, refresh: bool = True
) -> QuerySet[Application]:
    """Covered applications whose every current supplier agreement ends within six months."""
    return with_coverage(qs, today, refresh=refresh).filter(coverage_q(ENDING))
