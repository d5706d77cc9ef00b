"""Rules on a draft's fields that involve more than one field or other agreements.

The use cases in ``lifecycle`` call them before saving; forms show their ``ValidationError`` on
the field it names, so each rule is written once.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import permissions
from .dates import check_allowed_range
from .models import Agreement, User


def check_parent(actor: User, agreement: Agreement) -> None:
    """A parent is one of the same customer's framework agreements that the actor can see."""
    if agreement.parent_id is None:
        return
    allowed = permissions.parent_choices(actor, agreement.customer_id).exclude(pk=agreement.pk)
    if not allowed.filter(pk=agreement.parent_id).exists():
        raise ValidationError(
            {"parent": _("Overordnet avtale må være en rammeavtale for den samme kunden.")}
        )


def check_dates(agreement: Agreement) -> None:
    """Every date within the calendar the system counts in, and the end not before the start."""
    check_allowed_range(
        target_date=agreement.target_date,
        start_date=agreement.start_date,
        end_date=agreement.end_date,
    )
    if agreement.start_date and agreement.end_date and agreement.end_date < agreement.start_date:
        raise ValidationError({"end_date": _("Sluttdato kan ikke være før startdato.")})
