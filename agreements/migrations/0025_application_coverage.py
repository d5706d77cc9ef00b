"""Each application's stored coverage state (``ApplicationCoverage``), marked stale by triggers.

Statement-level triggers with transition tables mark an application's row stale (its window
closes: ``valid_until`` = 0001-01-01, and its ``version`` goes up) whenever something its state
depends on changes: the application is created or gets another supplier, an agreement link is
added or removed, or a linked agreement changes status, dates or parties. They never compute a
state: ``register.stored_coverage.refresh`` does that before a read, for the stale rows only, so
a write costs one indexed UPDATE and a bulk ``INSERT ... SELECT`` one statement. PostgreSQL only:
on SQLite the register computes coverage from the agreements every time.
"""

import django.db.models.deletion
from django.db import migrations, models

STALE = "DATE '0001-01-01'"
# ``counting.RANK_NONE``: the rank a new row holds until its first refresh (never read while stale).
NONE_RANK = 7

# Only the constants of this module are formatted into the SQL below.
MARK = f"""
    UPDATE agreements_applicationcoverage
    SET valid_until = {STALE}, version = version + 1
    WHERE application_id IN (%s);
"""  # noqa: S608

SUPPLIER_CHANGED = MARK % (
    "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
    "WHERE n.supplier_id IS DISTINCT FROM o.supplier_id"
)
# Only the columns coverage reads: a title or ``updated_at`` change marks nothing.
AGREEMENT_CHANGED = MARK % (
    "SELECT l.application_id FROM agreements_agreement_applications l "
    "JOIN new_rows n ON n.id = l.agreement_id JOIN old_rows o ON o.id = n.id "
    "WHERE (n.status, n.start_date, n.end_date, n.customer_id, n.provider_id) "
    "IS DISTINCT FROM (o.status, o.start_date, o.end_date, o.customer_id, o.provider_id)"
)
LINKED = MARK % "SELECT application_id FROM new_rows"
UNLINKED = MARK % "SELECT application_id FROM old_rows"

CREATE = f"""
CREATE OR REPLACE FUNCTION agreements_coverage_application() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO agreements_applicationcoverage (application_id, rank, valid_from,
                                                    valid_until, version)
        SELECT id, {NONE_RANK}, {STALE}, {STALE}, 0 FROM new_rows
        ON CONFLICT (application_id) DO NOTHING;
    ELSE
        {SUPPLIER_CHANGED}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION agreements_coverage_link() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {LINKED}
    ELSE
        {UNLINKED}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION agreements_coverage_agreement() RETURNS trigger AS $$
BEGIN
    {AGREEMENT_CHANGED}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER agreements_coverage_application_insert AFTER INSERT ON agreements_application
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_coverage_application();
CREATE TRIGGER agreements_coverage_application_update AFTER UPDATE ON agreements_application
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_coverage_application();
CREATE TRIGGER agreements_coverage_link_insert AFTER INSERT ON agreements_agreement_applications
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_coverage_link();
CREATE TRIGGER agreements_coverage_link_delete AFTER DELETE ON agreements_agreement_applications
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_coverage_link();
CREATE TRIGGER agreements_coverage_agreement_update AFTER UPDATE ON agreements_agreement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_coverage_agreement();

INSERT INTO agreements_applicationcoverage (application_id, rank, valid_from, valid_until, version)
SELECT id, {NONE_RANK}, {STALE}, {STALE}, 0 FROM agreements_application;
"""  # noqa: S608

DROP = """
DROP TRIGGER IF EXISTS agreements_coverage_application_insert ON agreements_application;
DROP TRIGGER IF EXISTS agreements_coverage_application_update ON agreements_application;
DROP TRIGGER IF EXISTS agreements_coverage_link_insert ON agreements_agreement_applications;
DROP TRIGGER IF EXISTS agreements_coverage_link_delete ON agreements_agreement_applications;
DROP TRIGGER IF EXISTS agreements_coverage_agreement_update ON agreements_agreement;
DROP FUNCTION IF EXISTS agreements_coverage_application();
DROP FUNCTION IF EXISTS agreements_coverage_link();
DROP FUNCTION IF EXISTS agreements_coverage_agreement();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0024_agreement_counts")]

    operations = [
        migrations.CreateModel(
            name="ApplicationCoverage",
            fields=[
                (
                    "application",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="coverage",
                        serialize=False,
                        to="agreements.application",
                    ),
                ),
                ("rank", models.PositiveSmallIntegerField()),
                ("valid_from", models.DateField(db_index=True)),
                ("valid_until", models.DateField(db_index=True)),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
