"""How API lists are paged. (DRF exempts its views from the site's login middleware: the API
answers 401 itself, through its default permission class.)"""

from rest_framework.pagination import CursorPagination, LimitOffsetPagination


class NewestFirst(CursorPagination):
    """Stable pages over a list that grows while a client reads it."""

    ordering = ("-created_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class Pages(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200
