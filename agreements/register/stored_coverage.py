"""Coverage read from each application's stored state (``ApplicationCoverage``) instead of
being computed from every agreement on each request (issue 9 point 9).

A stored state holds for a window of days: ``refresh`` computes the rank of each stale
application with the rules of ``counting.ranked_links`` (so both paths agree by construction) and
the first day on which it could change by itself (an agreement linked to it starts, ends, or
comes within ``ENDING_SOON_MONTHS`` of its end). Triggers close the window of every application
a write touches (migration ``0025_application_coverage``), so the next read recomputes it.

Only today's state is stored: figures as of another day (the tertial report's past dates) and
other databases than PostgreSQL compute coverage as before (``usable``).
"""

from datetime import date

from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, Q, QuerySet, Value, When
from django.db.models import CharField as CharOutput
from django.utils import timezone

from ..dates import add_months
from ..models import Agreement, Application, ApplicationCoverage, ApplicationUse
from . import counting
from .coverage import ENDING_SOON_MONTHS, IN_FORCE, Gap

# A stored state is trusted on days valid_from <= day < valid_until; STALE closes the window.
FOREVER = date(9999, 12, 31)
# "Ends within six months" turns on the first day whose date six months on reaches the end;
# month lengths move that day by up to three days, so the window closes a week before the
# earliest possible turn and the state is then rechecked daily until it turns.
LASTING_MARGIN_DAYS = 7


def usable(today: date) -> bool:
    """Whether coverage on ``today`` may be read from the stored states."""
    return connection.vendor == "postgresql" and today == timezone.localdate()


def _windows(today: date) -> tuple[str, list]:
    """SQL of (application id, the first day after ``today`` on which its state could change by
    itself) for the application ``k.id`` (a lateral subquery), and its parameters: the earliest
    start, day after an end, or six-month turn of an agreement in force linked to it. Other
    agreements' states do not depend on the day. No row: the state lasts until a write."""
    q = connection.ops.quote_name
    agr, link = Agreement._meta, Agreement.applications.through._meta
    l_app = counting.column(link, "application")
    status, start, end = (counting.column(agr, n) for n in ("status", "start_date", "end_date"))
    sql = f"""
        SELECT l.{l_app} AS id, MIN(LEAST(
          CASE WHEN a.{start} > %s THEN a.{start} END,
          CASE WHEN a.{end} >= %s THEN a.{end} + 1 END,
          CASE WHEN a.{end} > %s THEN GREATEST(
            %s::date + 1,
            (a.{end} - interval '{ENDING_SOON_MONTHS} months')::date - {LASTING_MARGIN_DAYS})
          END)) AS until
        FROM {q(link.db_table)} l
        JOIN {q(agr.db_table)} a ON a.{q(agr.pk.column)} = l.{counting.column(link, "agreement")}
        WHERE a.{status} IN {counting.placeholders(IN_FORCE)} AND l.{l_app} = k.id
        GROUP BY l.{l_app}"""  # noqa: S608
    return sql, [today, today, add_months(today, ENDING_SOON_MONTHS), today, *IN_FORCE]


def _anything_stale(cursor, today: date) -> bool:
    """Whether any stored state's window does not hold ``today``. Most reads find none: this
    plans in microseconds, where planning ``refresh``'s statement takes a few milliseconds."""
    table = connection.ops.quote_name(ApplicationCoverage._meta.db_table)
    cursor.execute(
        f"SELECT 1 FROM {table} WHERE valid_until <= %s "  # noqa: S608
        f"UNION ALL SELECT 1 FROM {table} WHERE valid_from > %s LIMIT 1",
        [today, today],
    )
    return cursor.fetchone() is not None


def refresh(today: date) -> None:
    """Recompute every stored state whose window does not hold ``today`` (one statement after
    a probe; the probe alone when none is stale).

    Rows another transaction is writing are skipped (``SKIP LOCKED``) rather than waited for:
    that transaction marked them stale and the next read after its commit recomputes them. A
    state is written only if its row still has the ``version`` this statement's snapshot
    read, so a state computed from agreements as they were before a concurrent change cannot
    overwrite the mark that change left.
    """
    q = connection.ops.quote_name
    cov, app = ApplicationCoverage._meta, Application._meta
    c_app = counting.column(cov, "application")
    ranked, ranked_params = counting.ranked_links(today, only="k.id")
    windows, windows_params = _windows(today)
    # ``seen`` is a UNION, not an OR: each half is then a plain index scan, which marks the
    # index entries of rows a refresh rewrote as dead, so the next probe skips them (a bitmap
    # scan, the only plan for the OR, visits them all again until a vacuum: 6-9 ms instead of
    # 1 ms on the bench's register, where nothing vacuums).
    # Each stale application is ranked by lateral subqueries on its own links (index probes),
    # so the plan cannot turn into a nested loop over CTEs however many rows are stale: the
    # planner's estimate of ``seen`` comes from statistics taken when few or none were.
    # Only quoted names and integer constants are formatted in; every value is a parameter.
    sql = f"""
        WITH seen AS (
          SELECT {c_app} AS id, version FROM {q(cov.db_table)} WHERE valid_until <= %s
          UNION
          SELECT {c_app} AS id, version FROM {q(cov.db_table)} WHERE valid_from > %s),
        locked AS (
          SELECT c2.{c_app} AS id, s.version
          FROM {q(cov.db_table)} c2 JOIN seen s ON s.id = c2.{c_app}
          ORDER BY c2.{c_app} FOR NO KEY UPDATE OF c2 SKIP LOCKED)
        UPDATE {q(cov.db_table)} c
        SET rank = {counting.state_rank("r", "app")}, valid_from = %s,
            valid_until = COALESCE(w.until, %s)
        FROM locked k
          JOIN {q(app.db_table)} app ON app.{q(app.pk.column)} = k.id
          LEFT JOIN LATERAL ({ranked}) r ON true
          LEFT JOIN LATERAL ({windows}) w ON true
        WHERE c.{c_app} = k.id AND c.version = k.version"""  # noqa: S608
    params = [today, today, today, FOREVER, *ranked_params, *windows_params]
    with connection.cursor() as cursor:
        if _anything_stale(cursor, today):
            cursor.execute(sql, params)


def count_states(qs: QuerySet[Application], today: date) -> list[counting.StateCount]:
    """``counting.count_states`` from the stored states (one statement after the refresh)."""
    ids = counting.visible_ids(qs)
    if ids is None:
        return []
    refresh(today)
    q = connection.ops.quote_name
    cov, use = ApplicationCoverage._meta, ApplicationUse._meta
    c_app = counting.column(cov, "application")
    inner, params = ids
    visible = f"c.{c_app} IN ({inner})" if inner else "TRUE"
    sql = f"""
        SELECT 1, NULL, c.rank, COUNT(*) FROM {q(cov.db_table)} c WHERE {visible} GROUP BY c.rank
        UNION ALL
        SELECT 0, u.{counting.column(use, "organisation")}, c.rank, COUNT(*)
        FROM {q(cov.db_table)} c
        LEFT JOIN {q(use.db_table)} u ON u.{counting.column(use, "application")} = c.{c_app}
        WHERE c.rank > {counting.RANK_ENDING} AND {visible}
        GROUP BY u.{counting.column(use, "organisation")}, c.rank"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        rows = cursor.fetchall()
    return counting.as_counts(rows)


def annotate(qs: QuerySet[Application], gap: bool = True) -> QuerySet[Application]:
    """``qs`` with the annotations of ``coverage.with_coverage``, read from the stored state
    (call ``refresh`` first)."""
    rank = "coverage__rank"
    covered = ExpressionWrapper(Q(**{f"{rank}__lte": counting.RANK_ENDING}), BooleanField())
    lasting = ExpressionWrapper(Q(**{rank: counting.RANK_LASTING}), BooleanField())
    qs = qs.annotate(covered=covered, lasting=lasting)
    if not gap:
        return qs
    return qs.annotate(
        ending_soon=ExpressionWrapper(Q(**{rank: counting.RANK_ENDING}), BooleanField()),
        coverage_gap=Case(
            *[When(**{rank: r}, then=Value(g)) for r, g in counting.GAP_OF_RANK.items()],
            default=Value(Gap.NONE),
            output_field=CharOutput(),
        ),
    )
