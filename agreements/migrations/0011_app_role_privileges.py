"""The role the app runs as (``DATABASE_APP_ROLE``) may read and write rows, and nothing more.

Run by the role that owns the schema (the one that migrates). The app role gets SELECT, INSERT,
UPDATE and DELETE on every table there is and (through default privileges) every table the
owner creates later, but only SELECT and INSERT on the audit trail. It owns nothing, so it can
neither alter tables nor disable the trail's triggers. Without the setting this does nothing, as
when one role does everything (development, SQLite).
"""

from django.conf import settings
from django.db import migrations

ROWS = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCES = "USAGE, SELECT"


def app_role(schema_editor):
    role = settings.DATABASE_APP_ROLE
    if schema_editor.connection.vendor != "postgresql" or not role:
        return None
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise RuntimeError(f"DATABASE_APP_ROLE names {role!r}, which is not a database role")
    return schema_editor.quote_name(role)


def grant(apps, schema_editor):
    role = app_role(schema_editor)
    if role is None:
        return
    for sql in [
        f"GRANT {ROWS} ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT {SEQUENCES} ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {ROWS} ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {SEQUENCES} ON SEQUENCES TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON agreements_auditevent FROM {role}",
    ]:
        schema_editor.execute(sql)


def revoke(apps, schema_editor):
    role = app_role(schema_editor)
    if role is None:
        return
    for sql in [
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}",
    ]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0010_audit_truncate_guard")]

    operations = [migrations.RunPython(grant, revoke)]
