"""Who may see and change the application register, and the use cases that change it.

Helse Nord IKT's service managers and administrators keep the register; Helse Nord RHF reads all
of it; a trust's users read the applications their trust uses.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from ..models import Application, ApplicationUse, Organisation, User
from ..roles import Role

# The fields of an application a use case may set; the per-trust uses are passed separately.
APPLICATION_FIELDS = (
    "name",
    "supplier",
    "version",
    "asset_id",
    "installed_on",
    "regional",
    "category",
    "technical_management",
    "technical_transferred_on",
    "mercantile_management",
    "mercantile_transferred_on",
    "tool_agreement_number",
    "notes",
)


@dataclass(frozen=True)
class Use:
    """One using trust and its system owner (a user, or a name and an email address)."""

    organisation: Organisation
    system_owner: User | None = None
    system_owner_name: str = ""
    system_owner_email: str = ""


def may_edit_register(user: User) -> bool:
    """Administrators, and service managers at Helse Nord IKT, keep the register."""
    if not user.is_active:
        return False
    if user.sees_everything:
        return True
    organisation = user.organisation
    return (
        organisation is not None
        and organisation.is_it_provider
        and user.has_role(Role.SERVICE_MANAGER)
    )


def sees_whole_register(user: User) -> bool:
    """Editors and everyone at the regional health authority (Helse Nord RHF) see every row."""
    if may_edit_register(user):
        return True
    organisation = user.organisation
    return organisation is not None and organisation.kind == Organisation.Kind.REGIONAL_AUTHORITY


def visible_applications(user: User) -> QuerySet[Application]:
    """The applications ``user`` may see: all, or those their organisation uses."""
    qs = Application.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if sees_whole_register(user):
        return qs
    if not user.organisation_id:
        return qs.none()
    uses = ApplicationUse.objects.filter(
        application=OuterRef("pk"), organisation_id=user.organisation_id
    )
    return qs.filter(Exists(uses))


def access_application(user: User, pk: int) -> Application:
    """The application ``pk`` if ``user`` may see it; otherwise ``Http404``."""
    try:
        return visible_applications(user).select_related("supplier").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("No such application") from None


def access_editable_application(user: User, pk: int) -> Application:
    """The application ``pk`` if ``user`` may change it; 404 for everyone else, so a reader
    learns nothing from the edit address."""
    if not may_edit_register(user):
        raise Http404("No such application")
    return access_application(user, pk)


def do_create_application(actor: User, uses: list[Use], **fields) -> Application:
    """Create an application with its using trusts; the history records ``actor``."""
    with transaction.atomic():
        application = Application(**_only_fields(fields))
        application._history_user = actor
        application.save()
        _set_uses(actor, application, uses)
    return application


def do_update_application(
    actor: User, application: Application, uses: list[Use] | None = None, **fields
) -> list[str]:
    """Change the application's fields (and its uses, when given); returns what changed.

    Nothing changed writes nothing, so the history holds real changes only.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        changed = [
            name for name, value in _only_fields(fields).items() if getattr(locked, name) != value
        ]
        for name in changed:
            setattr(locked, name, fields[name])
        if changed:
            locked._history_user = actor
            locked.save()
        if uses is not None and _set_uses(actor, locked, uses):
            changed.append("used_by")
    application.refresh_from_db()
    return changed


def _only_fields(fields: dict) -> dict:
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Not application fields: {sorted(unknown)}")
    return fields


def _set_uses(actor: User, application: Application, uses: list[Use]) -> bool:
    """Make the application's uses those in ``uses``, row by row so each change has history
    (a many-to-many ``set()`` would bypass it). Returns whether anything changed."""
    existing = {u.organisation_id: u for u in application.uses.all()}
    wanted = {u.organisation.pk: u for u in uses}
    changed = False
    for organisation_id, row in existing.items():
        if organisation_id not in wanted:
            row._history_user = actor
            row.delete()
            changed = True
    for organisation_id, use in wanted.items():
        row = existing.get(organisation_id) or ApplicationUse(
            application=application, organisation_id=organisation_id
        )
        values = {
            "system_owner_id": use.system_owner.pk if use.system_owner else None,
            "system_owner_name": use.system_owner_name,
            "system_owner_email": use.system_owner_email,
        }
        if row.pk and all(getattr(row, k) == v for k, v in values.items()):
            continue
        for key, value in values.items():
            setattr(row, key, value)
        row._history_user = actor
        row.save()
        changed = True
    return changed
