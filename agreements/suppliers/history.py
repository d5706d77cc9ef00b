"""A supplier's history as lines a person reads: who changed its name, organisation number or
contact persons, and when. The signing link goes to the contacts who may sign, so a changed
address must be traceable to the person who changed it."""

from django.utils.translation import gettext as _

from ..models import Organisation, SupplierContact
from ..register.history import HistoryLine

# How many changes the supplier page shows; the admin keeps the rest.
HISTORY_LIMIT = 50


def supplier_history(supplier: Organisation) -> list[HistoryLine]:
    """The latest changes to ``supplier`` and its contact persons, newest first."""
    records = list(supplier.history.select_related("history_user")[: HISTORY_LIMIT + 1])
    lines = [
        HistoryLine(record.history_date, record.history_user, _organisation_text(record, earlier))
        for record, earlier in zip(records[:HISTORY_LIMIT], [*records[1:], None], strict=False)
    ]
    contacts = SupplierContact.history.filter(organisation_id=supplier.pk)
    for record in contacts.select_related("history_user")[:HISTORY_LIMIT]:
        lines.append(HistoryLine(record.history_date, record.history_user, _contact_text(record)))
    lines.sort(key=lambda line: line.at, reverse=True)
    return lines[:HISTORY_LIMIT]


def _organisation_text(record, earlier) -> str:
    if record.history_type == "+":
        return _("Registrert som leverandør")
    changed = record.diff_against(earlier).changed_fields if earlier else []
    labels = [str(Organisation._meta.get_field(name).verbose_name) for name in changed]
    return _("Endret: %(fields)s") % {"fields": ", ".join(labels) or "–"}


def _contact_text(record) -> str:
    person = {"name": record.name, "email": record.email}
    if record.history_type == "-":
        return _("Kontaktperson fjernet: %(name)s <%(email)s>") % person
    if record.may_sign:
        person["sign"] = _("kan signere")
    else:
        person["sign"] = _("kan ikke signere")
    if record.history_type == "+":
        return _("Kontaktperson lagt til: %(name)s <%(email)s>, %(sign)s") % person
    return _("Kontaktperson endret: %(name)s <%(email)s>, %(sign)s") % person
