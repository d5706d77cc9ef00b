"""What every API view shares: authentication by the API's own classes, not the login page."""

from django.contrib.auth.decorators import login_not_required
from rest_framework.pagination import CursorPagination, LimitOffsetPagination


class ApiView:
    """Mixed into every API view. The site's login middleware would send a token client to the
    login page; the API answers 401 itself (its permission class requires a user)."""

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


class NewestFirst(CursorPagination):
    """Stable pages over a list that grows while a client reads it."""

    ordering = ("-created_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class Pages(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200
