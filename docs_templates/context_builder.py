"""Build a template's context from an agreement's rows, exactly as ``context.FIELDS`` describes.

An item of the data processor checklist marked not applicable prints as «Ikke aktuelt»; a
yes/no or number not yet answered prints as «Nei»/0 (a draft may be generated for reading
before the checklist is complete; review cannot start until it is).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from agreements.models import Agreement, DataProcessorTerms
from agreements.terms import terms_of
from docs_templates.context import KIND_LABELS

NOT_APPLICABLE = "Ikke aktuelt"


def build_context(agreement: Agreement, *, today: date | None = None) -> dict[str, Any]:
    """Return the context of ``agreement``'s Word template (a plain dict; see ``context.py``).

    ``today`` is the document's date (default: today in Europe/Oslo); it also stands in for a
    start date that is not set yet.
    """
    today = today or timezone.localdate()
    context = _common(agreement, today)
    context.update(_KIND_BUILDERS[agreement.kind](agreement))
    return context


def _party(organisation) -> dict[str, str]:
    return {"name": organisation.name, "org_number": organisation.org_number}


def _agreement_ref(agreement: Agreement) -> dict[str, str]:
    return {
        "reference": agreement.reference,
        "title": agreement.title,
        "kind_label": KIND_LABELS[agreement.kind],
    }


def _common(agreement: Agreement, today: date) -> dict[str, Any]:
    signatures = {s.party_id: s for s in agreement.signatures.select_related("signed_by")}
    signatories = []
    for party in (agreement.customer, agreement.provider):
        signature = signatures.get(party.pk)
        signatories.append(
            {
                "party": party.name,
                "name": str(signature.signed_by) if signature else "",
                "title": "",
            }
        )
    return {
        "reference": agreement.reference,
        "title": agreement.title,
        "kind": agreement.kind,
        "kind_label": KIND_LABELS[agreement.kind],
        "customer": _party(agreement.customer),
        "provider": _party(agreement.provider),
        "owner": {
            "name": agreement.owner.get_full_name() or agreement.owner.username,
            "email": agreement.owner.email,
        },
        "start_date": agreement.start_date or today,
        "end_date": agreement.end_date,
        "notice_months": agreement.notice_months,
        "generated_date": today,
        "parent": _agreement_ref(agreement.parent) if agreement.parent_id else None,
        "applications": [
            {
                "name": app.name,
                "supplier": app.supplier.name if app.supplier_id else "",
                "version": app.version,
            }
            for app in agreement.applications.select_related("supplier")
        ],
        "signatories": signatories,
    }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _data_processor(agreement: Agreement) -> dict[str, Any]:
    terms: DataProcessorTerms = terms_of(agreement)

    def text(name: str) -> str:
        return NOT_APPLICABLE if getattr(terms, f"{name}_na") else getattr(terms, name)

    def lines(name: str) -> list[str]:
        return [NOT_APPLICABLE] if getattr(terms, f"{name}_na") else _lines(getattr(terms, name))

    def flag(name: str) -> bool:
        return bool(getattr(terms, name))

    transfers = terms.third_country_transfer or terms.remote_access_from_abroad
    dpa = {
        "subject_matter": text("subject_matter"),
        "nature": text("nature"),
        "purposes": lines("purposes"),
        "duration": text("duration"),
        "data_subject_categories": lines("data_subject_categories"),
        "personal_data_categories": lines("personal_data_categories"),
        "health_data": flag("health_data"),
        "national_id_numbers": flag("national_id_numbers"),
        "scale": text("scale"),
        "instructions": text("instructions"),
        "confidentiality": text("confidentiality"),
        "security_measures": []
        if terms.security_measures_na
        else [{"area": m.area, "measure": m.measure} for m in agreement.security_measures.all()],
        "sub_processor_authorisation": terms.sub_processor_authorisation,
        "objection_days": terms.objection_days or 0,
        "data_subject_rights_assistance": text("data_subject_rights_assistance"),
        "breach_notification_hours": terms.breach_notification_hours or 0,
        "dpia_assistance": text("dpia_assistance"),
        "end_of_processing": terms.end_of_processing,
        "deletion_deadline_days": terms.deletion_deadline_days or 0,
        "audit": text("audit"),
        "locations": []
        if terms.locations_na
        else [
            {"place": loc.place, "description": loc.description}
            for loc in agreement.processing_locations.all()
        ],
        "third_country_transfer": flag("third_country_transfer"),
        "transfer_countries": _lines(terms.transfer_countries) if transfers else [],
        "transfer_legal_basis": terms.transfer_legal_basis if transfers else NOT_APPLICABLE,
        "remote_access_from_abroad": flag("remote_access_from_abroad"),
        "segregation": text("segregation"),
        "risk_assessment_reference": text("risk_assessment_reference"),
        "dpo_consulted": flag("dpo_consulted"),
        "security_lead_consulted": flag("security_lead_consulted"),
    }
    sub_processors = (
        []
        if terms.sub_processors_na
        else [
            {
                "name": sp.name,
                "org_number": sp.org_number,
                "country": sp.country,
                "service": sp.service,
                "authorisation": sp.authorisation,
            }
            for sp in agreement.sub_processors.all()
        ]
    )
    return {"dpa": dpa, "sub_processors": sub_processors}


def _service(agreement: Agreement) -> dict[str, Any]:
    terms = terms_of(agreement)
    party_names = {"customer": agreement.customer.name, "provider": agreement.provider.name}
    return {
        "service": {
            "name": terms.service_name or agreement.title,
            "description": terms.description or agreement.description,
            "availability_percent": terms.availability_percent
            if terms.availability_percent is not None
            else Decimal("0"),
            "support_hours": terms.support_hours,
            "maintenance_window": terms.maintenance_window,
            "responsibilities": [
                {"activity": r.activity, "customer": r.customer, "provider": r.provider}
                for r in agreement.responsibilities.all()
            ],
            "contacts": [
                {
                    "party": party_names[c.party],
                    "role": c.role,
                    "name": c.name,
                    "email": c.email,
                    "phone": c.phone,
                }
                for c in agreement.contacts.all()
            ],
            "price_model": terms.price_model,
            "change_procedure": terms.change_procedure,
            "revision": terms.revision,
            "reporting": terms.reporting,
        },
        "service_levels": [
            {
                "incident_class": level.incident_class,
                "description": level.description,
                "response_time": level.response_time,
                "resolution_time": level.resolution_time,
            }
            for level in agreement.service_levels.all()
        ],
    }


def _operating(agreement: Agreement) -> dict[str, Any]:
    terms = terms_of(agreement)
    return {
        "operating": {"scope": terms.scope, "governance": terms.governance},
        "appendices": [
            {"number": a.number, "title": a.title, "content": a.content}
            for a in agreement.appendices.all()
        ],
        "child_agreements": [
            _agreement_ref(child)
            for child in agreement.children.exclude(status=Agreement.Status.CANCELLED).order_by(
                "reference"
            )
        ],
    }


def _other(agreement: Agreement) -> dict[str, Any]:
    terms = terms_of(agreement)
    party_names = {"customer": agreement.customer.name, "provider": agreement.provider.name}
    return {
        "other": {
            "purpose": terms.purpose,
            "description": terms.description or agreement.description,
            "responsibilities": [
                {"party": party_names[r.party], "responsibility": r.responsibility}
                for r in agreement.party_responsibilities.all()
            ],
        }
    }


_KIND_BUILDERS = {
    Agreement.Kind.DATA_PROCESSOR: _data_processor,
    Agreement.Kind.SERVICE: _service,
    Agreement.Kind.OPERATING: _operating,
    Agreement.Kind.MAIN_OPERATING: _operating,
    Agreement.Kind.OTHER: _other,
}
