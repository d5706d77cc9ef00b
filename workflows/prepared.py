"""Prepared statements for the workflow's look-ups by key, on PostgreSQL."""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL

# psycopg's default: a statement is prepared on its fifth run on a connection.
PREPARE_AFTER = 5


@contextmanager
def prepared_statements():
    """Inside the block, PostgreSQL statements run often enough are prepared: planned once per
    connection, not on every run (planning was about half of a completion's database time).
    A step (``workflows.task_lock``) and the task page's look-up (``inbox.access_task``) find
    rows by key, so a plan made once serves every run; the list pages run unprepared, since
    their best plan depends on the values (a generic plan of the queue took 26 ms at 1M tasks
    where a fresh one took 1; docs/performance.md).
    ``settings.PREPARED_STATEMENTS`` (``DATABASE_PREPARED_STATEMENTS``) turns it off."""
    if connection.vendor != "postgresql" or not settings.PREPARED_STATEMENTS:
        yield
        return
    connection.ensure_connection()
    psycopg_connection = connection.connection
    before = psycopg_connection.prepare_threshold
    psycopg_connection.prepare_threshold = PREPARE_AFTER
    try:
        yield
    finally:
        psycopg_connection.prepare_threshold = before


# A column of a step's first statement (``workflows.task_lock``) that lets the rest of its
# transaction's prepared statements use their generic plan at once (``SET LOCAL
# plan_cache_mode``), without a statement of its own. PostgreSQL plans each of a prepared
# statement's first five runs afresh before it compares them with the generic plan, and a
# connection lives a minute (``CONN_MAX_AGE``), so a step's statements were planned on many of
# their runs (0.1-0.3 ms each here). Every statement of a step is by key, and its generic plan
# is the fresh one (the lock query's, ``EXPLAIN`` at 1M tasks, docs/performance.md). Only for
# the transaction: the setting governs unnamed statements too, such as the list pages', whose
# plans must see the values (set for the whole connection, it made the overdue lists 5-12x
# slower at 1M tasks).
GENERIC_PLANS_FOR_THE_TRANSACTION = RawSQL(
    "set_config('plan_cache_mode', 'force_generic_plan', true)", [], output_field=TextField()
)
