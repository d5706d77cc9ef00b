"""The agreement's life as a timeline on its page: the milestones of its audit trail.

Read from the audit events only (no state of its own), so it shows what happened, in order,
however the agreement got there: created, submitted, reviewed, approved, signed, active,
renewed, terminated, ended, replaced, withdrawn, and the amendments started.
"""

from django.db.models import Q

from .compiled import ByKey
from .models import Agreement, AuditEvent

Action = AuditEvent.Action

Status = Agreement.Status
_SIGNED_OR_LATER = (*Agreement.IN_FORCE_STATUSES, Status.ENDED, Status.REPLACED)

MILESTONES = (
    Action.CREATED,
    Action.SUBMITTED,
    Action.REVIEWED,
    Action.APPROVAL_DECIDED,
    Action.SIGNED,
    Action.FULLY_SIGNED,
    Action.ACTIVATED,
    Action.RENEWED,
    Action.RENEGOTIATION_DECIDED,
    Action.REVISED,
    Action.TERMINATED,
    Action.ENDED,
    Action.AMENDMENT_STARTED,
    Action.REPLACED,
    Action.WITHDRAWN,
)


# Compiled once per process (``agreements.compiled``): the agreement page runs it every time.
_MILESTONE_EVENTS = ByKey(
    lambda pk: (
        AuditEvent.objects.filter(agreement=pk, action__in=MILESTONES)
        .select_related("actor")
        .order_by("at", "pk")
    )
)


def timeline(agreement: Agreement) -> list[AuditEvent]:
    """The agreement's milestone events, oldest first, each with its actor loaded."""
    return _MILESTONE_EVENTS.all(agreement.pk)


def versions(agreement: Agreement, visible) -> dict:
    """The versions linked to ``agreement`` that the user can see (``visible``: their agreement
    queryset): the one it amends, and its amendments (the one that replaced it among them)."""
    linked = visible.filter(Q(pk=agreement.replaces_id) | Q(replaces=agreement)).order_by(
        "created_at", "pk"
    )
    rows = list(linked)
    amendments = [a for a in rows if a.replaces_id == agreement.pk]
    replaced = agreement.status == Agreement.Status.REPLACED
    return {
        "replaces": next((a for a in rows if a.pk == agreement.replaces_id), None),
        "replaced_by": next(
            (a for a in amendments if replaced and a.status in _SIGNED_OR_LATER), None
        ),
        "amendments": amendments,
    }
