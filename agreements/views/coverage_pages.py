"""Pages of applications filtered by coverage: counted with a join over the register, and their
rows fetched one application at a time while that is cheaper (``register.coverage``)."""

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from ..register.coverage import each_pays


def coverage_page(
    rows: Callable[[bool], QuerySet], number, per_page: int, count: int | None = None
) -> Page:
    """Page ``number`` of ``rows(each)``, applications in name order filtered by coverage.

    ``rows(False)`` filters with a join over the register, the way to count; ``rows(True)``
    checks one application at a time, the way to fetch an early page of many matches
    (``coverage.each_pays`` chooses). ``count``: the number of rows when the caller has
    counted them already; otherwise a COUNT of ``rows(False)``. No rows, no second query.
    """
    paginator = Paginator([], per_page)
    paginator.count = rows(False).count() if count is None else count
    page = paginator.get_page(number)
    if paginator.count:
        bottom = (page.number - 1) * per_page
        each = each_pays(page.end_index(), paginator.count)
        page.object_list = rows(each)[bottom : bottom + per_page]
    return page
