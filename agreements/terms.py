"""The structured terms of each agreement kind and the use case that changes them.

An agreement has one terms row of its kind's ``terms_model`` and child rows for the lists that
fill the document's tables (its ``row_models``; see ``agreements.kinds``). The drafter edits
them on the "Vilkår" page while the agreement is being drafted.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import checklist, permissions
from .kinds import kind_spec
from .models import Agreement, AuditEvent, OperatingAppendix, User
from .models.terms import TermsRow

_NOT_DATA = {"id", "agreement", "position"}


def term_field_names(model: type[models.Model]) -> list[str]:
    """The editable columns of a terms or row model, in declaration order."""
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete and not f.auto_created and f.name not in _NOT_DATA
    ]


def terms_of(agreement: Agreement) -> models.Model:
    """The agreement's terms row, or an unsaved empty one when nothing is entered yet."""
    model = kind_spec(agreement.kind).terms_model
    return model.objects.filter(agreement=agreement).first() or model(agreement=agreement)


def rows_of(agreement: Agreement) -> dict[str, list[models.Model]]:
    """The agreement's list rows by related name, in the kind's order."""
    return {
        name: list(getattr(agreement, name).all()) for name in kind_spec(agreement.kind).row_models
    }


@transaction.atomic
def do_update_terms(
    actor: User, agreement: Agreement, fields: dict, rows: dict[str, list[dict]]
) -> Agreement:
    """Replace the agreement's terms with ``fields`` and its list rows with ``rows``.

    ``rows`` maps a related name of the kind's ``row_models`` to the complete new list; a list that
    is not given is left as it is. Only the drafter, only while the agreement is being drafted.
    A mandatory Art. 28(3) item of a data processor agreement marked "ikke aktuelt" is refused
    (``checklist.check_not_applicable``).
    """
    agreement = Agreement.objects.locked(agreement.pk)
    permissions.check_may_edit_draft(
        actor,
        agreement,
        _("Vilkårene kan bare endres mens avtalen er under utarbeiding."),
        _("Bare avtaleeieren kan endre vilkårene."),
    )
    spec = kind_spec(agreement.kind)
    model = spec.terms_model
    allowed = set(term_field_names(model))
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Not a term of {agreement.kind}: {sorted(unknown)}")
    if agreement.is_data_processor_agreement:
        checklist.check_not_applicable(fields)
    terms = terms_of(agreement)
    for name, value in fields.items():
        setattr(terms, name, value)
    terms.full_clean(exclude=["agreement"])
    terms.save()
    for related_name, items in rows.items():
        row_model = spec.row_models[related_name]
        getattr(agreement, related_name).all().delete()
        ordered = issubclass(row_model, TermsRow)
        new_rows = [
            row_model(agreement=agreement, **({"position": position} if ordered else {}), **item)
            for position, item in enumerate(items)
        ]
        for row in new_rows:
            row.full_clean(exclude=["agreement"], validate_constraints=False)
        _check_unique_appendices(row_model, items)
        row_model.objects.bulk_create(new_rows)
    AuditEvent.objects.create(
        agreement=agreement,
        actor=actor,
        action=AuditEvent.Action.TERMS_UPDATED,
        message=str(model._meta.verbose_name),
    )
    return agreement


def _check_unique_appendices(row_model, items) -> None:
    if row_model is not OperatingAppendix:
        return
    numbers = [item["number"] for item in items]
    if len(numbers) != len(set(numbers)):
        raise ValidationError(_("Hvert bilag kan bare føres opp én gang."))
