"""Who follows up the OD requirements, and the use cases that change their follow-up.

The requirements are Helse Nord IKT's assignment document from Helse Nord RHF. Helse Nord IKT,
the RHF and administrators follow them up; a trust sees the risk assessments put before its own
board. Reporting texts and deliveries are never changed: each save is a new row.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from ..deadlines import sync_delivery_deadline
from ..models import (
    Delivery,
    Organisation,
    Period,
    ReportingText,
    Requirement,
    RiskAssessment,
    RiskMeasure,
    User,
)
from ..roles import Role

RHF_KIND = Organisation.Kind.REGIONAL_AUTHORITY

# Roles whose work is following up rather than doing tasks: they start on the overview.
OVERVIEW_ROLES = (Role.SERVICE_MANAGER, Role.ADMINISTRATOR, Role.APPROVER)


def period_end(year: int, period: int) -> date:
    """The last day of tertial ``period`` (1–3) of ``year``."""
    return {1: date(year, 4, 30), 2: date(year, 8, 31), 3: date(year, 12, 31)}[period]


def period_of(day: date) -> int:
    """The tertial (1–3) that ``day`` falls in."""
    return 1 if day.month <= 4 else 2 if day.month <= 8 else 3


def _is_rhf(user: User) -> bool:
    return bool(user.organisation_id) and user.organisation.kind == RHF_KIND


def _is_it_provider(user: User) -> bool:
    return bool(user.organisation_id) and user.organisation.is_it_provider


def may_follow_up(user: User) -> bool:
    """Helse Nord IKT, the RHF and administrators see the requirements and every trust's figures."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.sees_everything or _is_rhf(user) or _is_it_provider(user))
    )


def may_start_on_overview(user: User) -> bool:
    """Those who follow up start on the overview; contract owners keep their inbox first."""
    if not (user.is_authenticated and user.is_active) or user.has_role(Role.CONTRACT_OWNER):
        return False
    return (
        user.sees_everything or _is_rhf(user) or any(user.has_role(role) for role in OVERVIEW_ROLES)
    )


def may_report(user: User, requirement: Requirement) -> bool:
    """Write reporting texts and record deliveries: the responsible person, Helse Nord IKT's
    service managers and administrators. The RHF reads."""
    if not may_follow_up(user):
        return False
    return (
        user.sees_everything
        or requirement.responsible_id == user.pk
        or (_is_it_provider(user) and user.has_role(Role.SERVICE_MANAGER))
    )


def may_manage_requirements(user: User) -> bool:
    """Set status and responsible person: Helse Nord IKT's service managers and administrators."""
    return may_follow_up(user) and (
        user.sees_everything or (_is_it_provider(user) and user.has_role(Role.SERVICE_MANAGER))
    )


def responsible_candidates() -> QuerySet[User]:
    """Who may be responsible for an OD requirement: the assignment is given to Helse Nord IKT,
    so one of its active users (being responsible also lets them write the reporting texts)."""
    return User.objects.filter(
        is_active=True, organisation__code=Organisation.IT_PROVIDER_CODE
    ).order_by("first_name", "last_name", "username")


def requirements_for(user: User, year: int) -> QuerySet[Requirement]:
    if not may_follow_up(user):
        return Requirement.objects.none()
    return Requirement.objects.filter(year=year).select_related("responsible").order_by("number")


def access_requirement(user: User, pk: int) -> Requirement:
    """The requirement ``pk`` if the user follows up requirements; otherwise ``Http404``."""
    if not may_follow_up(user):
        raise Http404("No such requirement")
    try:
        return Requirement.objects.select_related("responsible").get(pk=pk)
    except Requirement.DoesNotExist:
        raise Http404("No such requirement") from None


def visible_risk_assessments(user: User) -> QuerySet[RiskAssessment]:
    """All for those who follow up; a trust's own for its users; none otherwise."""
    qs = RiskAssessment.objects.select_related("organisation", "requirement")
    if may_follow_up(user):
        return qs
    if user.is_authenticated and user.is_active and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def access_risk_assessment(user: User, pk: int) -> RiskAssessment:
    try:
        return visible_risk_assessments(user).get(pk=pk)
    except RiskAssessment.DoesNotExist:
        raise Http404("No such risk assessment") from None


def may_edit_risk(user: User, organisation: Organisation | None = None) -> bool:
    """Administrators and Helse Nord IKT's service managers for every trust; a trust's own
    service managers and approvers for that trust (``organisation``; ``None``: any)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.sees_everything or (_is_it_provider(user) and user.has_role(Role.SERVICE_MANAGER)):
        return True
    own = organisation is None or organisation.pk == user.organisation_id
    return own and (user.has_role(Role.SERVICE_MANAGER) or user.has_role(Role.APPROVER))


def risk_organisations(user: User) -> QuerySet[Organisation]:
    """The trusts ``user`` may register risk assessments for."""
    trusts = Organisation.objects.filter(kind=Organisation.Kind.TRUST)
    if may_edit_risk(user) and (user.sees_everything or _is_it_provider(user)):
        return trusts
    return trusts.filter(pk=user.organisation_id)


def latest_texts(requirements: QuerySet[Requirement], period: int) -> QuerySet[Requirement]:
    """``requirements`` with ``period_text``: the newest reporting text for ``period``."""
    newest = ReportingText.objects.filter(requirement=OuterRef("pk"), period=period).order_by(
        "-written_at", "-pk"
    )
    return requirements.annotate(period_text=Subquery(newest.values("text")[:1]))


def text_history(requirement: Requirement, period: int) -> QuerySet[ReportingText]:
    return requirement.reporting_texts.filter(period=period).select_related("author")


@transaction.atomic
def do_write_reporting_text(
    actor: User, requirement: Requirement, period: int, text: str
) -> ReportingText:
    """Save a new version of the period's reporting text (the older versions stay)."""
    if not may_report(actor, requirement):
        raise PermissionDenied(_("Du kan ikke skrive rapporteringstekst for dette kravet."))
    if period not in Period.values:
        raise ValidationError(_("Ukjent periode."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Skriv en rapporteringstekst.")})
    return ReportingText.objects.create(
        requirement=requirement, period=period, text=text, author=actor
    )


@transaction.atomic
def do_update_requirement(
    actor: User, requirement: Requirement, *, status: str, responsible: User | None
) -> Requirement:
    """Set the requirement's status and responsible person (kept in its history)."""
    if not may_manage_requirements(actor):
        raise PermissionDenied(_("Du kan ikke endre status på OD-krav."))
    if responsible and not responsible_candidates().filter(pk=responsible.pk).exists():
        raise ValidationError(_("Ansvarlig må være en aktiv bruker i Helse Nord IKT."))
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    requirement.status = Requirement.Status(status)
    requirement.responsible = responsible
    requirement._history_user = actor
    requirement.save(update_fields=["status", "responsible"])
    return requirement


@transaction.atomic
def do_record_delivery(
    actor: User, requirement: Requirement, *, sent_on: date, note: str = ""
) -> Delivery:
    """Record that what the requirement asks for was sent to the RHF."""
    if not may_report(actor, requirement):
        raise PermissionDenied(_("Du kan ikke registrere leveranser for dette kravet."))
    delivery = Delivery.objects.create(
        requirement=requirement, sent_on=sent_on, sent_by=actor, note=note.strip()
    )
    sync_delivery_deadline(requirement)
    return delivery


@transaction.atomic
def do_save_risk_assessment(
    actor: User, assessment: RiskAssessment, measures: list[dict]
) -> RiskAssessment:
    """Create or update ``assessment`` (unsaved or changed in memory) and replace its measures
    with ``measures`` (dicts of ``RiskMeasure`` fields; an ``id`` keeps an existing one)."""
    if not may_edit_risk(actor, assessment.organisation):
        raise PermissionDenied(_("Du kan ikke registrere risikovurderinger for dette foretaket."))
    if assessment.pk is None:
        assessment.created_by = actor
    assessment._history_user = actor
    assessment.full_clean()
    assessment.save()
    keep = []
    for data in measures:
        data = dict(data)
        pk = data.pop("id", None)
        measure = assessment.measures.filter(pk=pk).first() if pk else None
        measure = measure or RiskMeasure(assessment=assessment)
        for name, value in data.items():
            setattr(measure, name, value)
        measure._history_user = actor
        measure.full_clean()
        measure.save()
        keep.append(measure.pk)
    for gone in assessment.measures.filter(~Q(pk__in=keep)):
        gone._history_user = actor
        gone.delete()
    return assessment
