"""Drafts on demand: a document made from the current terms for reading, marked UTKAST.

A draft is an ordinary generated ``DocumentVersion`` with ``is_draft`` set: numbered with the
others, rendered by the worker (``docs_templates.generation`` adds the UTKAST marking), never
offered for signing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import approval_binding, documents, permissions
from .models import Agreement, DocumentVersion, User

Status = Agreement.Status
_DRAFTING = (Status.DRAFT, Status.CHANGES_REQUESTED)
_BEFORE_APPROVAL = (*_DRAFTING, Status.IN_REVIEW, Status.AWAITING_APPROVAL)


@transaction.atomic
def do_request_draft(actor: User, agreement: Agreement) -> DocumentVersion:
    """Order a draft of ``agreement`` as its terms stand, for anyone who may see it, until it is
    approved. While it is in review or awaiting approval the terms cannot change, so the draft
    of the current round (ready or still being made) is returned instead of a second one.
    """
    agreement = Agreement.objects.locked(agreement.pk)
    if not permissions.can_see_agreement(actor, agreement):
        raise PermissionDenied(_("Du har ikke tilgang til denne avtalen."))
    if agreement.status not in _BEFORE_APPROVAL:
        raise ValidationError(_("Utkast lages bare før avtalen er godkjent."))
    if agreement.status not in _DRAFTING:
        existing = approval_binding.current_draft(agreement)
        if existing is not None:
            return existing
    return documents.order_generated_version(
        agreement, actor, _("Utkast, versjon %(number)s"), is_draft=True
    )
