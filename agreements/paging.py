"""Bounded pagination: one page of a sorted queryset and whether another follows, never a count.

Django's ``Paginator`` counts every matching row to number the pages; on a large table that
count costs more than the page itself. Here a page reads ``size + 1`` rows: the extra row only
says that a next page exists ("Forrige/Neste").
"""

from dataclasses import dataclass

PAGE_SIZE = 50
# Deep offsets cost as much as the rows skipped; nobody reads 20,000 pages of a list.
LAST_PAGE = 20_000


@dataclass(frozen=True)
class BoundedPage:
    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def page_number(raw) -> int:
    """The page number asked for in ``raw`` (a query parameter); 1 for anything unusable."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), LAST_PAGE)


def bounded_page(queryset, raw_number=None, size: int = PAGE_SIZE) -> BoundedPage:
    """Page ``raw_number`` of the ordered ``queryset``: at most ``size`` rows, one query."""
    number = page_number(raw_number)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return BoundedPage(rows[:size], number, len(rows) > size)
