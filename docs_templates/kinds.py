"""The documents of each agreement kind, in one entry per kind.

Per kind: the shipped Word template's file name, the builder of the kind's part of a template's
context, the schema of that context (the variables a template may use) and the example data.
What the kind is in the domain (its name, terms models, reviews) is in ``agreements.kinds``.
Adding a kind means one entry there, one entry below and a template in ``templates/``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.db import models
from django.utils import translation

from agreements.kinds import kind_spec, party_label
from agreements.models import Agreement
from docs_templates import examples
from docs_templates.examples import Example
from docs_templates.kind_contexts import (
    DOCUMENT_LANGUAGE,
    TermsSource,
    agreement_ref,
    data_processor_context,
    kind_label,
    operating_context,
    other_context,
    service_context,
)
from docs_templates.schema import (
    COMMON_FIELDS,
    DPA_FIELDS,
    OPERATING_FIELDS,
    OTHER_FIELDS,
    SERVICE_FIELDS,
    schema_errors,
)

Kind = Agreement.Kind


@dataclass(frozen=True)
class DocumentKind:
    """The document side of one kind. ``schema`` is the whole context's: common and own fields."""

    template_file: str
    build: Callable[[TermsSource], dict[str, Any]]
    schema: dict[str, Any]
    example: Example


def _schema(own_fields: dict[str, Any]) -> dict[str, Any]:
    return {**COMMON_FIELDS, **own_fields}


DOCUMENT_KINDS: Mapping[str, DocumentKind] = MappingProxyType(
    {
        # Both operating kinds share one template.
        Kind.MAIN_OPERATING: DocumentKind(
            "driftsavtale.docx",
            operating_context,
            _schema(OPERATING_FIELDS),
            examples.MAIN_OPERATING,
        ),
        Kind.OPERATING: DocumentKind(
            "driftsavtale.docx", operating_context, _schema(OPERATING_FIELDS), examples.OPERATING
        ),
        Kind.SERVICE: DocumentKind(
            "tjenesteavtale.docx", service_context, _schema(SERVICE_FIELDS), examples.SERVICE
        ),
        Kind.DATA_PROCESSOR: DocumentKind(
            "databehandleravtale.docx",
            data_processor_context,
            _schema(DPA_FIELDS),
            examples.DATA_PROCESSOR,
        ),
        Kind.OTHER: DocumentKind(
            "annen_avtale.docx", other_context, _schema(OTHER_FIELDS), examples.OTHER
        ),
    }
)

#: kind -> the full schema of its context; kind -> the top-level names its template may use.
FIELDS: Mapping[str, dict[str, Any]] = {k: d.schema for k, d in DOCUMENT_KINDS.items()}
CONTEXT_NAMES: Mapping[str, frozenset[str]] = {k: frozenset(s) for k, s in FIELDS.items()}


def document_kind(kind: str) -> DocumentKind:
    """The entry of ``kind``; ``KeyError`` for an unknown kind."""
    return DOCUMENT_KINDS[kind]


def context_errors(kind: str, context: dict[str, Any]) -> list[str]:
    """Return where ``context`` departs from the schema of ``kind`` (empty list: it matches).

    See ``schema.schema_errors``; an unknown kind is reported, not raised. Meant for tests of
    the context builder.
    """
    if kind not in DOCUMENT_KINDS:
        return [f"unknown kind {kind!r}"]
    return schema_errors(FIELDS[kind], context)


def example_terms(kind: str) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The example terms of ``kind`` as ``agreements.terms.do_update_terms`` takes them:
    (fields, rows), a fresh deep copy. Raises ``KeyError`` for an unknown kind."""
    example = DOCUMENT_KINDS[kind].example
    return copy.deepcopy(dict(example.fields)), copy.deepcopy(dict(example.rows))


def example_context(kind: str) -> dict[str, Any]:
    """Return a realistic, fully populated example context for ``kind`` (a fresh deep copy).

    Every list that fills a table has at least one item, so rendering it exercises every table
    loop of a template. Raises ``KeyError`` for an unknown kind.
    """
    entry = DOCUMENT_KINDS[kind]
    example = entry.example
    with translation.override(DOCUMENT_LANGUAGE):
        context = {
            **copy.deepcopy(examples.COMMON),
            "kind": kind,
            "kind_label": kind_label(kind),
            "parent": agreement_ref(*example.parent) if example.parent else None,
            **copy.deepcopy(dict(example.common)),
        }
        context.update(entry.build(_ExampleSource(kind, example, context)))
        for signatory, side in zip(context["signatories"], ("customer", "provider"), strict=True):
            signatory["role"] = party_label(kind, side)
    return context


class _ExampleSource:
    """The example terms as unsaved rows, read by the same builders as an agreement's."""

    def __init__(self, kind: str, example: Example, context: dict[str, Any]):
        spec = kind_spec(kind)
        fields, rows = example_terms(kind)
        self.terms: models.Model = spec.terms_model(**fields)
        self.rows: Mapping[str, Sequence[models.Model]] = {
            name: [model(**item) for item in rows.get(name, [])]
            for name, model in spec.row_models.items()
        }
        self.title = context["title"]
        self.description = ""
        self._parties = {"customer": context["customer"], "provider": context["provider"]}
        self._children = example.children
        self._appendix_files = example.appendix_files

    def party_name(self, party: str) -> str:
        return self._parties[party]["name"]

    def child_agreements(self) -> list[dict[str, str]]:
        return [agreement_ref(*child) for child in self._children]

    def data_processor_agreements(self) -> list[dict[str, str]]:
        return [
            agreement_ref(*child) for child in self._children if child[2] == Kind.DATA_PROCESSOR
        ]

    def appendix_files(self) -> Mapping[int, list[str]]:
        return self._appendix_files
