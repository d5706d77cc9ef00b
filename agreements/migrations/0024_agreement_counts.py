"""The overview's counts per (customer, provider, manager, status), kept by triggers.

Statement-level triggers with transition tables on ``agreements_agreement`` add what each INSERT,
UPDATE or DELETE statement changed, grouped by key: one upsert per key a statement touches, so a
bulk ``INSERT ... SELECT`` of 100,000 rows costs one aggregate, and an UPDATE that changes no
counted column (a title, ``updated_at``) writes nothing. Rows that fall to 0 are deleted. The
counts are filled from the agreements in the same transaction that creates the triggers (which
lock the table against writes until it commits). PostgreSQL only: on SQLite the overview counts
the agreements themselves.

Contention: a count row stays locked until the writing transaction commits, so two transactions
moving agreements of the same three organisations into or out of the same status take turns at
the commit. Status moves run one short transaction per agreement (``lifecycle``, ``ending``);
within a statement rows are upserted in key order. Two transactions that each take two count
rows in opposite order in separate statements could still deadlock; PostgreSQL then aborts one,
which fails like any other lock conflict.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KEY = "customer_id, provider_id, manager_id, status"

# ``changes`` yields the key columns and +1 or -1 per row one statement inserted or removed.
APPLY = f"""
    INSERT INTO agreements_agreementcount AS c ({KEY}, total)
    SELECT {KEY}, sum(delta) FROM (%s) changes
    GROUP BY {KEY} HAVING sum(delta) <> 0 ORDER BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE SET total = c.total + EXCLUDED.total;
"""
NEW = f"SELECT {KEY}, 1 AS delta FROM new_rows"
OLD = f"SELECT {KEY}, -1 AS delta FROM old_rows"

CREATE = f"""
CREATE OR REPLACE FUNCTION agreements_agreementcount_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {APPLY % NEW}
        RETURN NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        {APPLY % (NEW + " UNION ALL " + OLD)}
    ELSE
        {APPLY % OLD}
    END IF;
    -- Only a decrement can empty a row.
    DELETE FROM agreements_agreementcount WHERE total = 0;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION agreements_agreementcount_clear() RETURNS trigger AS $$
BEGIN
    DELETE FROM agreements_agreementcount;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER agreements_agreementcount_insert AFTER INSERT ON agreements_agreement
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_agreementcount_apply();
CREATE TRIGGER agreements_agreementcount_update AFTER UPDATE ON agreements_agreement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_agreementcount_apply();
CREATE TRIGGER agreements_agreementcount_delete AFTER DELETE ON agreements_agreement
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_agreementcount_apply();
CREATE TRIGGER agreements_agreementcount_truncate AFTER TRUNCATE ON agreements_agreement
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_agreementcount_clear();

INSERT INTO agreements_agreementcount ({KEY}, total)
SELECT {KEY}, count(*) FROM agreements_agreement GROUP BY {KEY};
"""

DROP = """
DROP TRIGGER IF EXISTS agreements_agreementcount_insert ON agreements_agreement;
DROP TRIGGER IF EXISTS agreements_agreementcount_update ON agreements_agreement;
DROP TRIGGER IF EXISTS agreements_agreementcount_delete ON agreements_agreement;
DROP TRIGGER IF EXISTS agreements_agreementcount_truncate ON agreements_agreement;
DROP FUNCTION IF EXISTS agreements_agreementcount_apply();
DROP FUNCTION IF EXISTS agreements_agreementcount_clear();
"""


# The functions run as the owner who migrates (with the search path it migrates with), so the
# app role (``DATABASE_APP_ROLE``) may read the counts but never write them itself.
DEFINER = """
ALTER FUNCTION agreements_agreementcount_apply() SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION agreements_agreementcount_clear() SECURITY DEFINER SET search_path FROM CURRENT;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    schema_editor.execute(DEFINER)
    role = settings.DATABASE_APP_ROLE
    if role:
        schema_editor.execute(
            "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON agreements_agreementcount FROM "
            + schema_editor.quote_name(role)
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0023_supplier_history")]

    operations = [
        migrations.CreateModel(
            name="AgreementCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Utkast"),
                            ("in_review", "Til gjennomgang"),
                            ("changes_requested", "Endringer etterspurt"),
                            ("awaiting_approval", "Til godkjenning"),
                            ("awaiting_signature", "Til signering"),
                            ("signed", "Signert"),
                            ("active", "Aktiv"),
                            ("terminated", "Oppsagt"),
                            ("ended", "Avsluttet"),
                            ("replaced", "Erstattet"),
                            ("cancelled", "Trukket"),
                        ],
                        max_length=20,
                    ),
                ),
                ("total", models.IntegerField()),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="agreements.organisation",
                    ),
                ),
                (
                    "manager",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="agreements.organisation",
                    ),
                ),
                (
                    "provider",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="agreements.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("customer", "provider", "manager", "status"),
                        name="agreement_count_key",
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
