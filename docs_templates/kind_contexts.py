"""What each agreement kind adds to a template's context, built from the kind's terms.

A builder reads a ``TermsSource``: the terms row and list rows of an agreement (read from the
database by ``context_builder``), or the example terms of ``docs_templates.examples`` as
unsaved rows. Both go through the same code, so the example context a template is validated
with has exactly the shape of a real one.

An item of the data processor checklist marked not applicable prints as «Ikke aktuelt»; a
yes/no or number not yet answered prints as «Nei»/0 (a draft may be generated for reading
before the checklist is complete; review cannot start until it is).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.db import models
from django.utils import translation

from agreements.checklist import MANDATORY_KEYS
from agreements.kinds import kind_spec
from agreements.models import OperatingAppendix

NOT_APPLICABLE = "Ikke aktuelt"

# Agreement documents are written in Norwegian, whatever language the person ordering one reads.
DOCUMENT_LANGUAGE = "nb"


class TermsSource(Protocol):
    """An agreement's terms as the builders read them."""

    terms: models.Model
    rows: Mapping[str, Sequence[models.Model]]
    title: str
    description: str

    def party_name(self, party: str) -> str:
        """The name of the ``"customer"`` or the ``"provider"``."""

    def child_agreements(self) -> list[dict[str, str]]:
        """``agreement_ref``s of the agreements under this one."""

    def data_processor_agreements(self) -> list[dict[str, str]]:
        """``agreement_ref``s of the data processor agreements annexed to this one."""

    def appendix_files(self) -> Mapping[int, list[str]]:
        """The names of the files attached to each appendix, by appendix number."""


def kind_label(kind: str) -> str:
    """The kind's one name (``agreements.kinds``), in the documents' language."""
    with translation.override(DOCUMENT_LANGUAGE):
        return str(kind_spec(kind).label)


def agreement_ref(reference: str, title: str, kind: str) -> dict[str, str]:
    return {"reference": reference, "title": title, "kind_label": kind_label(kind)}


def _na(terms, key: str) -> bool:
    """The checklist item ``key`` is "ikke aktuelt" (never a mandatory Art. 28(3) item)."""
    return key not in MANDATORY_KEYS and getattr(terms, f"{key}_na")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def data_processor_context(source: TermsSource) -> dict[str, Any]:
    terms = source.terms
    sub_processors = (
        []
        if _na(terms, "sub_processors")
        else [
            {
                "name": sp.name,
                "org_number": sp.org_number,
                "country": sp.country,
                "service": sp.service,
                "authorisation": sp.authorisation,
            }
            for sp in source.rows["sub_processors"]
        ]
    )
    return {
        "dpa": {**_dpa_checklist(terms), **_dpa_lists_and_transfers(source)},
        "sub_processors": sub_processors,
    }


# The checklist items by how they print; each has a ``*_na`` flag except the yes/no answers.
_TEXT_ITEMS = (
    "subject_matter",
    "nature",
    "duration",
    "scale",
    "instructions",
    "confidentiality",
    "data_subject_rights_assistance",
    "dpia_assistance",
    "audit",
    "segregation",
    "risk_assessment_reference",
)
_LINE_ITEMS = ("purposes", "data_subject_categories", "personal_data_categories")
_YES_NO = (
    "health_data",
    "national_id_numbers",
    "third_country_transfer",
    "remote_access_from_abroad",
    "dpo_consulted",
    "security_lead_consulted",
)


def _dpa_checklist(terms) -> dict[str, Any]:
    """The checklist items that are text, lines, yes/no or numbers."""

    def text(name: str) -> str:
        return NOT_APPLICABLE if _na(terms, name) else getattr(terms, name)

    def lines(name: str) -> list[str]:
        return [NOT_APPLICABLE] if _na(terms, name) else _lines(getattr(terms, name))

    return {
        **{name: text(name) for name in _TEXT_ITEMS},
        **{name: lines(name) for name in _LINE_ITEMS},
        **{name: bool(getattr(terms, name)) for name in _YES_NO},
        "sub_processor_authorisation": terms.sub_processor_authorisation,
        "objection_days": terms.objection_days or 0,
        "breach_notification_hours": terms.breach_notification_hours or 0,
        "end_of_processing": terms.end_of_processing,
        "deletion_deadline_days": terms.deletion_deadline_days or 0,
    }


def _dpa_lists_and_transfers(source: TermsSource) -> dict[str, Any]:
    terms = source.terms
    transfers = terms.third_country_transfer or terms.remote_access_from_abroad
    return {
        "security_measures": []
        if _na(terms, "security_measures")
        else [{"area": m.area, "measure": m.measure} for m in source.rows["security_measures"]],
        "locations": []
        if _na(terms, "locations")
        else [
            {"place": loc.place, "description": loc.description}
            for loc in source.rows["processing_locations"]
        ],
        "transfer_countries": _lines(terms.transfer_countries) if transfers else [],
        "transfer_legal_basis": terms.transfer_legal_basis if transfers else NOT_APPLICABLE,
    }


def service_context(source: TermsSource) -> dict[str, Any]:
    terms = source.terms
    return {
        "service": {
            "name": terms.service_name or source.title,
            "description": terms.description or source.description,
            "availability_percent": terms.availability_percent
            if terms.availability_percent is not None
            else Decimal("0"),
            "support_hours": terms.support_hours,
            "maintenance_window": terms.maintenance_window,
            "responsibilities": [
                {"activity": r.activity, "customer": r.customer, "provider": r.provider}
                for r in source.rows["responsibilities"]
            ],
            "contacts": [
                {
                    "party": source.party_name(c.party),
                    "role": c.role,
                    "name": c.name,
                    "email": c.email,
                    "phone": c.phone,
                }
                for c in source.rows["contacts"]
            ],
            "price_model": terms.price_model,
            "change_procedure": terms.change_procedure,
            "revision": terms.revision,
            "reporting": terms.reporting,
            "compensation": terms.compensation,
        },
        "data_processor_agreements": source.data_processor_agreements(),
        "service_levels": [
            {
                "incident_class": level.incident_class,
                "description": level.description,
                "response_time": level.response_time,
                "resolution_time": level.resolution_time,
            }
            for level in source.rows["service_levels"]
        ],
    }


def operating_context(source: TermsSource) -> dict[str, Any]:
    """Every SSA-D appendix is listed, as the general text cites them all; one the drafter left
    out has no text."""
    terms = source.terms
    texts = {a.number: a.content for a in source.rows["appendices"]}
    files = source.appendix_files()
    return {
        "operating": {"scope": terms.scope, "governance": terms.governance},
        "appendices": [
            {
                "number": number,
                "title": str(title),
                "content": texts.get(number, ""),
                "files": list(files.get(number, [])),
            }
            for number, title in OperatingAppendix.Number.choices
        ],
        "child_agreements": source.child_agreements(),
    }


def other_context(source: TermsSource) -> dict[str, Any]:
    terms = source.terms
    return {
        "other": {
            "purpose": terms.purpose,
            "description": terms.description or source.description,
            "responsibilities": [
                {"party": source.party_name(r.party), "responsibility": r.responsibility}
                for r in source.rows["party_responsibilities"]
            ],
        }
    }
