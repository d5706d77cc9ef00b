"""The audit trail's guard also refuses TRUNCATE, which row-level triggers never see.

A statement-level trigger fires for every TRUNCATE of the table, also one that reaches it by
CASCADE from the agreements table, whoever runs it: the table's owner and a superuser too.
"""

from django.db import migrations

CREATE = """
CREATE TRIGGER agreements_auditevent_no_truncate
    BEFORE TRUNCATE ON agreements_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_auditevent_append_only();
"""

DROP = "DROP TRIGGER IF EXISTS agreements_auditevent_no_truncate ON agreements_auditevent;"


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0009_requirement_followup")]

    operations = [migrations.RunPython(create_guard, drop_guard)]
