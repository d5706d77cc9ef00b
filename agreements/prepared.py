"""Prepared statements on PostgreSQL, for a step's look-ups and the pages that find rows by key."""

import functools
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
    A step (``workflows.task_lock``), the task page's look-up (``inbox.access_task``) and the
    pages of ``prepared_page`` find rows by key and keep one plan per statement; the lists,
    whose best plan depends on the values, run unprepared.
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


def prepared_page(view):
    """``view`` with its statements prepared (``prepared_statements``).

    For the pages that find their rows by key: the agreement page and the task page. Their
    joins of five to nine tables took 1.5-3.8 ms each to plan, longer than to run, and the
    generic plan of each ran as fast as a fresh one at 1M tasks (``EXPLAIN ANALYZE`` of every
    statement, docs/performance.md). Not for the task lists: a generic plan of the queue chosen
    at a thousand tasks took 114-142 ms at a million (a fresh one: under 5).
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        # Both pages render with ``render()``, so their template's queries run in here too.
        with prepared_statements():
            return view(*args, **kwargs)

    return wrapper


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
