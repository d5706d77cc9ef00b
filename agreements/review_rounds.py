"""Review rounds: who reviews again after a change request, and what changed since last time.

When a draft is sent to review, ``open_next_round`` stores the terms' snapshot and the areas asked
to review in this round: every area of the kind in the first round; later only an area that has
not approved yet, whose last word was a change request, or whose part of the terms changed
since the round it approved. The others' approvals stand (``standing_approvals``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from .compiled import ByKey
from .kinds import kind_spec
from .models import Agreement, Decision, ReviewRound
from .snapshots import changed_keys, differences, take_snapshot

Area = Decision.Area

# The part of the terms each area reads; legal reads everything. A key is a snapshot field key
# ("agreement.title", "terms.nature") or a list ("lists.security_measures"); the data processor
# terms are the only ones privacy and security review.
_SECURITY_KEYS = frozenset(
    {
        "agreement.applications",
        "lists.security_measures",
        "lists.sub_processors",
        "lists.processing_locations",
        "terms.security_measures",
        "terms.sub_processors",
        "terms.locations",
        "terms.breach_notification_hours",
        "terms.third_country_transfer",
        "terms.transfer_countries",
        "terms.transfer_legal_basis",
        "terms.remote_access_from_abroad",
        "terms.segregation",
        "terms.risk_assessment_reference",
        "terms.security_lead_consulted",
    }
)
_SECURITY_ONLY = frozenset(
    {"lists.security_measures", "terms.security_measures", "terms.security_lead_consulted"}
)


def reads(area: str, key: str) -> bool:
    """Whether a change of ``key`` concerns reviewers of ``area``."""
    if area == Area.SECURITY:
        return key in _SECURITY_KEYS
    if area == Area.PRIVACY:
        privacy_part = key.startswith(("terms.", "lists.")) or key == "agreement.applications"
        return privacy_part and key not in _SECURITY_ONLY
    return True


def _last_decisions(agreement: Agreement) -> dict[str, Decision]:
    """Each area's most recent decision before the current round."""
    latest = {}
    for decision in agreement.decisions.filter(review_round__lt=agreement.review_round):
        latest[decision.area] = decision  # ordered by time: the last one wins
    return latest


def areas_to_review(agreement: Agreement, snapshot: dict) -> list[str]:
    """The kind's review areas that must review the round about to start with ``snapshot``."""
    latest = _last_decisions(agreement)
    snapshots = dict(agreement.review_rounds.values_list("number", "terms"))
    asked = []
    for area in kind_spec(agreement.kind).review_areas:
        decision = latest.get(area)
        if decision is None or decision.outcome != Decision.Outcome.APPROVED:
            asked.append(area)
            continue
        approved_terms = snapshots.get(decision.review_round)
        if approved_terms is None or any(
            reads(area, key) for key in changed_keys(approved_terms, snapshot)
        ):
            asked.append(area)
    return asked


def open_next_round(agreement: Agreement) -> ReviewRound:
    """Count ``agreement.review_round`` up and store that round: the terms and who reviews.

    Called by ``lifecycle`` (which saves the agreement) inside its transaction: when a draft is
    sent to review, and when an approval is voided by a newer document (then nothing changed,
    so no area is asked and the agreement goes straight to approval again).
    """
    agreement.review_round += 1
    snapshot = take_snapshot(agreement)
    return ReviewRound.objects.create(
        agreement=agreement,
        number=agreement.review_round,
        terms=snapshot,
        areas=[str(area) for area in areas_to_review(agreement, snapshot)],
    )


def asked_areas(agreement: Agreement) -> list[str]:
    """The areas asked to review the current (newest) round; every area of the kind for an
    agreement from before rounds were recorded. Reads the newest round rather than
    ``agreement.review_round``, so a flow's cached agreement gets the round just opened."""
    stored = agreement.review_rounds.order_by("-number").values_list("areas", flat=True).first()
    return list(kind_spec(agreement.kind).review_areas) if stored is None else stored


def _decisions_with_asked_areas(agreement_pk, review_round):
    asked = ReviewRound.objects.filter(
        agreement=OuterRef("agreement"), number=OuterRef("review_round")
    ).values("areas")[:1]
    return Decision.objects.filter(agreement=agreement_pk, review_round=review_round).annotate(
        asked=Subquery(asked)
    )


# Every review's end reads it: compiled once (``compiled``).
# A review round is a small integer: its stand-in is one (``ByKey``).
_ROUND_DECISIONS = ByKey(_decisions_with_asked_areas, keys=(int, 32_109))


def round_decisions(agreement: Agreement) -> tuple[list[Decision], list[str]]:
    """The current round's decisions and the areas asked, read in one statement where it can."""
    decisions = _ROUND_DECISIONS.all(agreement.pk, agreement.review_round)
    for decision in decisions:  # as ``agreement.decisions`` would give them
        decision.agreement = agreement
    if decisions and decisions[0].asked is not None:
        return decisions, decisions[0].asked
    return decisions, asked_areas(agreement)


@dataclass
class StandingApproval:
    area: str
    decision: Decision

    @property
    def label(self) -> str:
        return Area(self.area).label


def standing_approvals(agreement: Agreement) -> list[StandingApproval]:
    """The review areas not asked this round, each with the approval that stands for it."""
    if agreement.review_round <= 1:
        return []
    asked = set(asked_areas(agreement))
    latest = _last_decisions(agreement)
    return [
        StandingApproval(area, latest[area])
        for area in kind_spec(agreement.kind).review_areas
        if area not in asked and area in latest
    ]


def changes_since_last_round(agreement: Agreement):
    """What changed in the terms between the previous round and this one ([] in round 1, or
    when a snapshot is missing)."""
    if agreement.review_round <= 1:
        return []
    snapshots = dict(
        agreement.review_rounds.filter(
            number__in=(agreement.review_round - 1, agreement.review_round)
        ).values_list("number", "terms")
    )
    before, now = snapshots.get(agreement.review_round - 1), snapshots.get(agreement.review_round)
    if before is None or now is None:
        return []
    return differences(agreement, before, now)
