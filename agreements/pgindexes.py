"""Migration operations for indexes only PostgreSQL has or needs, built without locking writes.

``CREATE INDEX CONCURRENTLY`` cannot run in a transaction, so a migration using these sets
``atomic = False``. On any other database (the embedded SQLite) the operations do nothing: the
embedded install is small enough not to need them.
"""

from django.db import migrations


def _on_postgresql(statements: list[str]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return apply


def create_index_concurrently(name: str, definition: str) -> migrations.RunPython:
    """``CREATE INDEX CONCURRENTLY IF NOT EXISTS <name> ON <definition>``; dropped on reverse."""
    return migrations.RunPython(
        _on_postgresql([f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}"]),
        _on_postgresql([f"DROP INDEX CONCURRENTLY IF EXISTS {name}"]),
    )


def _trigram_available(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    if cursor.fetchone():
        return True
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    if not cursor.fetchone():
        return False
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    return True


def create_trigram_indexes(indexes: dict[str, str]) -> migrations.RunPython:
    """GIN trigram indexes ``{name: "table USING gin (expression gin_trgm_ops)"}``, created with
    the ``pg_trgm`` extension when the server has it; skipped (search still works, by a scan)
    when it does not."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            if not _trigram_available(cursor):
                return
            for name, definition in indexes.items():
                cursor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")

    return migrations.RunPython(
        apply, _on_postgresql([f"DROP INDEX CONCURRENTLY IF EXISTS {name}" for name in indexes])
    )
