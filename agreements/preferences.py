"""A user's choice of how often reminder emails come (the link in every digest leads here)."""

from django.db import transaction

from .models import User


@transaction.atomic
def do_set_reminder_frequency(user: User, frequency: str) -> User:
    """Daily digests, one on Mondays, or only deadlines already overdue; the sweep honours it."""
    user.reminder_frequency = User.ReminderFrequency(frequency)
    user.save(update_fields=["reminder_frequency"])
    return user
