"""Writing one model row with SQL made once per process, on a workflow step's hot path.

``Model.save()`` builds and compiles its INSERT or UPDATE each time: about 0.27 ms of Python per
row here, where the statement itself takes 0.17 ms (docs/performance.md), and a completion
writes several rows (its task rows, a decision or signature, the agreement's status).
``save_row(instance)`` writes the same columns with the same values (each field's ``pre_save`` and
``get_db_prep_save``, as Django does) through SQL built once per model and set of columns.

Only where a model's own ``save()`` adds nothing to the write at hand (``Agreement.save`` sets
a new agreement's default manager; its status updates name their fields) and nothing listens
to its ``pre_save``/``post_save`` (nothing in the project or in viewflow does, for the models
it is used for): those are what ``Model.save`` adds and this does not. Errors are Django's
(``IntegrityError``).
"""

import functools

from django.db import connection
from django.db.models import Model

from . import step_writes


def save_row(instance: Model, update_fields: tuple[str, ...] | list[str] | None = None) -> None:
    """``instance.save(update_fields=...)``: an INSERT for a new row (its id set from the
    database), otherwise an UPDATE of ``update_fields`` (every column when None); a row that is
    gone is left to Django's save (which inserts it again, or raises when fields were named)."""
    adding = instance._state.adding or instance.pk is None
    statements, values = _prepared(instance, adding, update_fields)
    if not adding:
        _update(instance, update_fields, statements, values)
        return
    with connection.cursor() as cursor:
        cursor.execute(statements.insert, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias


def save_locked_row(instance: Model, update_fields: tuple[str, ...] | list[str]) -> None:
    """``save_row(instance, update_fields)`` of an existing row the caller holds locked: in a
    workflow step the UPDATE waits for the step's one statement at its end (``step_writes``),
    which saves a round trip; elsewhere it is written at once. What the row's triggers write
    (the overview's counts, the register's stale marks) is written with it: nothing in a step
    reads those."""
    statements, values = _prepared(instance, False, update_fields)
    table = type(instance)._meta.db_table
    if not step_writes.keep_row_update(
        statements.update, [*values, instance.pk], table, instance.pk
    ):
        _update(instance, update_fields, statements, values)


def _prepared(instance: Model, adding: bool, update_fields) -> tuple["_Statements", list]:
    """The statements for ``instance``'s columns and their values, each field's ``pre_save`` and
    ``get_db_prep_save`` as Django's ``save`` does them."""
    statements = _statements(type(instance), None if adding else _names(update_fields))
    values = [
        field.get_db_prep_save(field.pre_save(instance, adding), connection)
        for field in statements.fields
    ]
    return statements, values


def _update(instance: Model, update_fields, statements: "_Statements", values: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statements.update, [*values, instance.pk])
        if cursor.rowcount == 1:
            return
    instance.save(update_fields=update_fields)


def create_row(model: type[Model], **fields) -> Model:
    """``model.objects.create(**fields)``, written by ``save_row``."""
    instance = model(**fields)
    save_row(instance)
    return instance


def _names(update_fields) -> tuple[str, ...] | None:
    return None if update_fields is None else tuple(dict.fromkeys(update_fields))


class _Statements:
    def __init__(self, model: type[Model], names: tuple[str, ...] | None):
        quote = connection.ops.quote_name
        pk = model._meta.pk
        if names is None:
            self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        else:
            self.fields = [model._meta.get_field(name) for name in names]
        table, columns = quote(model._meta.db_table), [quote(f.column) for f in self.fields]
        # Only names from the model's metadata go into the text; every value is a parameter.
        self.insert = (
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))}) RETURNING {quote(pk.column)}"
        )
        self.update = (
            f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} "  # noqa: S608
            f"WHERE {quote(pk.column)} = %s"
        )


@functools.cache
def _statements(model: type[Model], names: tuple[str, ...] | None) -> _Statements:
    return _Statements(model, names)
