"""A database-level guard: PostgreSQL refuses any UPDATE or DELETE of an audit event.

The ORM and the admin already refuse; this also stops raw SQL and other clients of the database.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION agreements_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (%% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER agreements_auditevent_append_only
    BEFORE UPDATE OR DELETE ON agreements_auditevent
    FOR EACH ROW EXECUTE FUNCTION agreements_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS agreements_auditevent_append_only ON agreements_auditevent;
DROP FUNCTION IF EXISTS agreements_auditevent_append_only();
"""


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0004_default_reminder_rules")]

    operations = [migrations.RunPython(create_guard, drop_guard)]
