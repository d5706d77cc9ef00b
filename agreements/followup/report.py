"""The data of the tertial report to Helse Nord RHF: per requirement its text, the period's
reporting text and the figures as of the period's last day; the risk assessments as appendix.

Plain data (dataclasses and strings), so the Word rendering in ``docs_templates`` needs no
database access of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from ..models import Agreement, Period, Requirement, RiskAssessment, RiskMeasure
from .progress import Figures, agreements_not_in_force, figures_for
from .requirements import latest_texts, period_end

# The report names at most this many agreements not yet in force; the page lists them all.
MAX_LISTED = 50


@dataclass
class RequirementReport:
    requirement: Requirement
    reporting_text: str
    figures: Figures | None
    not_done: list[str] = field(default_factory=list)
    not_done_more: int = 0


@dataclass
class TertialReport:
    year: int
    period: int
    as_of: date
    requirements: list[RequirementReport]
    risk_assessments: list[RiskAssessment]

    @property
    def period_label(self) -> str:
        return f"{Period(self.period).label} {self.year}"


def _not_done(requirement: Requirement, day: date) -> tuple[list[str], int]:
    if requirement.measure != Requirement.Measure.AGREEMENTS_IN_FORCE:
        return [], 0
    rows = agreements_not_in_force(requirement, day)
    listed = [
        f"{a.reference} {a.title} ({a.customer.display_name}, {Agreement.Status(a.status_then).label})"
        for a in rows[:MAX_LISTED]
    ]
    more = max(rows.count() - MAX_LISTED, 0) if len(listed) == MAX_LISTED else 0
    return listed, more


def build_tertial_report(year: int, period: int) -> TertialReport:
    """The report of ``period`` (1–3) of ``year``, figures as of the period's last day."""
    day = period_end(year, period)
    requirements = latest_texts(Requirement.objects.filter(year=year).order_by("number"), period)
    parts = []
    for requirement in requirements:
        not_done, more = _not_done(requirement, day)
        parts.append(
            RequirementReport(
                requirement,
                requirement.period_text or "",
                figures_for(requirement, day),
                not_done,
                more,
            )
        )
    assessments = (
        RiskAssessment.objects.filter(requirement__year=year, assessed_on__lte=day)
        .select_related("organisation", "requirement")
        .prefetch_related(Prefetch("measures", queryset=RiskMeasure.objects.order_by("due_date")))
        .order_by("requirement__number", "assessed_on", "pk")
    )
    return TertialReport(year, period, day, parts, list(assessments))
