"""A workflow step's write-only rows, sent to PostgreSQL in one statement when the step ends.

A claim or a completion writes rows that nothing later in it needs back: audit events, the
deadlines of new tasks, the closing of the finished task's deadline, the links between task rows,
the rows of flow nodes that finish as soon as they start, the agreement's new status. One
statement each cost a round trip and Django's work to build it (issue 13). Inside
``deferred()`` they are kept in memory and written together, just before the step's transaction
commits, in one statement of data-modifying ``WITH`` clauses; on an error they go with the rest
of the rolled-back step.

Reading your own writes still holds: before any statement that names a table with kept rows or
statements, the kept ones are written first (``_Batch.guard``). The one exception is by the
caller's word: a row kept with ``looked_for=False`` (a finished flow node: every query a step
makes about tasks looks for unfinished ones).

Kept rows get their ids from their table's sequence in the same statement; after it, each kept
instance has its ``pk``. A kept row may point at another kept row (a link to a finished node).
A kept statement runs on the snapshot before the kept rows are inserted, so it must not be meant
to change them (closing the deadline of the task just finished, an existing row, is fine).

Savepoints keep their meaning: what was kept is written before a savepoint the step opens (a
use case on another agreement than the one it holds), and inside it nothing is kept, so rolling
it back takes back exactly what was written in it.

Outside ``deferred()``, or on a database other than PostgreSQL, everything is written at once.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.sql import UpdateQuery

from .compiled import UpdateByKey

_batch: ContextVar["_Batch | None"] = ContextVar("step_writes", default=None)


class _Batch:
    def __init__(self):
        # Rows are kept only at the step's own level: one written inside a savepoint the step
        # opens is written at once, so rolling back that savepoint takes it back.
        self.savepoints = _savepoints()
        self.rows: dict[type[Model], list[Model]] = {}
        self.ignore_conflicts: set[type[Model]] = set()
        self.statements: list[tuple[str, list]] = []
        self.guarded: set[str] = set()
        # (table, pk) of the rows a kept UPDATE writes: one statement updates a row only once.
        self.updated_rows: set[tuple[str, object]] = set()
        self.flushing = False

    def guard(self, execute, sql, params, many, context):
        if not self.flushing and (
            (self.guarded and any(t in sql for t in self.guarded))
            # What was kept is written before a savepoint, so rolling it back cannot take it.
            or (sql.startswith("SAVEPOINT") and (self.rows or self.statements))
        ):
            self.flush()
        return execute(sql, params, many, context)

    def keep_statement(self, sql: str, params: list, table: str) -> None:
        self.statements.append((sql, params))
        self.guarded.add(table)

    def flush(self) -> None:
        if not (self.rows or self.statements):
            return
        self.flushing = True
        try:
            if not self.rows and len(self.statements) == 1:
                sql, params = self.statements[0]
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
            else:
                self._write_all()
        finally:
            self.flushing = False
        self.rows, self.statements = {}, []
        self.ignore_conflicts, self.guarded, self.updated_rows = set(), set(), set()

    def _write_all(self) -> None:
        # Only names from the models' metadata and integer positions are put in the SQL text;
        # every value is a parameter.
        models = list(self.rows)
        slots = {
            id(instance): (k, n)
            for k, model in enumerate(models)
            for n, instance in enumerate(self.rows[model], start=1)
        }
        clauses, params = [], []
        for k, model in enumerate(models):
            table, pk = model._meta.db_table, model._meta.pk.column
            # MATERIALIZED: nextval runs once per row, and every reference sees the same ids.
            clauses.append(
                f"ids{k} AS MATERIALIZED (SELECT n, nextval(pg_get_serial_sequence('{table}', "  # noqa: S608
                f"'{pk}')) AS id FROM generate_series(1, {len(self.rows[model])}) AS n)"
            )
        for k, model in enumerate(models):
            clauses.append(self._insert_clause(k, model, slots, params))
        for s, (sql, statement_params) in enumerate(self.statements):
            clauses.append(f"w{s} AS ({sql})")
            params.extend(statement_params)
        ids = " UNION ALL ".join(f"SELECT {k}, n, id FROM ids{k}" for k in range(len(models)))  # noqa: S608
        with connection.cursor() as cursor:
            # The primary query only reports the ids; every WITH clause runs regardless.
            cursor.execute(f"WITH {', '.join(clauses)} {ids or 'SELECT 1'}", params)
            found = cursor.fetchall() if ids else []
        for k, n, pk in found:
            instance = self.rows[models[k]][n - 1]
            instance.pk = pk
            instance._state.adding = False

    def _insert_clause(self, k: int, model: type[Model], slots: dict, params: list) -> str:
        fields, columns, table = _layout(model)
        values = []
        for n, instance in enumerate(self.rows[model], start=1):
            row = [_kept_id(k, n)]
            for field in fields:
                target = _kept_target(field, instance, slots)
                if target is None:
                    row.append("%s")
                    params.append(_db_value(field, instance))
                else:
                    row.append(_kept_id(*target))
            values.append(f"({', '.join(row)})")
        conflict = " ON CONFLICT DO NOTHING" if model in self.ignore_conflicts else ""
        values = ", ".join(values)
        return f"rows{k} AS (INSERT INTO {table} ({columns}) VALUES {values}{conflict})"  # noqa: S608


@functools.cache
def _layout(model: type[Model]) -> tuple[list, str, str]:
    """(the fields written besides the id, the quoted column list, the quoted table)."""
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in [model._meta.pk, *fields])
    return fields, columns, quote(model._meta.db_table)


def _savepoints() -> tuple:
    # Django notes an atomic block without a savepoint of its own as None.
    return tuple(sid for sid in connection.savepoint_ids if sid is not None)


def _kept_id(k: int, n: int) -> str:
    """The id of the ``n``th kept row of the ``k``th model, in the flush's statement."""
    return f"(SELECT id FROM ids{k} WHERE n = {n})"  # noqa: S608


def _kept_target(field, instance, slots):
    """The (ids alias, position) of the kept row ``field`` of ``instance`` points at, if any."""
    if not field.is_relation or not field.is_cached(instance):
        return None
    target = field.get_cached_value(instance)
    if target is None or target.pk is not None:
        return None
    return slots.get(id(target))


def _db_value(field, instance):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = getattr(instance, field.attname)  # stamped when it was kept
    elif field.is_relation and field.is_cached(instance):
        target = field.get_cached_value(instance)
        value = None if target is None else getattr(target, field.target_field.attname)
    else:
        value = field.pre_save(instance, True)
    return field.get_db_prep_save(value, connection)


@contextmanager
def deferred():
    """Keep the block's ``keep`` rows and ``update`` statements and write them together at its end."""
    if connection.vendor != "postgresql" or _batch.get() is not None:
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        with connection.execute_wrapper(batch.guard):
            yield
            batch.flush()
    finally:
        _batch.reset(token)


def keep(instance: Model, *, looked_for: bool = True, ignore_conflicts: bool = False) -> bool:
    """Keep the new row ``instance`` for the end of ``deferred()``, where it gets its ``pk``.
    False outside ``deferred()``: the caller then saves it as usual. ``looked_for=False``: no
    query of the step looks for this row (its table's statements then do not write it first)."""
    batch = _current_batch()
    if batch is None:
        return False
    for field in instance._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            field.pre_save(instance, True)  # the moment it happened, not the moment it is written
    model = type(instance)
    batch.rows.setdefault(model, []).append(instance)
    if ignore_conflicts:
        batch.ignore_conflicts.add(model)
    if looked_for:
        batch.guarded.add(model._meta.db_table)
    return True


def update(queryset: QuerySet, **values) -> None:
    """``queryset.update(**values)``; kept for the end of ``deferred()`` when inside it (see the
    module's note on what such a statement may change)."""
    batch = _current_batch()
    if batch is None:
        queryset.update(**values)
        return
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    if query.related_updates:
        raise ValueError("step_writes.update writes one table")
    sql, params = query.get_compiler(queryset.db).as_sql()
    batch.keep_statement(sql, list(params), queryset.model._meta.db_table)


def update_by_key(update: UpdateByKey, key, **values) -> None:
    """``update`` (an ``UpdateByKey``) for ``key`` and ``values``, as ``update`` does it: kept
    for the end of ``deferred()`` when inside it, else at once; its SQL made once."""
    sql, params = update.statement(key, **values)
    batch = _current_batch()
    if batch is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    batch.keep_statement(sql, params, update.table)


def keep_row_update(sql: str, params: list, table: str, pk) -> bool:
    """Keep ``sql``, an UPDATE of the one existing row ``pk`` of ``table``, for the end of
    ``deferred()``; False outside it (the caller then writes it at once). A second UPDATE of the
    same row writes what is kept first: within one statement PostgreSQL updates a row once."""
    batch = _current_batch()
    if batch is None:
        return False
    if (table, pk) in batch.updated_rows:
        batch.flush()
    batch.keep_statement(sql, params, table)
    batch.updated_rows.add((table, pk))
    return True


def _current_batch() -> "_Batch | None":
    """The step's batch, when rows may be kept here: inside ``deferred()`` and at the step's own
    level (no savepoint opened since)."""
    batch = _batch.get()
    if batch is None or _savepoints() != batch.savepoints:
        return None
    return batch


def flush() -> None:
    """Write what is kept now (nothing when nothing is, or outside ``deferred()``)."""
    batch = _batch.get()
    if batch is not None:
        batch.flush()
