"""The context schema: the shape of the variables a Word template may use.

This module is the contract between the templates (edited by legal staff in Word) and the code
that builds a template's context from the agreement models. A context is a plain ``dict``:
nested objects are dicts, lists are lists of dicts (or of strings), dates are
``datetime.date``. Nothing here touches the database.

A schema describes every variable and its nested attributes:

* a Python type (``str``, ``int``, ``bool``, ``date``, ``NUMBER``) is a leaf value;
* a ``dict`` is a nested object with exactly those keys;
* a one-element ``list`` is a list whose items match that element;
* ``Maybe(spec)`` is a value that may also be ``None`` (rendered as empty text).

Every template may use ``COMMON_FIELDS``; each kind adds its own fields (``DPA_FIELDS``, ...),
and ``docs_templates.kinds`` names which. ``schema_errors`` checks a value against a schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

NUMBER = (int, float, Decimal)


@dataclass(frozen=True)
class Maybe:
    """A schema value that may also be ``None``."""

    spec: Any


PARTY = {"name": str, "org_number": str}
AGREEMENT_REF = {"reference": str, "title": str, "kind_label": str}

COMMON_FIELDS: dict[str, Any] = {
    "reference": str,  # the agreement's reference, e.g. "HN-DBA-2022-017"
    "title": str,
    "kind": str,  # an Agreement.Kind value
    "kind_label": str,  # the kind's name, e.g. "Hoveddriftsavtale"
    "customer": PARTY,  # the trust (for a DPA: the controller)
    "provider": PARTY,  # Helse Nord IKT or a supplier (for a DPA: the processor)
    "owner": {"name": str, "email": str},  # the contract owner (avtaleeier)
    "start_date": date,
    "end_date": Maybe(date),  # None: runs until terminated
    "notice_months": int,  # notice period in months
    "generated_date": date,  # the day the document was generated
    "parent": Maybe(AGREEMENT_REF),  # the agreement this one hangs under, if any
    "applications": [{"name": str, "supplier": str, "version": str}],
    # One per party: its name, its role in this kind ("Behandlingsansvarlig", "Kunde", ...), and
    # once it has signed, who signed, their title if known and the day (electronic signature).
    "signatories": [{"party": str, "role": str, "name": str, "title": str, "date": Maybe(date)}],
}

DPA_FIELDS: dict[str, Any] = {
    "dpa": {
        # What is processed (Art. 28(3), first sentence); Bilag 1.
        "subject_matter": str,
        "nature": str,
        "purposes": [str],
        "duration": str,
        "data_subject_categories": [str],  # patients, relatives, employees, others
        "personal_data_categories": [str],
        "health_data": bool,  # Art. 9 special category
        "national_id_numbers": bool,  # fødselsnummer / D-nummer
        "scale": str,
        # Art. 28(3) (a) to (h).
        "instructions": str,  # (a), including on third-country transfers
        "confidentiality": str,  # (b)
        "security_measures": [{"area": str, "measure": str}],  # (c), Bilag 2
        "sub_processor_authorisation": str,  # (d) "specific" or "general"
        "objection_days": int,  # (d) days the controller has to object under general authorisation
        "data_subject_rights_assistance": str,  # (e)
        "breach_notification_hours": int,  # (f)
        "dpia_assistance": str,  # (f) DPIA and prior consultation
        "end_of_processing": str,  # (g) "delete", "return" or "return_and_delete"
        "deletion_deadline_days": int,  # (g)
        "audit": str,  # (h)
        # Locations and transfers; Bilag 4. Remote access from abroad counts as a transfer.
        "locations": [{"place": str, "description": str}],
        "third_country_transfer": bool,
        "transfer_countries": [str],
        "transfer_legal_basis": str,
        "remote_access_from_abroad": bool,
        # Health sector (Normen).
        "segregation": str,  # how data of several controllers is kept apart
        "risk_assessment_reference": str,  # the ROS or DPIA the agreement rests on
        "dpo_consulted": bool,  # personvernombudet
        "security_lead_consulted": bool,  # informasjonssikkerhetsleder
    },
    "sub_processors": [
        {"name": str, "org_number": str, "country": str, "service": str, "authorisation": str}
    ],
}

SERVICE_FIELDS: dict[str, Any] = {
    "service": {
        "name": str,
        "description": str,
        "availability_percent": NUMBER,  # agreed availability, e.g. 99.5
        "support_hours": str,
        "maintenance_window": str,
        "responsibilities": [{"activity": str, "customer": str, "provider": str}],  # RACI
        "contacts": [{"party": str, "role": str, "name": str, "email": str, "phone": str}],
        "price_model": str,
        "change_procedure": str,
        "revision": str,  # when and how the agreement is revised each year
        "reporting": str,
        "compensation": str,  # standardised compensation (sanctions) for missed service levels
    },
    # The data processor agreements that go with the service (annexed to it), not drafts.
    "data_processor_agreements": [AGREEMENT_REF],
    "service_levels": [
        {"incident_class": str, "description": str, "response_time": str, "resolution_time": str}
    ],
}

OPERATING_FIELDS: dict[str, Any] = {
    "operating": {"scope": str, "governance": str},
    # Every SSA-D appendix, Bilag 1 to 10, in order: its text ("" when none is agreed) and the
    # names of the files attached to it.
    "appendices": [{"number": int, "title": str, "content": str, "files": [str]}],
    "child_agreements": [AGREEMENT_REF],
}

OTHER_FIELDS: dict[str, Any] = {
    "other": {
        "purpose": str,
        "description": str,
        "responsibilities": [{"party": str, "responsibility": str}],
    },
}


def schema_errors(schema: dict[str, Any], context: dict[str, Any]) -> list[str]:
    """Return where ``context`` departs from ``schema`` (empty list: it matches).

    Each entry names a path, e.g. ``"dpa.purposes[0]: expected str, got int"``. Missing and
    extra keys are both reported, at every level.
    """
    errors: list[str] = []
    _check(schema, context, "", errors)
    return errors


def _check(spec: Any, value: Any, path: str, errors: list[str]) -> None:
    where = path or "context"
    if isinstance(spec, Maybe):
        if value is not None:
            _check(spec.spec, value, path, errors)
        return
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            errors.append(f"{where}: expected dict, got {type(value).__name__}")
            return
        for key in sorted(spec.keys() - value.keys()):
            errors.append(f"{_join(path, key)}: missing")
        for key in sorted(value.keys() - spec.keys()):
            errors.append(f"{_join(path, key)}: not in the schema")
        for key in spec:
            if key in value:
                _check(spec[key], value[key], _join(path, key), errors)
        return
    if isinstance(spec, list):
        if not isinstance(value, list):
            errors.append(f"{where}: expected list, got {type(value).__name__}")
            return
        for index, item in enumerate(value):
            _check(spec[0], item, f"{path}[{index}]", errors)
        return
    expected = spec if isinstance(spec, tuple) else (spec,)
    # bool is an int in Python; an int field must not silently accept True.
    if isinstance(value, bool) and bool not in expected:
        ok = False
    elif spec is date:
        ok = isinstance(value, date)
    else:
        ok = isinstance(value, expected)
    if not ok:
        names = "/".join(t.__name__ for t in expected)
        errors.append(f"{where}: expected {names}, got {type(value).__name__}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
