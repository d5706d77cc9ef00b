"""What the template page lists, read only: a GET never writes.

Version 1 of each kind is the .docx shipped with the system; it becomes a stored row the first
time it is used (``versions.active_template``, on a document job or an upload). Until then the
page shows it from the shipped file, so looking at the page never has to seed anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from agreements.models import Agreement, TemplateVersion
from docs_templates.kinds import document_kind

VERSIONS_PER_PAGE = 50


@dataclass(frozen=True)
class ShippedTemplate:
    """The shipped file of a kind that has no stored version yet (it is the one in use)."""

    kind: str
    number: int = 1
    uploaded_by: None = None
    created_at: None = None
    is_active: bool = True

    @property
    def original_name(self) -> str:
        return document_kind(self.kind).template_file

    def get_kind_display(self) -> str:
        return Agreement.Kind(self.kind).label


def template_versions(page_number: str | None) -> Page:
    """One page of stored versions, by kind and newest first."""
    versions = TemplateVersion.objects.select_related("uploaded_by").order_by("kind", "-number")
    return Paginator(versions, VERSIONS_PER_PAGE).get_page(page_number)


def unstored_shipped_templates() -> list[ShippedTemplate]:
    """The shipped templates of the kinds without a stored version, in kind order."""
    stored = set(TemplateVersion.objects.values_list("kind", flat=True).distinct())
    return [ShippedTemplate(kind) for kind in Agreement.Kind.values if kind not in stored]
