"""Realistic example data for every agreement kind (Norwegian, as users write it).

The one source of example terms: every shipped template must render with the example context
made from them (``docs_templates.kinds.example_context``; the validator renders uploaded
templates with it too), the demo seeds its agreements' terms from them, and the tests fill
terms with them. Terms are written as the terms page stores them: ``fields`` are the columns of
the kind's terms row, ``rows`` the columns of its list rows by related name. Organisation
numbers, people and sub-processors are illustrative.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from agreements.models import Agreement

Kind = Agreement.Kind

UNN = {"name": "Universitetssykehuset Nord-Norge HF", "org_number": "983 974 899"}
NLSH = {"name": "Nordlandssykehuset HF", "org_number": "983 974 880"}
HN_IKT = {"name": "Helse Nord IKT HF", "org_number": "916 879 067"}
HN_RHF = {"name": "Helse Nord RHF", "org_number": "883 658 752"}

# (reference, title, kind) of the agreements the examples hang under or have under them.
MAIN_OPERATING_REF = (
    "HN-HDA-2022-001",
    "Hoveddriftsavtale mellom Helse Nord IKT HF og helseforetakene i Helse Nord",
    Kind.MAIN_OPERATING,
)
SERVICE_REF = (
    "HN-TA-2022-014",
    "Tjenesteavtale for elektronisk pasientjournal (DIPS Arena)",
    Kind.SERVICE,
)
DATA_PROCESSOR_REF = (
    "HN-DBA-2022-017",
    "Databehandleravtale for drift av kliniske systemer",
    Kind.DATA_PROCESSOR,
)


def _director(party: dict, name: str) -> dict[str, Any]:
    # "role" is the party's role in the kind (set by ``kinds.example_context``).
    return {
        "party": party["name"],
        "role": "",
        "name": name,
        "title": "Administrerende direktør",
        "date": date(2022, 9, 20),
    }


# The common part of every example context, except the parent and the kind, which the example
# of each kind sets.
COMMON: dict[str, Any] = {
    "reference": "HN-AVT-2022-001",
    "title": "Avtale",
    "customer": UNN,
    "provider": HN_IKT,
    "owner": {"name": "Kari Nordmann", "email": "kari.nordmann@unn.no"},
    "start_date": date(2022, 10, 1),
    "end_date": None,
    "notice_months": 6,
    "generated_date": date(2022, 9, 15),
    "applications": [
        {"name": "DIPS Arena", "supplier": "DIPS AS", "version": "21.2"},
        {"name": "Metavision", "supplier": "iMDsoft", "version": "6.12"},
        {"name": "Sectra PACS", "supplier": "Sectra Norge AS", "version": "24.1"},
    ],
    "signatories": [_director(UNN, "Marit Olsen"), _director(HN_IKT, "Per Hansen")],
}


@dataclass(frozen=True)
class Example:
    """The example of one kind.

    ``common`` overrides entries of ``COMMON``; ``parent`` and ``children`` are
    (reference, title, kind) of the agreements above and below it.
    """

    fields: Mapping[str, Any]
    rows: Mapping[str, list[dict[str, Any]]]
    common: Mapping[str, Any] = field(default_factory=dict)
    parent: tuple[str, str, str] | None = MAIN_OPERATING_REF
    children: tuple[tuple[str, str, str], ...] = ()
    # Operating agreements: the names of the files attached to each appendix, by number.
    appendix_files: Mapping[int, list[str]] = field(default_factory=dict)


DATA_PROCESSOR = Example(
    fields={
        "subject_matter": (
            "Drift, vedlikehold og brukerstøtte for kliniske systemer som "
            "Universitetssykehuset Nord-Norge HF bruker i pasientbehandlingen."
        ),
        "nature": (
            "Lagring, sikkerhetskopiering, overvåking, feilretting og teknisk administrasjon av "
            "systemene og databasene. Databehandler leser innhold bare når det trengs for å "
            "rette feil, og da etter anmodning fra behandlingsansvarlig."
        ),
        "purposes": (
            "Yte og dokumentere helsehjelp til pasienter\n"
            "Sikre stabil og sikker drift av kliniske systemer\n"
            "Gjenopprette data etter feil eller hendelser"
        ),
        "duration": "Så lenge tjenesteavtalen for de omfattede applikasjonene gjelder.",
        "data_subject_categories": "Pasienter\nPårørende\nAnsatte hos behandlingsansvarlig",
        "personal_data_categories": (
            "Navn, kontaktopplysninger og fødselsnummer\n"
            "Journalopplysninger, diagnoser og behandlingsopplysninger\n"
            "Brukeridentitet og logg over tilgang for ansatte"
        ),
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
        "third_country_transfer": False,
        "remote_access_from_abroad": False,
        "segregation": (
            "Databehandler betjener flere helseforetak. Opplysningene til hvert foretak holdes "
            "logisk adskilt i egne databaser med egen tilgangsstyring."
        ),
        "risk_assessment_reference": "ROS-analyse UNN-ROS-2022-031 av 12.08.2022",
        "dpo_consulted": True,
        "security_lead_consulted": True,
    },
    rows={
        "security_measures": [
            {
                "area": "Tilgangsstyring",
                "measure": "Tofaktorpålogging, tjenstlig behov og rollebasert tilgang.",
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
        "processing_locations": [
            {"place": "Tromsø, Norge", "description": "Primært datarom"},
            {"place": "Bodø, Norge", "description": "Sekundært datarom og sikkerhetskopi"},
        ],
    },
    common={"reference": DATA_PROCESSOR_REF[0], "title": DATA_PROCESSOR_REF[1]},
)

SERVICE = Example(
    fields={
        "service_name": "Elektronisk pasientjournal (DIPS Arena)",
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
        "compensation": (
            "For hver påbegynte time en hendelse i klasse A varer utover løsningstiden, og for "
            "hvert påbegynte tiendedels prosentpoeng tilgjengeligheten i en måned er under "
            "avtalt nivå, betaler leverandøren 2 % av tjenestens månedspris, samlet høyst 20 % "
            "av månedsprisen."
        ),
    },
    rows={
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
        "responsibilities": [
            {"activity": "Drift av servere og databaser", "customer": "I", "provider": "A/R"},
            {"activity": "Oppgradering til ny versjon", "customer": "A/C", "provider": "R"},
            {"activity": "Opplæring av sluttbrukere", "customer": "A/R", "provider": "C"},
            {"activity": "Tilgangsstyring for brukere", "customer": "A", "provider": "R"},
        ],
        "contacts": [
            {
                "party": "customer",
                "role": "Systemeier",
                "name": "Ola Nordmann",
                "email": "ola.nordmann@unn.no",
                "phone": "+47 77 62 60 00",
            },
            {
                "party": "provider",
                "role": "Tjenesteansvarlig",
                "name": "Ingrid Johansen",
                "email": "ingrid.johansen@hnikt.no",
                "phone": "+47 75 51 29 00",
            },
        ],
    },
    common={
        "reference": SERVICE_REF[0],
        "title": SERVICE_REF[1],
        "end_date": date(2025, 9, 30),
        "notice_months": 3,
    },
    children=(DATA_PROCESSOR_REF,),
)

_OPERATING_FIELDS = {
    "scope": (
        "Drift og teknisk forvaltning av IKT-infrastruktur, arbeidsflate og applikasjoner "
        "som helseforetaket bruker, med brukerstøtte og sikkerhetsovervåking."
    ),
    "governance": (
        "Partene holder styringsmøte hvert tertial og et årlig strategimøte. "
        "Tjenesteavtaler og databehandleravtaler under denne avtalen gjennomgås årlig."
    ),
}

# SSA-D style appendices 1 to 10; their titles are the appendix numbers' names.
_OPERATING_ROWS = {
    "appendices": [
        {"number": number, "content": content}
        for number, content in enumerate(
            [
                "Kundens krav til driftstjenesten.",
                "Hvordan leverandøren oppfyller kravene.",
                "Applikasjoner, servere og infrastruktur som omfattes.",
                "Milepæler for overtakelse og etablering.",
                "Tjenestenivåer og kompensasjon.",
                "Kontaktpersoner, møter, rapportering og styring.",
                "Prismodell, fakturering og prisregulering.",
                "Ingen endringer.",
                "Logg over avtalte endringer.",
                "Lisens- og bruksvilkår fra tredjeparter.",
            ],
            start=1,
        )
    ]
}

_OPERATING_FILES = {
    5: ["Tjenestenivåer og kompensasjon 2022.pdf"],
    7: ["Prisliste Helse Nord IKT 2022.pdf"],
}

MAIN_OPERATING = Example(
    fields=_OPERATING_FIELDS,
    rows=_OPERATING_ROWS,
    common={
        "reference": MAIN_OPERATING_REF[0],
        "title": MAIN_OPERATING_REF[1],
        "customer": HN_RHF,
        "notice_months": 12,
        "signatories": [_director(HN_RHF, "Siri Eriksen"), _director(HN_IKT, "Per Hansen")],
    },
    parent=None,
    children=(SERVICE_REF, DATA_PROCESSOR_REF),
    appendix_files=_OPERATING_FILES,
)

OPERATING = Example(
    fields=_OPERATING_FIELDS,
    rows=_OPERATING_ROWS,
    common={
        "reference": "HN-DA-2022-004",
        "title": "Driftsavtale for Universitetssykehuset Nord-Norge HF",
        "notice_months": 12,
    },
    children=(SERVICE_REF, DATA_PROCESSOR_REF),
    appendix_files=_OPERATING_FILES,
)

OTHER = Example(
    fields={
        "purpose": (
            "Avtalen overfører teknisk og merkantil forvaltning av applikasjonene nedenfor fra "
            "helseforetaket til Helse Nord IKT HF, jf. oppdragsdokumentets krav 89."
        ),
        "description": (
            "Helse Nord IKT HF overtar lisenser, leverandøroppfølging, fakturakontroll, "
            "prisregulering og fornyelser, samt drift, oppdateringer og integrasjoner."
        ),
    },
    rows={
        "party_responsibilities": [
            {
                "party": "customer",
                "responsibility": "Systemeierskap, prioritering av behov og opplæring.",
            },
            {
                "party": "provider",
                "responsibility": "Teknisk og merkantil forvaltning fra overtakelsesdato.",
            },
        ]
    },
    common={
        "reference": "HN-AA-2022-031",
        "title": "Avtale om overføring av teknisk og merkantil forvaltning",
        "customer": NLSH,
        "signatories": [_director(NLSH, "Hanne Berg"), _director(HN_IKT, "Per Hansen")],
    },
)
