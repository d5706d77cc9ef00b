"""``python -m bench.sweep``: does the sweep's cost follow what is due, not what is stored?

Times ``do_sweep_reminders`` with 1,000 due deadlines among 10,000 rows, then among 1,000,000
rows (the extra rows are closed deadlines and open ones whose next reminder lies ahead, as in a
real system), on PostgreSQL. Each timing is the median of 5 sweeps, each rolled back so the next
finds the same work. Prints both times and their ratio (the goal is at most 1.5).
"""

import statistics
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from .setup import django_on_bench_database, machine, owner_and_agreement, sized

OSLO = ZoneInfo("Europe/Oslo")
DUE = sized(1_000, 10)
SMALL, LARGE = sized((10_000, 1_000_000), (100, 300))
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=OSLO)  # a Tuesday


def insert_deadlines(cursor, agreement_id, owner_id, first_task_id, count, state):
    """Insert ``count`` task deadlines with one SQL statement (generate_series).

    ``state`` is "due" (a reminder due at 08:00 today), "ahead" (open, next reminder next
    month) or "closed".
    """
    next_reminder = {
        "due": "TIMESTAMPTZ '2026-12-01 08:00+01'",
        "ahead": "TIMESTAMPTZ '2027-01-05 08:00+01' + (g %% 30) * interval '1 day'",
        "closed": "NULL",
    }[state]
    closed = "now()" if state == "closed" else "NULL"
    # The interpolated fragments are the constants above, never input.
    cursor.execute(
        f"""
        INSERT INTO agreements_deadline
            (agreement_id, kind, task_id, title, assignee_id, due_date, due_at,
             next_reminder_at, scheduled_from, created_at, closed_at)
        SELECT %s, 'task_due', %s + g, 'Bench', %s, DATE '2026-12-01',
               TIMESTAMPTZ '2026-12-02 00:00+01', {next_reminder},
               TIMESTAMPTZ '2026-11-01 00:00+01', now(), {closed}
        FROM generate_series(1, %s) AS g
        """,  # noqa: S608
        [agreement_id, first_task_id, owner_id, count],
    )


def time_sweep(repeats=5) -> float:
    from django.db import transaction

    from agreements.reminders import do_sweep_reminders

    times = []
    # The first sweep of a process also loads the holiday tables, translations and query plans.
    for i in range(repeats + 1):
        with transaction.atomic():
            start = time.perf_counter()
            result = do_sweep_reminders(NOW)
            if i:
                times.append(time.perf_counter() - start)
            assert result.deadlines == DUE, result
            transaction.set_rollback(True)
    return statistics.median(times)


def main():
    django_on_bench_database()
    from django.db import connection

    owner, agreement = owner_and_agreement()
    with connection.cursor() as cursor:
        insert_deadlines(cursor, agreement.pk, owner.pk, 0, DUE, "due")
        insert_deadlines(cursor, agreement.pk, owner.pk, DUE, (SMALL - DUE) // 2, "ahead")
        insert_deadlines(
            cursor, agreement.pk, owner.pk, SMALL, SMALL - DUE - (SMALL - DUE) // 2, "closed"
        )
        cursor.execute("ANALYZE agreements_deadline")
    small = time_sweep()
    print(f"sweep, {SMALL:>9,} deadlines, {DUE:,} due: {small * 1000:8.1f} ms")
    with connection.cursor() as cursor:
        extra = LARGE - SMALL
        start = time.perf_counter()
        insert_deadlines(cursor, agreement.pk, owner.pk, 10 * SMALL, extra // 2, "ahead")
        insert_deadlines(cursor, agreement.pk, owner.pk, 10 * LARGE, extra - extra // 2, "closed")
        cursor.execute("ANALYZE agreements_deadline")
        print(f"(inserted {extra:,} more rows in {time.perf_counter() - start:.0f} s)")
    large = time_sweep()
    print(f"sweep, {LARGE:>9,} deadlines, {DUE:,} due: {large * 1000:8.1f} ms")
    print(f"ratio large/small: {large / small:.2f} (goal <= 1.5)")
    print(f"machine: {machine()}")
    return small, large


if __name__ == "__main__":
    main()
