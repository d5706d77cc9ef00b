"""Writing a viewflow task row with SQL made once per process, on a step's hot path.

``Model.save()`` builds and compiles its INSERT or UPDATE each time: about 0.27 ms of Python per
row here, where the statement itself takes 0.17 ms (``bench.transitions``; docs/performance.md),
and a completion writes two or three task rows. ``save(task)`` writes the same columns with the
same values (each field's ``pre_save`` and ``get_db_prep_save``, as Django does) through SQL
built once from the model's fields. Nothing in the project or in viewflow listens to a task's
``pre_save``/``post_save``, so there is nothing that ``save`` would send and this does not.
"""

import functools

from django.db import connection
from viewflow.workflow.models import Task


def save(task: Task) -> None:
    """``task.save()``: an INSERT for a new row (its id set from the database), otherwise an
    UPDATE of every column; a row that is gone is left to Django's save (it inserts it again)."""
    adding = task._state.adding or task.pk is None
    statements = _statements(type(task))
    values = [
        field.get_db_prep_save(field.pre_save(task, adding), connection)
        for field in statements.fields
    ]
    with connection.cursor() as cursor:
        if adding:
            cursor.execute(statements.insert, values)
            task.pk = cursor.fetchone()[0]
            task._state.adding = False
            task._state.db = connection.alias
            return
        cursor.execute(statements.update, [*values, task.pk])
        if cursor.rowcount == 1:
            return
    task.save()


class _Statements:
    def __init__(self, model):
        quote = connection.ops.quote_name
        pk = model._meta.pk
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
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
def _statements(model) -> _Statements:
    return _Statements(model)
