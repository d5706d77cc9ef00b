"""Approval bound to the document the approver saw, and what makes it void.

The approval page offers a draft (``draft_documents``), marked UTKAST, made from the terms of
the current round. The approval records the draft shown and its SHA-256; it is refused when a
newer draft has appeared since the page was opened. After approval the flow makes the version
the parties sign from the same terms. A version ordered by a person after the approval, once it
is ready and before anyone has signed, replaces what was approved: the agreement goes back to
approval (``superseding_version``, acted on by ``workflows.actions``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from . import locking
from .compiled import ByKey
from .models import Agreement, Decision, DocumentVersion, ReviewRound


def _round_drafts(agreement: Agreement):
    """The drafts made since the current round was sent to review (so from its terms), newest
    first. While the owner drafts, every draft counts."""
    if _drafting(agreement):
        return _drafts(agreement.pk)
    return _submitted_round_drafts(agreement.pk, agreement.review_round)


def _drafting(agreement: Agreement) -> bool:
    return agreement.status in (Agreement.Status.DRAFT, Agreement.Status.CHANGES_REQUESTED)


def _drafts(agreement_pk: int):
    return (
        DocumentVersion.objects.filter(agreement=agreement_pk, is_draft=True)
        .exclude(status=DocumentVersion.Status.FAILED)
        .order_by("-number")
    )


def _submitted_round_drafts(agreement_pk: int, review_round: int):
    submitted = ReviewRound.objects.filter(
        agreement=OuterRef("agreement"), number=review_round
    ).values("submitted_at")[:1]
    return _drafts(agreement_pk).filter(created_at__gte=Subquery(submitted))


# Every approval checks it: compiled once (``compiled``).
_NEWEST_READY_SUBMITTED_DRAFT = ByKey(
    lambda agreement_pk, review_round: _submitted_round_drafts(agreement_pk, review_round).filter(
        status=DocumentVersion.Status.READY
    )[:1],
    keys=(int, 32_109),  # a review round is a small integer: a stand-in that fits (``ByKey``)
)


def current_draft(agreement: Agreement) -> DocumentVersion | None:
    """The newest draft of the current terms, ready or still being made; None if none."""
    return _round_drafts(agreement).first()


def check_shown_draft(agreement: Agreement, shown_id: int | None) -> DocumentVersion | None:
    """The ready draft the approver was shown (``shown_id``), checked to be the newest one.

    Returns None when no ready draft of the current terms exists (the approval then rests on the
    terms shown on the page). Raises ``ValidationError`` when a newer draft has been made since.
    """
    if _drafting(agreement):
        newest = _drafts(agreement.pk).filter(status=DocumentVersion.Status.READY).first()
    else:
        newest = _NEWEST_READY_SUBMITTED_DRAFT.first(agreement.pk, agreement.review_round)
    if newest is None:
        return None
    if newest.pk != shown_id:
        raise ValidationError(
            _(
                "Det er laget et nyere utkast (versjon %(number)s) siden du åpnet siden. Les det "
                "før du godkjenner."
            )
            % {"number": newest.number}
        )
    return newest


def approval_in_force(agreement: Agreement) -> Decision | None:
    """The approval of the current round, if the approver approved."""
    return (
        agreement.decisions.filter(
            review_round=agreement.review_round,
            area=Decision.Area.APPROVAL,
            outcome=Decision.Outcome.APPROVED,
        )
        .select_related("document_version")
        .first()
    )


def superseding_version(agreement: Agreement) -> DocumentVersion | None:
    """A ready version ordered by a person after the approval, before anyone signed: the
    approval no longer covers what would be signed. None when nothing replaces it."""
    if agreement.status != Agreement.Status.AWAITING_SIGNATURE or agreement.signatures.exists():
        return None
    approval = approval_in_force(agreement)
    if approval is None:
        return None
    return (
        agreement.documents.filter(
            kind=DocumentVersion.Kind.GENERATED,
            is_draft=False,
            status=DocumentVersion.Status.READY,
            created_at__gt=approval.decided_at,
        )
        # The flow's own version for signing is made from the approved terms.
        .exclude(created_by__isnull=True, for_signing=True)
        .order_by("-number")
        .first()
    )


def reopen_message(version: DocumentVersion) -> str:
    """The audit line for going back to approval because of ``version``."""
    return _(
        "Ny dokumentversjon %(number)s etter godkjenningen (SHA-256 %(sha)s); avtalen må "
        "godkjennes på nytt."
    ) % {"number": version.number, "sha": version.sha256}


def signable_version(agreement: Agreement) -> DocumentVersion | None:
    """``DocumentVersion.objects.signable_for(agreement)``, read once per step while the
    agreement is held (``locking.remember``): the sign step picks it and the signature checks it."""
    return locking.remember(
        agreement, "signable_version", lambda: DocumentVersion.objects.signable_for(agreement)
    )
