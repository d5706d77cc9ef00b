"""The context schema: which variables a Word template of each agreement kind may use.

This module is the contract between the templates (edited by legal staff in Word) and the code
that builds a template's context from the agreement models. A context is a plain ``dict``:
nested objects are dicts, lists are lists of dicts (or of strings), dates are
``datetime.date``. Nothing here touches the database.

``FIELDS`` describes every variable and its nested attributes:

* a Python type (``str``, ``int``, ``bool``, ``date``, ``NUMBER``) is a leaf value;
* a ``dict`` is a nested object with exactly those keys;
* a one-element ``list`` is a list whose items match that element;
* ``Maybe(spec)`` is a value that may also be ``None`` (rendered as empty text).

``CONTEXT_NAMES[kind]`` is the set of top-level names a template of that kind may use;
``context_errors(kind, context)`` checks a built context against the schema, and
``example_context(kind)`` returns a realistic, fully populated context that every shipped
template must render with (the validator renders uploaded templates with it too).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

MAIN_OPERATING = "main_operating"
OPERATING = "operating"
SERVICE = "service"
DATA_PROCESSOR = "data_processor"
OTHER = "other"

KINDS = (MAIN_OPERATING, OPERATING, SERVICE, DATA_PROCESSOR, OTHER)

KIND_LABELS = {
    MAIN_OPERATING: "Hoved-driftsavtale",
    OPERATING: "Driftsavtale",
    SERVICE: "Tjenesteavtale",
    DATA_PROCESSOR: "Databehandleravtale",
    OTHER: "Annen avtale",
}

# Both operating kinds share one template.
TEMPLATE_FILES = {
    MAIN_OPERATING: "driftsavtale.docx",
    OPERATING: "driftsavtale.docx",
    SERVICE: "tjenesteavtale.docx",
    DATA_PROCESSOR: "databehandleravtale.docx",
    OTHER: "annen_avtale.docx",
}

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
    "kind": str,  # one of KINDS
    "kind_label": str,  # Norwegian label, e.g. "Hoved-driftsavtale"
    "customer": PARTY,  # the trust (for a DPA: the controller)
    "provider": PARTY,  # Helse Nord IKT or a supplier (for a DPA: the processor)
    "owner": {"name": str, "email": str},  # the contract owner (avtaleeier)
    "start_date": date,
    "end_date": Maybe(date),  # None: runs until terminated
    "notice_months": int,  # notice period in months
    "generated_date": date,  # the day the document was generated
    "parent": Maybe(AGREEMENT_REF),  # the agreement this one hangs under, if any
    "applications": [{"name": str, "supplier": str, "version": str}],
    "signatories": [{"party": str, "name": str, "title": str}],
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
    },
    "service_levels": [
        {"incident_class": str, "description": str, "response_time": str, "resolution_time": str}
    ],
}

OPERATING_FIELDS: dict[str, Any] = {
    "operating": {"scope": str, "governance": str},
    # SSA-D style appendices, usually Bilag 1 to 10.
    "appendices": [{"number": int, "title": str, "content": str}],
    "child_agreements": [AGREEMENT_REF],
}

OTHER_FIELDS: dict[str, Any] = {
    "other": {
        "purpose": str,
        "description": str,
        "responsibilities": [{"party": str, "responsibility": str}],
    },
}

_KIND_FIELDS = {
    MAIN_OPERATING: OPERATING_FIELDS,
    OPERATING: OPERATING_FIELDS,
    SERVICE: SERVICE_FIELDS,
    DATA_PROCESSOR: DPA_FIELDS,
    OTHER: OTHER_FIELDS,
}

#: kind -> the full schema of its context (common fields plus the kind's own).
FIELDS: dict[str, dict[str, Any]] = {
    kind: {**COMMON_FIELDS, **extra} for kind, extra in _KIND_FIELDS.items()
}

#: kind -> the top-level names a template of that kind may use.
CONTEXT_NAMES: dict[str, frozenset[str]] = {
    kind: frozenset(fields) for kind, fields in FIELDS.items()
}


def context_errors(kind: str, context: dict[str, Any]) -> list[str]:
    """Return where ``context`` departs from the schema of ``kind`` (empty list: it matches).

    Each entry names a path, e.g. ``"dpa.purposes[0]: expected str, got int"``. Missing and
    extra keys are both reported, at every level. Meant for tests of the context builder.
    """
    if kind not in FIELDS:
        return [f"unknown kind {kind!r}"]
    errors: list[str] = []
    _check(FIELDS[kind], context, "", errors)
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


def example_context(kind: str) -> dict[str, Any]:
    """Return a realistic, fully populated example context for ``kind`` (a fresh deep copy).

    Every list that fills a table has at least one item, so rendering it exercises every table
    loop of a template. Organisation numbers, people and sub-processors are illustrative.
    Raises ``KeyError`` for an unknown kind.
    """
    extra = _EXAMPLES[kind]
    context = {**copy.deepcopy(_COMMON_EXAMPLE), **copy.deepcopy(extra["fields"])}
    context.update(copy.deepcopy(extra["common"]))
    context["kind"] = kind
    context["kind_label"] = KIND_LABELS[kind]
    return context


_UNN = {"name": "Universitetssykehuset Nord-Norge HF", "org_number": "983 974 899"}
_NLSH = {"name": "Nordlandssykehuset HF", "org_number": "983 974 880"}
_HN_IKT = {"name": "Helse Nord IKT HF", "org_number": "916 879 067"}
_HN_RHF = {"name": "Helse Nord RHF", "org_number": "883 658 752"}

_COMMON_EXAMPLE: dict[str, Any] = {
    "reference": "HN-AVT-2022-001",
    "title": "Avtale",
    "kind": "",
    "kind_label": "",
    "customer": _UNN,
    "provider": _HN_IKT,
    "owner": {"name": "Kari Nordmann", "email": "kari.nordmann@unn.no"},
    "start_date": date(2022, 10, 1),
    "end_date": None,
    "notice_months": 6,
    "generated_date": date(2022, 9, 15),
    "parent": {
        "reference": "HN-HDA-2022-001",
        "title": "Hoved-driftsavtale mellom Helse Nord IKT HF og helseforetakene i Helse Nord",
        "kind_label": "Hoved-driftsavtale",
    },
    "applications": [
        {"name": "DIPS Arena", "supplier": "DIPS AS", "version": "21.2"},
        {"name": "Metavision", "supplier": "iMDsoft", "version": "6.12"},
        {"name": "Sectra PACS", "supplier": "Sectra Norge AS", "version": "24.1"},
    ],
    "signatories": [
        {
            "party": _UNN["name"],
            "name": "Marit Olsen",
            "title": "Administrerende direktør",
        },
        {
            "party": _HN_IKT["name"],
            "name": "Per Hansen",
            "title": "Administrerende direktør",
        },
    ],
}

_DPA_EXAMPLE: dict[str, Any] = {
    "dpa": {
        "subject_matter": (
            "Drift, vedlikehold og brukerstøtte for kliniske systemer som "
            "Universitetssykehuset Nord-Norge HF bruker i pasientbehandlingen."
        ),
        "nature": (
            "Lagring, sikkerhetskopiering, overvåking, feilretting og teknisk administrasjon av "
            "systemene og databasene. Databehandler leser innhold bare når det trengs for å "
            "rette feil, og da etter anmodning fra behandlingsansvarlig."
        ),
        "purposes": [
            "Yte og dokumentere helsehjelp til pasienter",
            "Sikre stabil og sikker drift av kliniske systemer",
            "Gjenopprette data etter feil eller hendelser",
        ],
        "duration": "Så lenge tjenesteavtalen for de omfattede applikasjonene gjelder.",
        "data_subject_categories": ["Pasienter", "Pårørende", "Ansatte hos behandlingsansvarlig"],
        "personal_data_categories": [
            "Navn, kontaktopplysninger og fødselsnummer",
            "Journalopplysninger, diagnoser og behandlingsopplysninger",
            "Brukeridentitet og logg over tilgang for ansatte",
        ],
        "health_data": True,
        "national_id_numbers": True,
        "scale": "Om lag 500 000 pasienter og 7 000 ansatte.",
        "instructions": (
            "Denne avtalen med bilag er behandlingsansvarliges instruks. Nye instrukser gis "
            "skriftlig av avtaleeier hos behandlingsansvarlig."
        ),
        "confidentiality": (
            "Alle som hos databehandler har tilgang til personopplysningene, har undertegnet "
            "taushetserklæring og er underlagt taushetsplikt etter helsepersonelloven § 21 "
            "og forvaltningsloven § 13."
        ),
        "security_measures": [
            {
                "area": "Tilgangsstyring",
                "measure": "Tjenstlig behov, rollebasert tilgang og tofaktorpålogging.",
            },
            {
                "area": "Logging",
                "measure": "All tilgang til helseopplysninger logges og kontrolleres jevnlig.",
            },
            {
                "area": "Kryptering",
                "measure": "Data krypteres under overføring og på lagringsmedier.",
            },
            {
                "area": "Sikkerhetskopi",
                "measure": "Daglig kopi til et annet datarom; gjenoppretting testes årlig.",
            },
        ],
        "sub_processor_authorisation": "general",
        "objection_days": 30,
        "data_subject_rights_assistance": (
            "Databehandler bistår med innsyn, retting, sletting og begrensning ved å hente ut "
            "eller endre opplysninger etter anmodning innen fem virkedager."
        ),
        "breach_notification_hours": 24,
        "dpia_assistance": (
            "Databehandler stiller med fagfolk og dokumentasjon når behandlingsansvarlig "
            "gjennomfører vurdering av personvernkonsekvenser (DPIA) eller forhåndsdrøfter "
            "med Datatilsynet."
        ),
        "end_of_processing": "return_and_delete",
        "deletion_deadline_days": 90,
        "audit": (
            "Databehandler legger årlig fram en uavhengig revisjonsrapport og gir "
            "behandlingsansvarlig eller en uavhengig revisor adgang til revisjon med 30 dagers "
            "varsel."
        ),
        "locations": [
            {"place": "Tromsø, Norge", "description": "Primært datarom"},
            {"place": "Bodø, Norge", "description": "Sekundært datarom og sikkerhetskopi"},
        ],
        "third_country_transfer": False,
        "transfer_countries": [],
        "transfer_legal_basis": "Ikke aktuelt",
        "remote_access_from_abroad": False,
        "segregation": (
            "Databehandler betjener flere helseforetak. Opplysningene til hvert foretak holdes "
            "logisk adskilt i egne databaser med egen tilgangsstyring."
        ),
        "risk_assessment_reference": "ROS-analyse UNN-ROS-2022-031 av 12.08.2022",
        "dpo_consulted": True,
        "security_lead_consulted": True,
    },
    "sub_processors": [
        {
            "name": "Nordlys Datasenter AS",
            "org_number": "912 345 678",
            "country": "Norge",
            "service": "Datasenter, strøm, kjøling og fysisk sikring",
            "authorisation": "Godkjent 01.03.2022",
        },
        {
            "name": "Polarsikring Backup AS",
            "org_number": "923 456 789",
            "country": "Norge",
            "service": "Lagring av sikkerhetskopier utenfor eget datarom",
            "authorisation": "Godkjent 15.06.2022",
        },
    ],
}

_SERVICE_EXAMPLE: dict[str, Any] = {
    "service": {
        "name": "Elektronisk pasientjournal (DIPS Arena)",
        "description": (
            "Drift, teknisk forvaltning og brukerstøtte for DIPS Arena med tilhørende "
            "integrasjoner, herunder servere, databaser, klientdistribusjon, oppgraderinger "
            "og sikkerhetsoppdateringer."
        ),
        "availability_percent": Decimal("99.5"),
        "support_hours": (
            "Hverdager kl. 07.30–15.30. Hendelser i klasse A håndteres hele døgnet, alle dager."
        ),
        "maintenance_window": "Tirsdager kl. 18.00–22.00, varslet minst fem virkedager før.",
        "responsibilities": [
            {"activity": "Drift av servere og databaser", "customer": "I", "provider": "A/R"},
            {"activity": "Oppgradering til ny versjon", "customer": "A/C", "provider": "R"},
            {"activity": "Opplæring av sluttbrukere", "customer": "A/R", "provider": "C"},
            {"activity": "Tilgangsstyring for brukere", "customer": "A", "provider": "R"},
        ],
        "contacts": [
            {
                "party": _UNN["name"],
                "role": "Systemeier",
                "name": "Ola Nordmann",
                "email": "ola.nordmann@unn.no",
                "phone": "+47 77 62 60 00",
            },
            {
                "party": _HN_IKT["name"],
                "role": "Tjenesteansvarlig",
                "name": "Ingrid Johansen",
                "email": "ingrid.johansen@hnikt.no",
                "phone": "+47 75 51 29 00",
            },
        ],
        "price_model": (
            "Fast årlig pris per bruker etter gjeldende prisliste for Helse Nord IKT HF. "
            "Timebasert bistand utover avtalen faktureres etter medgått tid."
        ),
        "change_procedure": (
            "Endringer bestilles skriftlig i tjenesteportalen. Leverandøren gir estimat innen "
            "ti virkedager, og endringen gjennomføres når kunden har godkjent estimatet."
        ),
        "revision": "Avtalen gjennomgås hvert år innen 1. oktober.",
        "reporting": "Månedlig rapport om tilgjengelighet, hendelser og avvik fra tjenestenivå.",
    },
    "service_levels": [
        {
            "incident_class": "A",
            "description": "Kritisk: tjenesten er nede eller pasientsikkerheten er truet",
            "response_time": "15 minutter",
            "resolution_time": "4 timer",
        },
        {
            "incident_class": "B",
            "description": "Alvorlig: vesentlige funksjoner virker ikke for mange brukere",
            "response_time": "1 time",
            "resolution_time": "1 virkedag",
        },
        {
            "incident_class": "C",
            "description": "Mindre alvorlig: feil med omvei eller få brukere berørt",
            "response_time": "1 virkedag",
            "resolution_time": "10 virkedager",
        },
    ],
}

_SSA_D_APPENDICES = [
    (1, "Kundens beskrivelse av driftstjenesten", "Kundens krav til driftstjenesten."),
    (2, "Leverandørens løsningsbeskrivelse", "Hvordan leverandøren oppfyller kravene."),
    (3, "Driftsobjekter", "Applikasjoner, servere og infrastruktur som omfattes."),
    (4, "Plan for etablering av driftstjenesten", "Milepæler for overtakelse og etablering."),
    (5, "Tjenestenivå med standardiserte kompensasjoner", "Tjenestenivåer og kompensasjon."),
    (6, "Administrative bestemmelser", "Kontaktpersoner, møter, rapportering og styring."),
    (7, "Samlet pris og prisbestemmelser", "Prismodell, fakturering og prisregulering."),
    (8, "Endringer i den generelle avtaleteksten", "Ingen endringer."),
    (9, "Endringer av driftstjenesten etter avtaleinngåelsen", "Logg over avtalte endringer."),
    (10, "Tredjepartsvilkår", "Lisens- og bruksvilkår fra tredjeparter."),
]

_OPERATING_EXAMPLE: dict[str, Any] = {
    "operating": {
        "scope": (
            "Drift og teknisk forvaltning av IKT-infrastruktur, arbeidsflate og applikasjoner "
            "som helseforetaket bruker, med brukerstøtte og sikkerhetsovervåking."
        ),
        "governance": (
            "Partene holder styringsmøte hvert tertial og et årlig strategimøte. "
            "Tjenesteavtaler og databehandleravtaler under denne avtalen gjennomgås årlig."
        ),
    },
    "appendices": [
        {"number": number, "title": title, "content": content}
        for number, title, content in _SSA_D_APPENDICES
    ],
    "child_agreements": [
        {
            "reference": "HN-TA-2022-014",
            "title": "Tjenesteavtale for elektronisk pasientjournal (DIPS Arena)",
            "kind_label": "Tjenesteavtale",
        },
        {
            "reference": "HN-DBA-2022-017",
            "title": "Databehandleravtale for drift av kliniske systemer",
            "kind_label": "Databehandleravtale",
        },
    ],
}

_OTHER_EXAMPLE: dict[str, Any] = {
    "other": {
        "purpose": (
            "Avtalen overfører teknisk og merkantil forvaltning av applikasjonene nedenfor fra "
            "helseforetaket til Helse Nord IKT HF, jf. oppdragsdokumentets krav 89."
        ),
        "description": (
            "Helse Nord IKT HF overtar lisenser, leverandøroppfølging, fakturakontroll, "
            "prisregulering og fornyelser, samt drift, oppdateringer og integrasjoner."
        ),
        "responsibilities": [
            {
                "party": _NLSH["name"],
                "responsibility": "Systemeierskap, prioritering av behov og opplæring.",
            },
            {
                "party": _HN_IKT["name"],
                "responsibility": "Teknisk og merkantil forvaltning fra overtakelsesdato.",
            },
        ],
    },
}

_EXAMPLES: dict[str, dict[str, Any]] = {
    DATA_PROCESSOR: {
        "fields": _DPA_EXAMPLE,
        "common": {
            "reference": "HN-DBA-2022-017",
            "title": "Databehandleravtale for drift av kliniske systemer",
        },
    },
    SERVICE: {
        "fields": _SERVICE_EXAMPLE,
        "common": {
            "reference": "HN-TA-2022-014",
            "title": "Tjenesteavtale for elektronisk pasientjournal (DIPS Arena)",
            "end_date": date(2025, 9, 30),
            "notice_months": 3,
        },
    },
    MAIN_OPERATING: {
        "fields": _OPERATING_EXAMPLE,
        "common": {
            "reference": "HN-HDA-2022-001",
            "title": "Hoved-driftsavtale mellom Helse Nord IKT HF og helseforetakene i Helse Nord",
            "parent": None,
            "customer": _HN_RHF,
            "notice_months": 12,
            "signatories": [
                {
                    "party": _HN_RHF["name"],
                    "name": "Siri Eriksen",
                    "title": "Administrerende direktør",
                },
                {
                    "party": _HN_IKT["name"],
                    "name": "Per Hansen",
                    "title": "Administrerende direktør",
                },
            ],
        },
    },
    OPERATING: {
        "fields": _OPERATING_EXAMPLE,
        "common": {
            "reference": "HN-DA-2022-004",
            "title": "Driftsavtale for Universitetssykehuset Nord-Norge HF",
            "notice_months": 12,
        },
    },
    OTHER: {
        "fields": _OTHER_EXAMPLE,
        "common": {
            "reference": "HN-AA-2022-031",
            "title": "Avtale om overføring av teknisk og merkantil forvaltning",
            "customer": _NLSH,
            "signatories": [
                {"party": _NLSH["name"], "name": "Hanne Berg", "title": "Administrerende direktør"},
                {
                    "party": _HN_IKT["name"],
                    "name": "Per Hansen",
                    "title": "Administrerende direktør",
                },
            ],
        },
    },
}
