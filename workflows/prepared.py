"""Prepared statements for the workflow's look-ups by key, on PostgreSQL."""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection

# psycopg's default: a statement is prepared on its fifth run on a connection.
PREPARE_AFTER = 5


@contextmanager
def prepared_statements():
    """Inside the block, PostgreSQL statements run often enough are prepared: planned once per
    connection, not on every run (planning was about half of a completion's database time).
    A step (``workflows.task_lock``) and the task page's look-up (``inbox.access_task``) find
    rows by key, so a plan made once serves every run; the list pages run unprepared, since
    their best plan depends on the values (a generic plan of the queue took 26 ms at 1M tasks
    where a fresh one took 1; docs/performance.md). A prepared statement keeps one generic plan
    (``plan_cache_mode``, set for the connection in settings): PostgreSQL's default planned the
    lock query afresh on every run, 0.3 ms each, since its guess of a generic plan's cost was
    higher. Only statements by key are prepared, and their generic plans are the custom ones.
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
