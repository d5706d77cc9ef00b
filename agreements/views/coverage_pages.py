"""Pages of applications filtered by coverage, whose count the caller may know already."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def coverage_page(rows: QuerySet, number, per_page: int, count: int | None = None) -> Page:
    """Page ``number`` of ``rows``; ``count``: the number of rows when the caller has counted
    them already (the report's summary), otherwise the paginator counts them."""
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not counted again
    return paginator.get_page(number)
