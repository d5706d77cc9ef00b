"""``python -m bench.followup [applications agreements]``: the tertial report's figures at scale.

Fills a fresh PostgreSQL database with 10,000 applications (each used by one or two trusts, with
a history: registered in February, management and category changed in June or after the
tertial) and 50,000 agreements (a fifth tagged with requirement 88, each with a created event and,
for half of them, an activation before or after the tertial's end), then times
``build_tertial_report(2022, 2)``: every requirement's figures as of 31 August 2022 from the audit
trail and the history tables. Prints the median of three runs; the goal is at most 2 seconds.
"""

import statistics
import sys
import time

from .setup import django_on_bench_database, machine, owner_and_agreement, sized


def _copy_to_history(cursor, model, when: str, kind: str = "+") -> None:
    """One historical row per current row of ``model``, dated ``when`` (one SQL statement)."""
    history = model.history.model
    columns = [f.column for f in history._meta.fields if not f.column.startswith("history_")]
    names = ", ".join(columns)
    cursor.execute(
        f"INSERT INTO {history._meta.db_table} ({names}, history_date, history_type) "  # noqa: S608
        f"SELECT {names}, %s, %s FROM {model._meta.db_table}",
        [when, kind],
    )


def fill(applications: int, agreements: int) -> None:
    from django.db import connection

    from agreements.models import Application, ApplicationUse, Organisation, Requirement

    owner, _ = owner_and_agreement()
    trusts = list(
        Organisation.objects.filter(kind="hf").order_by("pk").values_list("pk", flat=True)
    )
    hnikt = Organisation.objects.get(code="HNIKT").pk
    req88 = Requirement.objects.get(year=2022, number=88).pk
    supplier = Organisation.objects.create(code="bench-sup", name="Bench AS", kind="supplier").pk
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO agreements_application (name, supplier_id, version, asset_id,
                 installed_on, regional, category, technical_management,
                 mercantile_management, tool_agreement_number, notes, created_at, updated_at)
               SELECT 'App ' || g, %s, '', '', 'server', 'undecided', 'uncategorised', 'trust',
                 'trust', '', '', TIMESTAMPTZ '2022-02-01 10:00+01', now()
               FROM generate_series(1, %s) g""",
            [supplier, applications],
        )
        cursor.execute(
            """INSERT INTO agreements_applicationuse (application_id, organisation_id,
                 system_owner_name, system_owner_email)
               SELECT a.id, t.org, '', '' FROM agreements_application a
               JOIN LATERAL (SELECT unnest(%s::bigint[]) AS org) t
                 ON t.org = (%s::bigint[])[1 + a.id %% %s]
                 OR (a.id %% 2 = 0 AND t.org = (%s::bigint[])[1 + (a.id + 1) %% %s])""",
            [trusts, trusts, len(trusts), trusts, len(trusts)],
        )
        _copy_to_history(cursor, Application, "2022-02-01 10:00+01")
        _copy_to_history(cursor, ApplicationUse, "2022-02-01 10:00+01")
        cursor.execute(
            """UPDATE agreements_application SET technical_management = 'it_provider',
                 mercantile_management = CASE WHEN id %% 3 = 0 THEN 'it_provider' ELSE 'trust' END,
                 category = 'needed', asset_id = 'APP-' || id""",
            [],
        )
        _copy_to_history(cursor, Application, "2022-06-15 10:00+02", "~")
        cursor.execute(
            """INSERT INTO agreements_agreement (reference, title, kind, status, customer_id,
                 provider_id, manager_id, owner_id, requirement_id, description, notice_months,
                 renewal_months, review_round, created_at, updated_at)
               SELECT 'B-' || g, 'Avtale ' || g,
                 (ARRAY['service','data_processor','other','operating'])[1 + g %% 4],
                 CASE WHEN g %% 2 = 0 THEN 'active' ELSE 'draft' END,
                 (%s::bigint[])[1 + g %% %s], %s, %s, %s,
                 CASE WHEN g %% 5 = 0 THEN %s END, '', 3, 12, 0,
                 TIMESTAMPTZ '2022-02-01 10:00+01', now()
               FROM generate_series(1, %s) g""",
            [trusts[:5], 5, hnikt, hnikt, owner.pk, req88, agreements],
        )
        cursor.execute(
            """INSERT INTO agreements_auditevent (agreement_id, at, action, from_status,
                 to_status, message)
               SELECT id, TIMESTAMPTZ '2022-02-01 10:00+01', 'created', '', 'draft', ''
               FROM agreements_agreement
               UNION ALL
               SELECT id, CASE WHEN id %% 4 = 1 THEN TIMESTAMPTZ '2022-07-01 10:00+02'
                 ELSE TIMESTAMPTZ '2022-10-01 10:00+02' END, 'activated', 'draft', 'active', ''
               FROM agreements_agreement WHERE status = 'active'""",
            [],
        )
        cursor.execute(
            """INSERT INTO agreements_agreement_applications (agreement_id, application_id)
               SELECT ag.id, ap.id FROM agreements_agreement ag
               JOIN agreements_application ap ON ap.id = ag.id %% %s + 1
               WHERE ag.provider_id = %s AND ag.id %% 3 = 0""",
            [applications, hnikt],
        )
        cursor.execute("ANALYZE")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:3]] or sized([10_000, 50_000], [50, 200])
    applications, agreements = sizes
    django_on_bench_database()
    from agreements.followup.report import build_tertial_report
    from agreements.models import Agreement, Application

    fill(applications, agreements)
    print(
        f"bench.followup on {machine()}: {Application.objects.count():,} applications, "
        f"{Agreement.objects.count():,} agreements"
    )
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        report = build_tertial_report(2022, 2)
        figures = [part.figures.total for part in report.requirements if part.figures]
        timings.append(time.perf_counter() - start)
    print("figures as of 31.08.2022:", [(row.done, row.total) for row in figures])
    median = statistics.median(timings)
    print(f"tertial report figures: median {median:.2f} s (goal <= 2 s)")


if __name__ == "__main__":
    main()
