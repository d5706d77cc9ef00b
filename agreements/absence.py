"""A user who is away names a substitute, who gets their reminders and can do their tasks."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .dates import allowed_range_message, in_allowed_range
from .models import User


@transaction.atomic
def do_set_absence(user: User, substitute: User | None, away_until: date | None, today: date):
    """Record that ``user`` is away until ``away_until`` (inclusive) with ``substitute``.

    Both empty clears the absence. The substitute must be an active colleague in the same
    organisation (they will see that organisation's tasks), never the user themself.
    """
    errors = {}
    if (substitute is None) != (away_until is None):
        errors["__all__"] = _("Velg både stedfortreder og siste fraværsdag, eller ingen av dem.")
    if substitute is not None:
        if substitute.pk == user.pk:
            errors["substitute"] = _("Du kan ikke være din egen stedfortreder.")
        elif not substitute.is_active or substitute.organisation_id != user.organisation_id:
            errors["substitute"] = _("Stedfortrederen må være en aktiv kollega i din organisasjon.")
    if away_until is not None and away_until < today:
        errors["away_until"] = _("Siste fraværsdag kan ikke være tilbake i tid.")
    elif away_until is not None and not in_allowed_range(away_until):
        errors["away_until"] = allowed_range_message()
    if errors:
        raise ValidationError(errors)
    user.substitute = substitute
    user.away_until = away_until
    user.save(update_fields=["substitute", "away_until"])
    return user
