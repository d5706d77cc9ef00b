"""The requirement-93 report: applications without a current supplier agreement, per trust and
in all, with what is missing; and those whose agreement ends soon. Counted in SQL."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import translation

from ..models import Agreement, Application, ApplicationUse, Organisation
from .counting import count_states
from .coverage import Gap, in_force_q, uncovered


@dataclass
class TrustLine:
    organisation: Organisation | None
    total: int = 0
    by_gap: dict[str, int] = field(default_factory=dict)

    def gap_counts(self) -> list[int]:
        return [self.by_gap.get(gap, 0) for gap in Gap.LABELS]


@dataclass
class Summary:
    today: date
    lines: list[TrustLine]
    total: int
    by_gap: dict[str, int]
    ending_soon: int

    @property
    def gap_labels(self) -> list[str]:
        return [str(label) for label in Gap.LABELS.values()]

    def gap_counts(self) -> list[int]:
        return [self.by_gap.get(gap, 0) for gap in Gap.LABELS]


def summarise(qs: QuerySet[Application], today: date) -> Summary:
    """Counts of uncovered applications per using trust and reason, and in all (two queries:
    the counts in one pass over the register, then the trusts' names).

    An application used by two trusts counts once for each, and once in the total.
    """
    counts = count_states(qs, today)
    organisations = Organisation.objects.in_bulk(
        {c.organisation_id for c in counts if c.organisation_id and c.gap != Gap.COVERED}
    )
    lines: dict[int | None, TrustLine] = {}
    totals: dict[str, int] = {}
    soon = 0
    for count in counts:
        if count.total and count.ending_soon:
            soon += count.n
        if count.gap == Gap.COVERED:
            continue
        if count.total:
            totals[count.gap] = totals.get(count.gap, 0) + count.n
            continue
        key = count.organisation_id
        line = lines.setdefault(key, TrustLine(organisations.get(key)))
        line.by_gap[count.gap] = line.by_gap.get(count.gap, 0) + count.n
        line.total += count.n
    ordered = sorted(lines.values(), key=lambda x: (x.organisation is None, str(x.organisation)))
    return Summary(
        today=today, lines=ordered, total=sum(totals.values()), by_gap=totals, ending_soon=soon
    )


def listed(qs: QuerySet[Application]) -> QuerySet[Application]:
    """What a register or report row shows, loaded alongside (supplier and using trusts), in
    name order."""
    uses = ApplicationUse.objects.select_related("organisation").order_by("organisation__name")
    return (
        qs.select_related("supplier")
        .prefetch_related(Prefetch("uses", queryset=uses))
        .order_by("name", "pk")
    )


def with_last_end(qs: QuerySet[Application], today: date) -> QuerySet[Application]:
    """Annotate ``ends_on``: the latest end of the application's current supplier agreements
    (a subquery per row, so a page of ``qs`` costs the same whatever the register's size)."""
    current = (
        Agreement.objects.filter(in_force_q(today), applications=OuterRef("pk"))
        .filter(Q(customer_id=OuterRef("supplier_id")) | Q(provider_id=OuterRef("supplier_id")))
        .order_by(F("end_date").desc(nulls_last=True))
    )
    return qs.annotate(ends_on=Subquery(current.values("end_date")[:1]))


HEADERS = [
    "Applikasjon",
    "Versjon",
    "Asset-ID",
    "Leverandør",
    "Brukes av",
    "NSM-kategori",
    "Mangler",
]


def report_rows(qs: QuerySet[Application], today: date) -> Iterator[list[str]]:
    """Header, then one row per uncovered application (Norwegian labels), in name order."""
    yield HEADERS
    with translation.override("nb"):
        for app in listed(uncovered(qs, today)).iterator(chunk_size=2000):
            yield [
                app.name,
                app.version,
                app.asset_id,
                app.supplier.name if app.supplier else "",
                ", ".join(u.organisation.display_name for u in app.uses.all()),
                str(app.get_category_display()),
                str(Gap.LABELS[app.coverage_gap]),
            ]
