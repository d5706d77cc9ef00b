"""Build a template's context from an agreement's rows, exactly as its kind's schema describes.

The common part (parties, dates, applications, signatories) is built here; the kind's own part
by the builder named in ``docs_templates.kinds``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone, translation

from agreements.appendix_files import files_by_number
from agreements.kinds import party_label
from agreements.models import Agreement
from agreements.terms import rows_of, terms_of
from docs_templates.kind_contexts import DOCUMENT_LANGUAGE, agreement_ref, kind_label
from docs_templates.kinds import document_kind


def build_context(agreement: Agreement, *, today: date | None = None) -> dict[str, Any]:
    """Return the context of ``agreement``'s Word template (a plain dict; see ``schema.py``).

    ``today`` is the document's date (default: today in Europe/Oslo); it also stands in for a
    start date that is not set yet.
    """
    today = today or timezone.localdate()
    with translation.override(DOCUMENT_LANGUAGE):
        context = _common(agreement, today)
        context.update(document_kind(agreement.kind).build(_AgreementSource(agreement)))
    return context


def _ref(agreement: Agreement) -> dict[str, str]:
    return agreement_ref(agreement.reference, agreement.title, agreement.kind)


def _party(organisation) -> dict[str, str]:
    return {"name": organisation.name, "org_number": organisation.org_number}


def _common(agreement: Agreement, today: date) -> dict[str, Any]:
    signatures = {s.party_id: s for s in agreement.signatures.select_related("signed_by")}
    signatories = []
    for side, party in (("customer", agreement.customer), ("provider", agreement.provider)):
        signature = signatures.get(party.pk)
        signatories.append(
            {
                "party": party.name,
                "role": party_label(agreement.kind, side),
                "name": signature.signer_label if signature else "",
                "title": "",
                "date": timezone.localdate(signature.signed_at) if signature else None,
            }
        )
    return {
        "reference": agreement.reference,
        "title": agreement.title,
        "kind": agreement.kind,
        "kind_label": kind_label(agreement.kind),
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
        "parent": _ref(agreement.parent) if agreement.parent_id else None,
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


class _AgreementSource:
    """An agreement's terms as stored, for the kind's builder."""

    def __init__(self, agreement: Agreement):
        self.agreement = agreement
        self.terms = terms_of(agreement)
        self.rows = rows_of(agreement)
        self.title = agreement.title
        self.description = agreement.description

    def party_name(self, party: str) -> str:
        return {"customer": self.agreement.customer, "provider": self.agreement.provider}[
            party
        ].name

    def child_agreements(self) -> list[dict[str, str]]:
        # Only what is in force, and only the customer's own: a document never names drafts or
        # another trust's agreements, even if an old row hangs under this one.
        children = self.agreement.children.filter(
            status__in=Agreement.IN_FORCE_STATUSES, customer_id=self.agreement.customer_id
        )
        return [_ref(child) for child in children.order_by("reference")]

    def data_processor_agreements(self) -> list[dict[str, str]]:
        # The DPAs annexed to this agreement, from review on: a document names no draft, no
        # withdrawn or ended agreement and no other customer's.
        annexed = self.agreement.children.filter(
            kind=Agreement.Kind.DATA_PROCESSOR, customer_id=self.agreement.customer_id
        ).exclude(status__in=_NOT_NAMED)
        return [_ref(dpa) for dpa in annexed.order_by("reference")]

    def appendix_files(self) -> dict[int, list[str]]:
        return {
            number: [f.original_name for f in files]
            for number, files in files_by_number(self.agreement).items()
        }


_NOT_NAMED = (
    Agreement.Status.DRAFT,
    Agreement.Status.CHANGES_REQUESTED,
    Agreement.Status.CANCELLED,
    Agreement.Status.ENDED,
    Agreement.Status.REPLACED,
)
