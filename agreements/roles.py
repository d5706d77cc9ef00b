"""Roles are Django groups; a role counts within the user's own organisation only."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONTRACT_OWNER = "contract_owner", _("Avtaleeier")
    SERVICE_MANAGER = "service_manager", _("Tjenesteansvarlig")
    LEGAL = "legal", _("Jurist")
    PRIVACY = "privacy", _("Personvernombud")
    SECURITY = "security", _("Informasjonssikkerhetsleder")
    APPROVER = "approver", _("Godkjenner med signaturrett")
    ADMINISTRATOR = "administrator", _("Administrator")


def role_permission(role: str, organisation_id: int) -> str:
    """The pseudo-permission that a task requires: ``role`` held in organisation ``organisation_id``.

    viewflow stores it in ``Task.owner_permission`` and matches it against
    ``user.get_all_permissions()``; ``permissions.OrganisationRoleBackend`` hands these strings out,
    so viewflow's own queue query is scoped to the right organisation without a second list.
    """
    return f"role:{role}@org:{organisation_id}"
