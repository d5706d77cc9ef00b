"""Use cases on supplier organisations: who may keep them, the scoped lookup, create and update.

A supplier has no users; its contact persons (``SupplierContact``) receive the emailed signing
link when one of them may sign. Service managers of any organisation and administrators keep
suppliers; for everyone else the pages do not exist (404).
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Organisation, SupplierContact, User
from ..orgnumbers import normalise_org_number, validate_org_number
from ..roles import Role

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContactData:
    name: str
    email: str
    may_sign: bool = False


def may_manage_suppliers(user: User) -> bool:
    """Service managers and administrators add and change suppliers and their contacts."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.sees_everything or user.has_role(Role.SERVICE_MANAGER))
    )


def manageable_suppliers(user: User) -> QuerySet[Organisation]:
    """The supplier organisations ``user`` may keep: all of them, or none."""
    if not may_manage_suppliers(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER)


def access_supplier(user: User, pk: int) -> Organisation:
    """The supplier ``pk`` if ``user`` may keep it; ``Http404`` otherwise (also for a trust)."""
    try:
        return manageable_suppliers(user).get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404("No such supplier") from None


@transaction.atomic
def do_create_supplier(
    actor: User, *, name: str, org_number: str, contacts: list[ContactData]
) -> Organisation:
    """Add a supplier with its contact persons. ``ValidationError`` (nothing stored) for an
    invalid or already registered organisation number, a name in use or a contact twice."""
    if not may_manage_suppliers(actor):
        raise PermissionDenied(
            _("Bare tjenesteansvarlige og administratorer kan legge til leverandører.")
        )
    supplier = Organisation(kind=Organisation.Kind.SUPPLIER, code=_free_code(name))
    _set_fields(supplier, name, org_number, actor)
    _replace_contacts(supplier, contacts, actor)
    logger.info("supplier %s added by %s", supplier.code, actor)
    return supplier


@transaction.atomic
def do_update_supplier(
    actor: User, supplier: Organisation, *, name: str, org_number: str, contacts: list[ContactData]
) -> Organisation:
    """Change a supplier's name and organisation number and replace its contact persons."""
    supplier = access_supplier(actor, supplier.pk)
    supplier = Organisation.objects.select_for_update().get(pk=supplier.pk)
    _set_fields(supplier, name, org_number, actor)
    _replace_contacts(supplier, contacts, actor)
    logger.info("supplier %s changed by %s", supplier.code, actor)
    return supplier


def _set_fields(supplier: Organisation, name: str, org_number: str, actor: User) -> None:
    before = (supplier.name, supplier.org_number)
    supplier.name = name.strip()
    supplier.org_number = normalise_org_number(org_number)
    try:
        validate_org_number(supplier.org_number)  # required here, unlike on a trust
    except ValidationError as exc:
        raise ValidationError({"org_number": exc.messages}) from None
    taken = Organisation.objects.filter(org_number=supplier.org_number).exclude(pk=supplier.pk)
    if taken.exists():
        raise ValidationError(
            {
                "org_number": _("Organisasjonsnummeret er allerede registrert på %(name)s.")
                % {"name": taken.first().name}
            }
        )
    supplier.full_clean()
    if supplier.pk is None or (supplier.name, supplier.org_number) != before:
        supplier._history_user = actor  # the history keeps real changes only, with their author
        supplier.save()


def _replace_contacts(supplier: Organisation, contacts: list[ContactData], actor: User) -> None:
    """Make the supplier's contacts those in ``contacts``, matched by email address, row by row
    so that each addition, change and removal is in the history with ``actor``."""
    emails = [c.email.strip().lower() for c in contacts]
    if len(emails) != len(set(emails)):
        raise ValidationError(_("Hver e-postadresse kan bare stå på én kontaktperson."))
    # Signing requests copy the name and address they were sent to, so nothing points here.
    current = {row.email: row for row in supplier.contacts.all()}
    for email in current.keys() - set(emails):
        current[email]._history_user = actor
        current[email].delete()
    for contact, email in zip(contacts, emails, strict=True):
        row = current.get(email) or SupplierContact(organisation=supplier, email=email)
        wanted = (contact.name.strip(), contact.may_sign)
        if row.pk is None or (row.name, row.may_sign) != wanted:
            row.name, row.may_sign = wanted
            row._history_user = actor
            row.save()


def _free_code(name: str) -> str:
    """A unique code from the name ("Acme Helse AS" -> "acme-helse-as", then "-2", ...)."""
    base = (slugify(name)[:16] or "leverandor").strip("-")
    code, number = base, 1
    while Organisation.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code
