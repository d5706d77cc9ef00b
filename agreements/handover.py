"""Work left with people who can no longer do it: open deadlines of deactivated users.

A deactivated user gets no reminders (``reminders.sweep``), so their open tasks would wait
unseen; the administrators of their organisation see them on the admin start page and can
hand them on.
"""

from django.db.models import QuerySet

from .models import Deadline, User
from .roles import Role

# The admin start page shows this many; the count says how many more there are.
SHOWN = 50


def deactivated_users_open_deadlines(user: User) -> QuerySet[Deadline]:
    """Open deadlines assigned to inactive users that ``user`` administers: every organisation's
    for a superuser, their own organisation's for an administrator, none for anyone else."""
    deadlines = Deadline.objects.filter(assignee__is_active=False, closed_at__isnull=True)
    if not user.is_superuser:
        if not (user.is_active and user.has_role(Role.ADMINISTRATOR)):
            return Deadline.objects.none()
        deadlines = deadlines.filter(assignee__organisation_id=user.organisation_id)
    return deadlines.select_related("assignee", "agreement").order_by("due_at", "pk")
