"""Progress on the OD requirements, computed from the data as it stood at the end of any day.

Nothing here is typed in by a person. An agreement's status on a past day comes from its audit
trail (the newest status change at or before that moment, as a correlated subquery); an
application's register entry and its use by the trusts come from django-simple-history's tables
(the newest historical row at or before that moment). So the figures for the last day of a
tertial stay the same however the data changes afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from ..models import (
    Agreement,
    Application,
    ApplicationUse,
    AuditEvent,
    Delivery,
    Organisation,
    Requirement,
)

OSLO = ZoneInfo("Europe/Oslo")
# Signed and not over (``register.coverage``): "in force" in every figure.
IN_FORCE = sorted(Agreement.IN_FORCE_STATUSES)
# Left out of the figures: withdrawn drafts, and versions a signed amendment replaced.
_NOT_COUNTED = [Agreement.Status.CANCELLED, Agreement.Status.REPLACED]
IT_PROVIDER = Application.Management.IT_PROVIDER


def end_of_day(day: date) -> datetime:
    """The first moment after ``day`` in Norwegian time: data stamped before it counts."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=OSLO)


def status_as_of(moment: datetime) -> Subquery:
    """The outer agreement's status just before ``moment`` (NULL if it did not exist yet)."""
    return Subquery(
        AuditEvent.objects.filter(agreement=OuterRef("pk"), at__lt=moment)
        .exclude(to_status="")
        .order_by("-at", "-pk")
        .values("to_status")[:1]
    )


def agreements_as_of(day: date, queryset: QuerySet[Agreement] | None = None) -> QuerySet:
    """Agreements that existed at the end of ``day``, each with ``status_then``."""
    moment = end_of_day(day)
    queryset = Agreement.objects.all() if queryset is None else queryset
    return queryset.filter(created_at__lt=moment).annotate(status_then=status_as_of(moment))


def _as_of(history_model, moment: datetime) -> QuerySet:
    """The newest historical row per object before ``moment``, leaving out deleted objects.

    "Newest" is "no later row of the same object before ``moment``" (``NOT EXISTS``), which
    PostgreSQL runs as one hashed anti-join rather than a sorted lookup per row."""
    later = history_model.objects.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
        id=OuterRef("id"),
        history_date__lt=moment,
    )
    return (
        history_model.objects.filter(history_date__lt=moment)
        .exclude(Exists(later))
        .exclude(history_type="-")
    )


def applications_as_of(day: date) -> QuerySet:
    """The register's applications as they stood at the end of ``day`` (historical rows)."""
    return _as_of(Application.history.model, end_of_day(day))


def uses_as_of(day: date) -> QuerySet:
    """Which trust used which application at the end of ``day`` (historical rows)."""
    return _as_of(ApplicationUse.history.model, end_of_day(day))


@dataclass(frozen=True)
class Row:
    """One line of figures: ``done`` of ``total`` for ``label``; ``key`` filters a list."""

    label: str
    done: int
    total: int
    key: str = ""

    @property
    def share(self) -> float | None:
        """``done`` as a percentage of ``total`` with one decimal; ``None`` when total is 0."""
        return round(100 * self.done / self.total, 1) if self.total else None


@dataclass
class Figures:
    """What the data says about one requirement at the end of ``as_of``."""

    requirement: Requirement
    as_of: date
    heading: str
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> Row:
        return Row(
            _("Totalt"),
            sum(r.done for r in self.rows),
            sum(r.total for r in self.rows),
        )


KIND_GROUPS = [
    ("service", Agreement.Kind.SERVICE.label),
    ("data_processor", Agreement.Kind.DATA_PROCESSOR.label),
    ("other", _("Andre avtaler")),
]

_KIND_GROUP = Case(
    When(kind=Agreement.Kind.SERVICE, then=Value("service")),
    When(kind=Agreement.Kind.DATA_PROCESSOR, then=Value("data_processor")),
    default=Value("other"),
)


def tagged_agreements(requirement: Requirement, day: date) -> QuerySet:
    """The requirement's agreements at the end of ``day``, withdrawn and replaced ones left out."""
    return (
        agreements_as_of(day, Agreement.objects.filter(requirement=requirement))
        .exclude(status_then__in=_NOT_COUNTED)
        .annotate(kind_group=_KIND_GROUP)
    )


def agreements_not_in_force(requirement: Requirement, day: date) -> QuerySet:
    """The requirement's agreements not yet in force at the end of ``day``, oldest first."""
    return (
        tagged_agreements(requirement, day)
        .exclude(status_then__in=IN_FORCE)
        .select_related("customer", "provider")
        .order_by("created_at", "pk")
    )


def agreements_in_force(requirement: Requirement, day: date) -> Figures:
    """Req. 88: agreements tagged with the requirement that are in force, per kind."""
    counts = {
        row["kind_group"]: row
        for row in tagged_agreements(requirement, day)
        .values("kind_group")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status_then__in=IN_FORCE)))
        .order_by()
    }
    rows = [
        Row(label, counts.get(key, {}).get("done", 0), counts.get(key, {}).get("total", 0), key)
        for key, label in KIND_GROUPS
    ]
    figures = Figures(requirement, day, _("Avtaler i kraft"), rows)
    missing = figures.total.total - figures.total.done
    figures.notes.append(_("%(n)s avtaler er ennå ikke i kraft.") % {"n": missing})
    return figures


def _trusts() -> list[Organisation]:
    return list(Organisation.objects.filter(kind=Organisation.Kind.TRUST).order_by("name"))


def _per_trust(day: date, done: Q, applications: QuerySet | None = None) -> list[Row]:
    """Per trust: the applications it used at the end of ``day``, and how many of them matched
    ``done`` then (``applications``: the as-of rows, annotated as ``done`` needs).

    The two application sets are uncorrelated ``IN`` subqueries, which PostgreSQL hashes once,
    instead of a subquery per use."""
    applications = applications_as_of(day) if applications is None else applications
    live_ids = applications.values("id")
    done_ids = applications.filter(done).values("id")
    counts = {
        row["organisation_id"]: row
        for row in uses_as_of(day)
        .filter(application_id__in=live_ids)
        .values("organisation_id")
        .annotate(
            total=Count("history_id"),
            done_count=Count("history_id", filter=Q(application_id__in=done_ids)),
        )
        .order_by()
    }
    return [
        Row(
            trust.display_name,
            counts.get(trust.pk, {}).get("done_count", 0),
            counts.get(trust.pk, {}).get("total", 0),
            trust.code,
        )
        for trust in _trusts()
    ]


def management_transferred(requirement: Requirement, day: date) -> Figures:
    """Req. 89: per trust, applications whose technical and mercantile management both lie
    with Helse Nord IKT; notes how many have each of the two."""
    rows = _per_trust(day, Q(technical_management=IT_PROVIDER, mercantile_management=IT_PROVIDER))
    counts = applications_as_of(day).aggregate(
        all=Count("history_id"),
        t=Count("history_id", filter=Q(technical_management=IT_PROVIDER)),
        m=Count("history_id", filter=Q(mercantile_management=IT_PROVIDER)),
    )
    figures = Figures(
        requirement, day, _("Teknisk og merkantil forvaltning hos Helse Nord IKT"), rows
    )
    figures.notes.append(
        _(
            "Av %(all)s applikasjoner har Helse Nord IKT teknisk forvaltning av %(t)s og merkantil "
            "forvaltning av %(m)s."
        )
        % counts
    )
    return figures


def applications_categorised(requirement: Requirement, day: date) -> Figures:
    """Req. 92: per trust, applications with an NSM category and an asset id."""
    categorised = ~Q(category=Application.Category.UNCATEGORISED) & ~Q(category="")
    rows = _per_trust(day, categorised & ~Q(asset_id=""))
    counts = applications_as_of(day).aggregate(
        all=Count("history_id"),
        c=Count("history_id", filter=categorised),
        a=Count("history_id", filter=~Q(asset_id="")),
    )
    figures = Figures(requirement, day, _("Kategorisert etter NSM 1.2.2 og med asset-ID"), rows)
    figures.notes.append(
        _("%(c)s av %(all)s applikasjoner har NSM-kategori; %(a)s har asset-ID.") % counts
    )
    return figures


def supplier_agreement_then(day: date) -> Exists:
    """Whether an agreement in force at the end of ``day``, with the outer application's
    supplier as a party, covers it (the outer row is a historical application). "In force" as
    in ``register.coverage``: in force then, started and not ended by ``day``."""
    covering = (
        agreements_as_of(day, Agreement.objects.filter(applications=OuterRef("id")))
        .filter(Q(provider_id=OuterRef("supplier_id")) | Q(customer_id=OuterRef("supplier_id")))
        .filter(status_then__in=IN_FORCE)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    )
    return Exists(covering)


def applications_uncovered(requirement: Requirement, day: date) -> Figures:
    """Req. 93: per trust, applications with no supplier agreement in force; and whether the
    overview was sent to the RHF by the deadline."""
    applications = applications_as_of(day).annotate(covered=supplier_agreement_then(day))
    rows = _per_trust(day, Q(covered=False), applications)
    figures = Figures(requirement, day, _("Applikasjoner uten gjeldende leverandøravtale"), rows)
    counts = applications.aggregate(
        all=Count("history_id"), n=Count("history_id", filter=Q(covered=False))
    )
    figures.notes.append(
        _("%(n)s av %(all)s applikasjoner har ingen gjeldende leverandøravtale.") % counts
    )
    figures.notes.append(delivery_note(requirement, day))
    return figures


def delivery_as_of(requirement: Requirement, day: date) -> Delivery | None:
    """The first recorded delivery sent on or before ``day``, or ``None``."""
    return (
        requirement.deliveries.filter(sent_on__lte=day)
        .select_related("sent_by")
        .order_by("sent_on", "pk")
        .first()
    )


def delivery_note(requirement: Requirement, day: date) -> str:
    delivery = delivery_as_of(requirement, day)
    if delivery is None:
        return _("Oversikten er ikke registrert sendt til Helse Nord RHF.")
    on_time = requirement.deadline is None or delivery.sent_on <= requirement.deadline
    return _("Oversikten ble sendt til Helse Nord RHF %(day)s av %(who)s (%(when)s).") % {
        "day": delivery.sent_on.strftime("%d.%m.%Y"),
        "who": delivery.sent_by,
        "when": _("innen fristen") if on_time else _("etter fristen"),
    }


MEASURES = {
    Requirement.Measure.AGREEMENTS_IN_FORCE: agreements_in_force,
    Requirement.Measure.MANAGEMENT_TRANSFERRED: management_transferred,
    Requirement.Measure.APPLICATIONS_CATEGORISED: applications_categorised,
    Requirement.Measure.APPLICATIONS_UNCOVERED: applications_uncovered,
}


def figures_for(requirement: Requirement, day: date) -> Figures | None:
    """The computed figures of ``requirement`` at the end of ``day``; ``None`` when the
    requirement does not map to data."""
    compute = MEASURES.get(requirement.measure)
    return compute(requirement, day) if compute else None
