"""Sections that other packages add to the agreement page.

``agreements`` imports none of the packages that build on it (DESIGN.md), yet the agreement page
shows their parts: the workflow's tasks, later deadlines and documents. Each such package
registers a panel here when its app is ready.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    order: int
    template_name: str
    context: Callable  # (request, agreement) -> dict


_panels: list[Panel] = []


def register_detail_panel(order: int, template_name: str, context: Callable) -> None:
    if any(p.template_name == template_name for p in _panels):
        return
    _panels.append(Panel(order, template_name, context))
    _panels.sort(key=lambda p: p.order)


def detail_panels(request: HttpRequest, agreement) -> list[tuple[str, dict]]:
    """Each registered panel's template and context for ``agreement``'s page.

    Raises ``ImproperlyConfigured`` when nothing registered: the page would silently lack its
    tasks and deadlines.
    """
    if not _panels:
        raise ImproperlyConfigured(
            "No agreement page panels are registered; is workflows installed?"
        )
    return [(p.template_name, p.context(request, agreement)) for p in _panels]
