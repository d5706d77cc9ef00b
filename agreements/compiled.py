"""A query of fixed shape compiled to SQL once per process, for the hot look-ups by key.

Django compiles a queryset to SQL each time it runs. For a step's lock query (seven joins and a
subquery) compiling took about 0.7 of its 1.0 ms and running it 0.16 ms (docs/performance.md).
``ByKey`` compiles the queryset once, with a stand-in for the key, then runs that SQL with the
real key and builds the rows into model instances the way a queryset does: Django's own row
populators fill the ``select_related`` objects, annotations become attributes, and each column's
converters, found once, turn database values into Python ones.

``UpdateByKey`` does the same for an ``update()`` of a queryset by key.

Only for querysets whose SQL does not depend on anything but the key (no dates of today, no
user): the shape is fixed when first run.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, QuerySet, Value
from django.db.models.query import get_related_populators
from django.db.models.sql import UpdateQuery

# Never a primary key nor a text a user writes: the place of these values among the compiled
# parameters is the keys'.
_STAND_INS = {int: (-(2**62), -(2**62) + 1), str: ("\x1fcompiled-key-0", "\x1fcompiled-key-1")}


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    key_at: tuple[int, ...]
    compiler: object
    model: type[Model]
    columns: slice
    init_list: list
    populators: list
    annotations: dict
    converters: dict


class ByKey:
    """``ByKey(lambda key: queryset)``; ``.first(key)`` runs the queryset for ``key`` and gives
    its first row as a model instance, or None; ``.all(key)`` gives every row. Compiled once per
    process and thread. ``keys`` gives the type of each key the queryset and ``first`` take
    (``(int, int)`` for a row's id and a user's, say; ``str`` for a text compared as it is,
    never through ``LIKE``, which would rewrite it). A value instead of a type is the stand-in
    itself: Django finds nothing for an integer outside its column's range without asking the
    database, so a key of a small-integer column needs a stand-in that fits it."""

    def __init__(self, queryset_for: Callable[..., QuerySet], *, keys: tuple[type, ...] = (int,)):
        self._queryset_for = queryset_for
        self._stand_ins = tuple(
            _STAND_INS[kind][keys[:at].count(kind)] if isinstance(kind, type) else kind
            for at, kind in enumerate(keys)
        )
        # Per thread: a compiler keeps the connection (of its thread) it was made with.
        self._local = threading.local()

    def _compile(self) -> _Compiled:
        queryset = self._queryset_for(*self._stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        key_at = []
        for stand_in in self._stand_ins:
            at = [i for i, value in enumerate(params) if value == stand_in]
            if len(at) != 1:
                raise ValueError("ByKey needs a queryset with each key as exactly one parameter")
            key_at.append(at[0])
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            key_at=tuple(key_at),
            compiler=compiler,
            model=klass_info["model"],
            columns=slice(start, end),
            init_list=[column[0].target.attname for column in select[start:end]],
            populators=get_related_populators(klass_info, select, queryset.db),
            annotations=dict(compiler.annotation_col_map or {}),
            # What results_iter() would look up for every run.
            converters=compiler.get_converters([c[0] for c in select[: compiler.col_count]]),
        )

    def first(self, *keys):
        rows = self._run(keys, many=False)
        return rows[0] if rows else None

    def all(self, *keys) -> list:
        return self._run(keys, many=True)

    def _run(self, keys, many: bool) -> list:
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = self._local.compiled = self._compile()
        params = list(compiled.params)
        for at, key in zip(compiled.key_at, keys, strict=True):
            params[at] = key
        db = compiled.compiler.using
        with connections[db].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall() if many else cursor.fetchmany(1)
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        instances = []
        for row in rows:
            instance = compiled.model.from_db(db, compiled.init_list, row[compiled.columns])
            for populator in compiled.populators:
                populator.populate(row, instance)
            for name, position in compiled.annotations.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances


class UpdateByKey:
    """``UpdateByKey(lambda key: queryset, ("owner", "status"))``: ``.statement(key, owner=...,
    status=...)`` gives the (sql, params) of ``queryset.update(owner=..., status=...)``, its SQL
    compiled once per process and thread with stand-ins for the one integer key and the values.
    Each value is made ready for the database as ``update`` makes it (a row becomes its id)."""

    def __init__(self, queryset_for: Callable[..., QuerySet], fields: tuple[str, ...]):
        self._queryset_for = queryset_for
        self._fields = fields
        self._local = threading.local()

    def _compile(self) -> tuple:
        key = _STAND_INS[int][0]
        values = {name: Value(-(2**61) - at) for at, name in enumerate(self._fields)}
        queryset = self._queryset_for(key)
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(values)
        if query.related_updates:
            raise ValueError("UpdateByKey writes one table")
        sql, params = query.get_compiler(queryset.db).as_sql()
        positions = []
        for stand_in in (key, *(value.value for value in values.values())):
            found = [i for i, param in enumerate(params) if param == stand_in]
            if len(found) != 1:
                raise ValueError("UpdateByKey needs its key and each value as one parameter")
            positions.append(found[0])
        fields = [queryset.model._meta.get_field(name) for name in self._fields]
        return sql, tuple(params), positions, fields, queryset.db, queryset.model._meta.db_table

    def _compiled(self) -> tuple:
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = self._local.compiled = self._compile()
        return compiled

    @property
    def table(self) -> str:
        return self._compiled()[5]

    def statement(self, key, **values) -> tuple[str, list]:
        sql, template, positions, fields, db, _table = self._compiled()
        params = list(template)
        params[positions[0]] = key
        for at, field in zip(positions[1:], fields, strict=True):
            value = values[field.name]
            if hasattr(value, "prepare_database_save"):
                value = value.prepare_database_save(field)
            params[at] = field.get_db_prep_save(value, connections[db])
        return sql, params
