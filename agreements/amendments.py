"""Amending an agreement in force ("Endre avtale"): a new version that goes through the same
review, approval and signing, and replaces the old one when it is signed.

The new version is a new ``Agreement`` (its own reference, drafts, decisions, documents and
signatures) whose ``replaces`` points at the old one; ``old.amendments`` is the other way.
Starting its workflow is ``workflows.aftersign``'s part (agreements does not import workflows).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import lifecycle, permissions
from .kinds import kind_spec
from .models import Agreement, AuditEvent, User
from .terms import terms_of

Status = Agreement.Status

# What an amendment takes over as its first draft; dates of the new period are the owner's.
_COPIED_FIELDS = ("description", "parent", "requirement", "end_date", "notice_months")
AMENDABLE_STATUSES = frozenset({Status.SIGNED, Status.ACTIVE})
# An amendment still on its way: another may not be started beside it.
_UNDER_WAY = frozenset(
    {
        Status.DRAFT,
        Status.CHANGES_REQUESTED,
        Status.IN_REVIEW,
        Status.AWAITING_APPROVAL,
        Status.AWAITING_SIGNATURE,
    }
)


def open_amendment(agreement: Agreement) -> Agreement | None:
    """The amendment of ``agreement`` still being drafted, reviewed or signed, or ``None``."""
    return agreement.amendments.filter(status__in=_UNDER_WAY).first()


def may_amend(user: User, agreement: Agreement) -> bool:
    return agreement.status in AMENDABLE_STATUSES and permissions.may_follow_up(user, agreement)


@transaction.atomic
def do_create_amendment(actor: User, agreement: Agreement, reason: str = "") -> Agreement:
    """A draft copy of ``agreement`` (fields, applications and terms) that will replace it.

    Refused unless the agreement is signed or active, ``actor`` follows it up, and no other
    amendment of it is under way. Returns the new draft.
    """
    old = Agreement.objects.locked(agreement.pk)
    if not permissions.may_follow_up(actor, old):
        raise PermissionDenied(_("Bare avtaleeieren kan endre avtalen."))
    if old.status not in AMENDABLE_STATUSES:
        raise ValidationError(_("Bare en signert eller aktiv avtale kan endres."))
    under_way = open_amendment(old)
    if under_way is not None:
        raise ValidationError(
            _("Endringen %(ref)s er allerede under arbeid.") % {"ref": under_way.reference}
        )
    new = lifecycle.do_create_agreement(
        actor,
        title=old.title,
        kind=old.kind,
        customer=old.customer,
        provider=old.provider,
        manager=old.manager,
        applications=list(old.applications.all()),
        renewal_months=old.renewal_months,
        **{name: getattr(old, name) for name in _COPIED_FIELDS},
    )
    new.replaces = old
    new.save(update_fields=["replaces", "updated_at"])
    _copy_terms(old, new)
    message = _("Endring %(new)s av %(old)s.") % {"new": new.reference, "old": old.reference}
    if reason.strip():
        message = f"{message} {reason.strip()}"
    for target in (old, new):
        AuditEvent.objects.create(
            agreement=target,
            actor=actor,
            action=AuditEvent.Action.AMENDMENT_STARTED,
            message=message,
        )
    return new


def _copy_terms(old: Agreement, new: Agreement) -> None:
    """The old agreement's terms row and list rows, as the new draft's own rows."""
    spec = kind_spec(old.kind)
    terms = terms_of(old)
    if terms.pk is not None:
        terms.pk = None
        terms.agreement = new
        terms.save()
    for related_name, row_model in spec.row_models.items():
        rows = list(getattr(old, related_name).all())
        for row in rows:
            row.pk = None
            row.agreement = new
        row_model.objects.bulk_create(rows)


def do_replace_amended(amendment: Agreement) -> Agreement | None:
    """Once an amendment is signed, the agreement it amends becomes "Erstattet"; returns that
    agreement, or ``None`` when ``amendment`` (as just written by the caller) amends nothing, or
    nothing that can be replaced. Costs nothing for an agreement that amends nothing."""
    if amendment.replaces_id is None or amendment.status not in Agreement.IN_FORCE_STATUSES:
        return None
    with transaction.atomic():
        old = Agreement.objects.locked(amendment.replaces_id)
        if Status.REPLACED not in Agreement.TRANSITIONS[old.status]:
            return None
        lifecycle.move_status(
            old,
            Status.REPLACED,
            None,
            AuditEvent.Action.REPLACED,
            _("Erstattet av %(ref)s.") % {"ref": amendment.reference},
        )
        _move_children(old, amendment)
    return old


def _move_children(old: Agreement, amendment: Agreement) -> None:
    """The agreements that hung under the replaced one hang under its amendment from now on."""
    message = _("Overordnet avtale %(old)s er erstattet av %(new)s.") % {
        "old": old.reference,
        "new": amendment.reference,
    }
    for child in Agreement.objects.select_for_update().filter(parent=old):
        child.parent = amendment
        child.save(update_fields=["parent", "updated_at"])
        AuditEvent.objects.create(
            agreement=child, action=AuditEvent.Action.UPDATED, message=message
        )
