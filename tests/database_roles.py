"""The tests use two database roles, as production does: the owner migrates, the app role runs.

``DATABASE_URL`` names the app role: this process, the web app and the live workers connect as
it. ``DATABASE_OWNER_URL`` (read by the tests only) names the role that owns the schema: it
creates, migrates, empties between transactional tests and drops the test database. Without it
the ``DATABASE_URL`` role does all of that itself, as when the suite runs as a superuser.
"""

import time
from contextlib import contextmanager

import environ
import psycopg
from django.db import connection

AUDIT_TABLE = "agreements_auditevent"
FLUSH_ATTEMPTS = 5

_app_credentials: dict = {}


def _credentials_of(settings_dict) -> dict:
    return {"USER": settings_dict.get("USER", ""), "PASSWORD": settings_dict.get("PASSWORD", "")}


def owner_credentials() -> dict:
    """The owner's user and password, or the app's when no separate owner is configured."""
    url = environ.Env().str("DATABASE_OWNER_URL", default="")
    if not url:
        return app_credentials()
    return _credentials_of(environ.Env.db_url_config(url))


def app_credentials() -> dict:
    return _app_credentials or _credentials_of(connection.settings_dict)


def _connect_as(credentials: dict):
    connection.close()
    if not _app_credentials:
        _app_credentials.update(_credentials_of(connection.settings_dict))
    connection.settings_dict.update(credentials)


def act_as_owner():
    """From now on Django's connection logs in as the owner."""
    _connect_as(owner_credentials())


def act_as_app():
    """From now on Django's connection logs in as the app role."""
    _connect_as(app_credentials())


@contextmanager
def owner_cursor():
    """A cursor of the owner's own connection to the current database, in one transaction."""
    db = connection.settings_dict
    credentials = owner_credentials()
    with (
        psycopg.connect(
            host=db["HOST"] or "localhost",
            port=db["PORT"] or 5432,
            dbname=db["NAME"],
            user=credentials["USER"],
            password=credentials["PASSWORD"] or None,
        ) as conn,
        conn.cursor() as cursor,
    ):
        yield cursor


def flush_as_owner(operations, sql_list):
    """Empty the tables between transactional tests, as Django's flush does, but as the owner.

    Django empties tables with TRUNCATE, which the app role may not do to the audit trail and
    which its guard refuses to anyone. The owner lifts the guard for this one transaction: other
    sessions never see the table unguarded, because ALTER TABLE holds its lock until commit.

    A live worker still reading between tests can deadlock with these locks (PostgreSQL then
    aborts one side): the flush is all-or-nothing, so it is simply tried again.
    """
    for attempt in range(FLUSH_ATTEMPTS):
        try:
            with owner_cursor() as cursor:
                cursor.execute(f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER USER")
                for sql in sql_list:
                    cursor.execute(sql)
                cursor.execute(f"ALTER TABLE {AUDIT_TABLE} ENABLE TRIGGER USER")
            return
        except psycopg.errors.DeadlockDetected:
            if attempt == FLUSH_ATTEMPTS - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
