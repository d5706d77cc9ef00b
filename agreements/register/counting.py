"""One pass over the register that counts applications by coverage state, per trust and in all.

The report's totals cover every application, so they cannot be paginated away. Counting them
with ``coverage.with_coverage``'s ``Exists`` subqueries costs one probe of the agreement links
per application and per subquery (several passes over the register). Here the states come
from a single hash join of the agreement links with the agreements and the applications: each
link gets a rank, the best rank per application is its state, and the states are counted twice,
in all and per using trust, in one statement. The rules are those of ``coverage``;
tests/register/test_coverage.py checks both agree.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from ..dates import add_months
from ..models import Agreement, Application, ApplicationUse
from .coverage import _UNDER_WAY, ENDING_SOON_MONTHS, IN_FORCE, Gap

Status = Agreement.Status

# The rank of one link, best first; an application's state is the best rank of its links.
(
    RANK_LASTING,
    RANK_ENDING,
    RANK_NO_SUPPLIER,
    RANK_UNDER_WAY,
    RANK_EXPIRED,
    RANK_OTHER_PARTY,
    RANK_NONE,
) = range(1, 8)
GAP_OF_RANK = {
    RANK_LASTING: Gap.COVERED,
    RANK_ENDING: Gap.COVERED,
    RANK_NO_SUPPLIER: Gap.NO_SUPPLIER,
    RANK_UNDER_WAY: Gap.UNDER_WAY,
    RANK_EXPIRED: Gap.EXPIRED,
    RANK_OTHER_PARTY: Gap.OTHER_PARTY,
    RANK_NONE: Gap.NONE,
}


@dataclass(frozen=True)
class StateCount:
    """``n`` applications in the state ``gap`` (``ending_soon``: covered, ending soon), in all
    (``total``) or used by the trust ``organisation_id`` (``None``: used by no trust)."""

    total: bool
    organisation_id: int | None
    gap: str
    ending_soon: bool
    n: int


def placeholders(values) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def column(meta, name: str) -> str:
    return connection.ops.quote_name(meta.get_field(name).column)


def ranked_links(today: date, only: str = "") -> tuple[str, list]:
    """SQL of (application id, best rank of its agreement links), and its parameters; ``only``:
    SQL of the application ids to rank (all when empty)."""
    q = connection.ops.quote_name
    link = Agreement.applications.through._meta
    app, agr = Application._meta, Agreement._meta
    a = {name: "a." + column(agr, name) for name in ("status", "start_date", "end_date")}
    party = (
        f"(a.{column(agr, 'customer')} = app.{column(app, 'supplier')} "
        f"OR a.{column(agr, 'provider')} = app.{column(app, 'supplier')})"
    )
    in_force = (
        f"{a['status']} IN {placeholders(IN_FORCE)} AND ({a['start_date']} IS NULL OR "
        f"{a['start_date']} <= %s) AND ({a['end_date']} IS NULL OR {a['end_date']} >= %s)"
    )
    in_force_params = [*IN_FORCE, today, today]
    where = f"WHERE l.{column(link, 'application')} IN ({only})" if only else ""
    # Only quoted names and integer constants are formatted in; every value is a parameter.
    sql = f"""
        SELECT l.{column(link, "application")} AS id, MIN(CASE
          WHEN {party} THEN CASE
            WHEN {in_force} THEN CASE
              WHEN {a["end_date"]} IS NULL OR {a["end_date"]} > %s THEN {RANK_LASTING}
              ELSE {RANK_ENDING} END
            WHEN {a["status"]} IN {placeholders(_UNDER_WAY)}
              OR ({a["status"]} IN {placeholders(IN_FORCE)} AND {a["start_date"]} > %s) THEN {RANK_UNDER_WAY}
            WHEN {a["status"]} IN (%s, %s)
              OR ({a["status"]} IN {placeholders(IN_FORCE)} AND {a["end_date"]} < %s) THEN {RANK_EXPIRED}
            ELSE {RANK_NONE} END
          WHEN {in_force} THEN {RANK_OTHER_PARTY}
          ELSE {RANK_NONE} END) AS rank
        FROM {q(link.db_table)} l
        JOIN {q(agr.db_table)} a ON a.{q(agr.pk.column)} = l.{column(link, "agreement")}
        JOIN {q(app.db_table)} app ON app.{q(app.pk.column)} = l.{column(link, "application")}
        {where}
        GROUP BY l.{column(link, "application")}"""  # noqa: S608
    params = [
        *in_force_params,
        add_months(today, ENDING_SOON_MONTHS),
        *[*_UNDER_WAY, *IN_FORCE, today],
        *[Status.ENDED, Status.REPLACED, *IN_FORCE, today],
        *in_force_params,
    ]
    return sql, params


def state_rank(ranked: str, app: str) -> str:
    """SQL of an application's state rank from the best rank of its links (``ranked``.rank,
    NULL without links) and the application row (``app``: its supplier)."""
    supplier = column(Application._meta, "supplier")
    return f"""CASE WHEN {ranked}.rank <= {RANK_ENDING} THEN {ranked}.rank
                    WHEN {app}.{supplier} IS NULL THEN {RANK_NO_SUPPLIER}
                    ELSE COALESCE({ranked}.rank, {RANK_NONE}) END"""


def visible_ids(qs: QuerySet[Application]) -> tuple[str, list] | None:
    """SQL of the ids of ``qs`` and its parameters; ``("", [])`` for every application, None
    for none at all (``qs.none()``: a user who may see no application)."""
    if not qs.query.where:
        return "", []
    try:
        return qs.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


def count_states(qs: QuerySet[Application], today: date) -> list[StateCount]:
    """Counts of the applications of ``qs`` per coverage state on ``today``: in all, and per
    using trust for the states without a current agreement (the report shows no covered counts
    per trust). One query whatever the size of the register."""
    from . import stored_coverage  # it builds on this module's SQL

    if stored_coverage.usable(today):
        return stored_coverage.count_states(qs, today)
    q = connection.ops.quote_name
    app, use = Application._meta, ApplicationUse._meta
    ranked, params = ranked_links(today)
    ids = visible_ids(qs)
    if ids is None:
        return []
    inner, inner_params = ids
    visible = f"WHERE app.{q(app.pk.column)} IN ({inner})" if inner else ""
    params.extend(inner_params)
    sql = f"""
        WITH ranked AS ({ranked}),
        state AS (
          SELECT app.{q(app.pk.column)} AS id, {state_rank("r", "app")} AS rank
          FROM {q(app.db_table)} app LEFT JOIN ranked r ON r.id = app.{q(app.pk.column)}
          {visible})
        SELECT 1, NULL, rank, COUNT(*) FROM state GROUP BY rank
        UNION ALL
        SELECT 0, u.{column(use, "organisation")}, s.rank, COUNT(*)
        FROM state s LEFT JOIN {q(use.db_table)} u ON u.{column(use, "application")} = s.id
        WHERE s.rank > {RANK_ENDING}
        GROUP BY u.{column(use, "organisation")}, s.rank"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return as_counts(rows)


def as_counts(rows) -> list[StateCount]:
    """``StateCount``s from rows of (in all?, trust id, rank, n)."""
    return [
        StateCount(bool(total), org, GAP_OF_RANK[rank], rank == RANK_ENDING, n)
        for total, org, rank, n in rows
    ]
