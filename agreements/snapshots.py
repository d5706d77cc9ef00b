"""An agreement's terms as plain text, to show them read-only and to see what changed.

A snapshot is a JSON-ready dict taken when a draft is sent to review (``ReviewRound.terms``):

* ``fields``: ``{"agreement.title": "…", "terms.nature": "…"}``, only the filled-in ones, each
  value as a reader sees it (choices by their label, yes/no, dd.mm.yyyy, "Ikke aktuelt");
* ``lists``: ``{"security_measures": [{"area": "…", "measure": "…"}, …]}``, one entry per list
  of the kind, empty lists included.

Keys name model fields, so labels are looked up when shown and follow the user's language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from .kinds import kind_spec
from .models import Agreement
from .terms import rows_of, term_field_names, terms_of

# The agreement's own fields a reviewer reads, in the order shown.
AGREEMENT_FIELDS = (
    "title",
    "description",
    "parent",
    "start_date",
    "end_date",
    "notice_months",
    "applications",
)
_NA = "_na"


def _text(instance: models.Model, model_field: models.Field) -> str:
    """The value of ``model_field`` on ``instance`` as a reader sees it; "" when empty."""
    value = getattr(instance, model_field.name)
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(getattr(instance, f"get_{model_field.name}_display")())
    if isinstance(value, bool):
        return _("Ja") if value else _("Nei")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return str(value).strip()


def _terms_fields(terms: models.Model) -> dict[str, str]:
    names = term_field_names(type(terms))
    fields = {}
    for name in names:
        if name.endswith(_NA):
            continue
        text = _text(terms, terms._meta.get_field(name))
        if text:
            fields[f"terms.{name}"] = text
    for name in names:
        # An item marked "ikke aktuelt" says so under the item's own name.
        if name.endswith(_NA) and getattr(terms, name):
            fields[f"terms.{name.removesuffix(_NA)}"] = str(_("Ikke aktuelt"))
    return fields


def take_snapshot(agreement: Agreement) -> dict:
    """The agreement's fields, terms and lists as they stand now (see the module docstring)."""
    fields = {}
    for name in AGREEMENT_FIELDS:
        if name == "applications":
            text = ", ".join(sorted(app.name for app in agreement.applications.all()))
        else:
            text = _text(agreement, Agreement._meta.get_field(name))
        if text:
            fields[f"agreement.{name}"] = text
    fields.update(_terms_fields(terms_of(agreement)))
    lists = {}
    for related_name, rows in rows_of(agreement).items():
        row_model = kind_spec(agreement.kind).row_models[related_name]
        columns = [row_model._meta.get_field(n) for n in term_field_names(row_model)]
        lists[related_name] = [
            {column.name: _text(row, column) for column in columns if _text(row, column)}
            for row in rows
        ]
    return {"fields": fields, "lists": lists}


def _model_for(agreement: Agreement, key: str):
    scope, _dot, name = key.partition(".")
    return Agreement if scope == "agreement" else kind_spec(agreement.kind).terms_model, name


def field_label(agreement: Agreement, key: str) -> str:
    """The label of a snapshot field key, capitalised; lists without a field use their name."""
    model, name = _model_for(agreement, key)
    rows = kind_spec(agreement.kind).row_models
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        # "security_measures", "sub_processors", "locations": an item that is a whole list.
        row_model = rows.get(name) or rows.get(f"processing_{name}")
        label = str(row_model._meta.verbose_name_plural) if row_model else name
    return label[:1].upper() + label[1:]


def _field_order(agreement: Agreement) -> list[str]:
    terms_model = kind_spec(agreement.kind).terms_model
    return [f"agreement.{n}" for n in AGREEMENT_FIELDS] + [
        f"terms.{n.removesuffix(_NA)}" for n in term_field_names(terms_model)
    ]


def _ordered_keys(agreement: Agreement, keys) -> list[str]:
    order = {key: i for i, key in enumerate(dict.fromkeys(_field_order(agreement)))}
    return sorted(keys, key=lambda key: (order.get(key, len(order)), key))


@dataclass
class TermsList:
    """One list of the terms for display: its title, column labels and rows of cell texts."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _columns(agreement: Agreement, related_name: str) -> list[models.Field]:
    row_model = kind_spec(agreement.kind).row_models[related_name]
    return [row_model._meta.get_field(n) for n in term_field_names(row_model)]


def _row_cells(columns, row: dict) -> list[str]:
    return [row.get(column.name, "") for column in columns]


def readable(agreement: Agreement, snapshot: dict) -> dict:
    """``snapshot`` laid out for a page: ``fields`` as (label, text) in the form's order, and
    ``lists`` as ``TermsList``s; a list without rows has no rows (the page says "Ingen")."""
    fields = snapshot.get("fields", {})
    lists = []
    for related_name, rows in snapshot.get("lists", {}).items():
        if related_name not in kind_spec(agreement.kind).row_models:
            continue
        columns = _columns(agreement, related_name)
        lists.append(
            TermsList(
                name=related_name,
                title=field_label(agreement, f"terms.{related_name}"),
                columns=[str(c.verbose_name).capitalize() for c in columns],
                rows=[_row_cells(columns, row) for row in rows],
            )
        )
    order = list(kind_spec(agreement.kind).row_models)
    lists.sort(key=lambda item: order.index(item.name))
    return {
        "fields": [
            (field_label(agreement, k), fields[k]) for k in _ordered_keys(agreement, fields)
        ],
        "lists": lists,
    }


@dataclass
class Change:
    """One difference between two snapshots. ``kind``: "added", "removed" or "changed"; for a
    list row ``before``/``after`` hold the row's cells joined."""

    kind: str
    label: str
    before: str = ""
    after: str = ""


def changed_keys(old: dict, new: dict) -> set[str]:
    """The field keys and list names (``lists.<name>``) that differ between two snapshots."""
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    keys = {
        k for k in old_fields.keys() | new_fields.keys() if old_fields.get(k) != new_fields.get(k)
    }
    old_lists, new_lists = old.get("lists", {}), new.get("lists", {})
    for name in old_lists.keys() | new_lists.keys():
        if old_lists.get(name, []) != new_lists.get(name, []):
            keys.add(f"lists.{name}")
    return keys


def _row_key(row: dict) -> tuple:
    return tuple(sorted(row.items()))


def differences(agreement: Agreement, old: dict, new: dict) -> list[Change]:
    """What changed from ``old`` to ``new``: fields added, removed or changed, then list rows
    added or removed (a changed row shows as one removed and one added)."""
    changes = []
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    keys = [
        k for k in old_fields.keys() | new_fields.keys() if old_fields.get(k) != new_fields.get(k)
    ]
    for key in _ordered_keys(agreement, keys):
        before, after = old_fields.get(key, ""), new_fields.get(key, "")
        kind = "added" if not before else "removed" if not after else "changed"
        changes.append(Change(kind, field_label(agreement, key), before, after))
    for related_name in kind_spec(agreement.kind).row_models:
        columns = _columns(agreement, related_name)
        title = field_label(agreement, f"terms.{related_name}")
        before_rows = Counter(_row_key(r) for r in old.get("lists", {}).get(related_name, []))
        after_rows = Counter(_row_key(r) for r in new.get("lists", {}).get(related_name, []))
        for kind, rows in (
            ("removed", before_rows - after_rows),
            ("added", after_rows - before_rows),
        ):
            for row in rows.elements():
                text = " · ".join(c for c in _row_cells(columns, dict(row)) if c)
                changes.append(
                    Change(
                        kind,
                        title,
                        before=text if kind == "removed" else "",
                        after=text if kind == "added" else "",
                    )
                )
    return changes
