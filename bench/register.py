"""``python -m bench.register``: do the register pages cost the same at 10,000 applications as
at 1,000?

Fills the register with SQL (generate_series) to SMALL and then LARGE applications, each used by
one to three of the seven organisations, with five agreements per application (50,000 at
10,000) in every status, half of them with the supplier as a party. At each size it times the
register list, the list filtered to uncovered applications and the uncovered report (p95 of
REPEATS requests through Django's test client, signed in as an administrator), counts their
queries, and times the CSV and XLSX export of every application. Prints the ratios LARGE/SMALL.

``BENCH_REGISTER_SIZES=500,5000 python -m bench.register`` runs smaller sizes.
"""

import gc
import os
import statistics
import time

from .setup import django_on_bench_database, machine, sized

SIZES = [
    int(n) for n in os.environ.get("BENCH_REGISTER_SIZES", sized("1000,10000", "20,60")).split(",")
]
# As in bench.pages: of 25 requests the 95th percentile is in effect the slowest one.
REPEATS = sized(60, 2)
PAGES = {
    "list": ("/applications/", {}),
    "list uncovered": ("/applications/", {"coverage": "uncovered"}),
    "report": ("/reports/uncovered/", {}),
}


def fill(cursor, first: int, last: int, owner_id: int, customer_id: int) -> None:
    """Applications ``first..last`` with their uses, agreements and agreement links."""
    cursor.execute(
        """
        INSERT INTO agreements_application
            (id, name, version, asset_id, installed_on, regional, category,
             technical_management, mercantile_management, tool_agreement_number, notes,
             created_at, updated_at, supplier_id)
        SELECT g, 'Applikasjon ' || g, '1.0', 'APP-' || lpad(g::text, 6, '0'), 'server', 'no',
               (ARRAY['needed','permitted','unwanted','uncategorised'])[1 + g %% 4],
               CASE WHEN g %% 3 = 0 THEN 'it_provider' ELSE 'trust' END, 'trust', '', '',
               now(), now(), (SELECT min(id) FROM agreements_organisation
                              WHERE kind = 'supplier') + g %% 200
        FROM generate_series(%s::int, %s::int) AS g
        """,
        [first, last],
    )
    cursor.execute(
        """
        INSERT INTO agreements_applicationuse
            (application_id, organisation_id, system_owner_name, system_owner_email)
        SELECT g, o.id, '', ''
        FROM generate_series(%s::int, %s::int) AS g
        JOIN LATERAL (SELECT id FROM agreements_organisation WHERE kind IN ('hf', 'rhf')
                      ORDER BY (id + g) %% 7 LIMIT 1 + g %% 3) o ON true
        """,
        [first, last],
    )
    cursor.execute(
        """
        WITH made AS (
            INSERT INTO agreements_agreement
                (reference, title, kind, status, customer_id, manager_id, provider_id, owner_id,
                 description, start_date, end_date, notice_months, renewal_months, review_round,
                 created_at, updated_at)
            SELECT 'B-' || a || '-' || k, 'Avtale', 'other',
                   (ARRAY['active','active','ended','draft','cancelled'])[k],
                   %s, %s,
                   CASE WHEN k %% 2 = 1 THEN (SELECT supplier_id FROM agreements_application
                                               WHERE id = a)
                        ELSE (SELECT id FROM agreements_organisation WHERE code = 'HNIKT') END,
                   %s, '', DATE '2020-01-01',
                   CASE WHEN a %% 4 = 0 THEN DATE '2021-01-01' ELSE NULL END, 3, 12, 0, now(), now()
            FROM generate_series(%s::int, %s::int) AS a, generate_series(1, 5) AS k
            RETURNING id, reference
        )
        INSERT INTO agreements_agreement_applications (agreement_id, application_id)
        SELECT id, split_part(reference, '-', 2)::int FROM made
        """,
        [customer_id, customer_id, owner_id, first, last],
    )


def suppliers(cursor) -> None:
    cursor.execute(
        """
        INSERT INTO agreements_organisation (code, name, short_name, kind, org_number)
        SELECT 'lev-' || g, 'Leverandør ' || g, '', 'supplier', '' FROM generate_series(1, 200) g
        """
    )


def p95(client, path, params) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # One request first, as bench.pages does: the first compiles templates and fills caches, a
    # cost of the process start, not of the page. Each page starts with a collected heap, so it
    # pays for its own garbage, not the previous page's.
    gc.collect()
    assert client.get(path, params, secure=True).status_code == 200
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, params, secure=True)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.quantiles(times, n=20)[-1], len(queries)


def export_time(client, path) -> float:
    start = time.perf_counter()
    response = client.get(path, secure=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and body
    return time.perf_counter() - start


def main() -> None:
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    django_on_bench_database()
    from django.db import connection
    from django.test import Client

    from agreements.models import Organisation, User

    admin = User.objects.create_superuser("bench-admin", "admin@bench.example", None)
    admin.organisation = Organisation.objects.get(code="HNIKT")
    admin.save()
    # Start as a web worker does: project.wsgi freezes the start-up heap out of the collector.
    import project.wsgi  # noqa: F401

    client = Client()
    client.force_login(admin)
    results, done = {}, 0
    with connection.cursor() as cursor:
        suppliers(cursor)
    for size in SIZES:
        with connection.cursor() as cursor:
            fill(cursor, done + 1, size, admin.pk, Organisation.objects.get(code="UNN").pk)
            cursor.execute("ANALYZE")
        done = size
        row = {name: p95(client, path, params) for name, (path, params) in PAGES.items()}
        row["export.csv"] = (export_time(client, "/applications/export.csv"), 0)
        row["export.xlsx"] = (export_time(client, "/applications/export.xlsx"), 0)
        results[size] = row
    print(f"bench.register on {machine()}; {REPEATS} requests per page, p95")
    small, large = SIZES[0], SIZES[-1]
    for name in results[small]:
        (t_small, q_small), (t_large, q_large) = results[small][name], results[large][name]
        print(
            f"  {name:15} {small:>6}: {t_small * 1000:8.1f} ms {q_small:3} queries | "
            f"{large:>6}: {t_large * 1000:8.1f} ms {q_large:3} queries | "
            f"ratio {t_large / t_small:5.2f}"
        )


if __name__ == "__main__":
    main()
