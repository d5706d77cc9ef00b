"""Realistic structured terms for the demo agreements, per kind (Norwegian, as users write them)."""

from agreements.models import Agreement

Kind = Agreement.Kind


def _dpa(agreement):
    app = agreement.applications.first()
    system = app.name.lower() if app else "systemet"
    fields = {
        "subject_matter": f"Drift, forvaltning og brukerstøtte for {system}",
        "nature": "Lagring, sikkerhetskopiering, feilretting og tilgangsstyring",
        "purposes": "Yte forsvarlig helsehjelp\nSikre stabil og sikker drift",
        "duration": "Så lenge tilhørende tjenesteavtale gjelder",
        "data_subject_categories": "Pasienter\nPårørende\nAnsatte",
        "personal_data_categories": "Journalopplysninger\nKontaktopplysninger\nFødselsnummer",
        "health_data": True,
        "national_id_numbers": True,
        "scale": "Om lag 190 000 pasienter per år",
        "instructions": "Avtalen med bilag er den dokumenterte instruksen, også for overføring "
        "til tredjeland.",
        "confidentiality": "Alle med tilgang har signert taushetserklæring etter helsepersonelloven.",
        "sub_processor_authorisation": "general",
        "objection_days": 30,
        "data_subject_rights_assistance": "Databehandler bistår innen fem virkedager.",
        "breach_notification_hours": 24,
        "dpia_assistance": "Databehandler stiller fagfolk til rådighet for DPIA og forhåndsdrøfting.",
        "end_of_processing": "return_and_delete",
        "deletion_deadline_days": 90,
        "audit": "Årlig revisjonsrapport og rett til stedlig revisjon med 30 dagers varsel.",
        "third_country_transfer": False,
        "remote_access_from_abroad": False,
        "segregation": "Egne databaser og tilgangsgrupper per helseforetak.",
        "risk_assessment_reference": "ROS-2026-014",
        "dpo_consulted": True,
        "security_lead_consulted": True,
    }
    rows = {
        "security_measures": [
            {"area": "Tilgangsstyring", "measure": "Tofaktor og rollebasert tilgang"},
            {"area": "Logging", "measure": "Tilgangslogg gjennomgås månedlig"},
            {"area": "Kryptering", "measure": "Kryptert lagring og overføring"},
        ],
        "sub_processors": [
            {
                "name": "Nordlys Journal AS",
                "org_number": "",
                "country": "Norge",
                "service": "Applikasjonsforvaltning",
                "authorisation": "Generell forhåndsgodkjenning",
            }
        ],
        "processing_locations": [
            {"place": "Tromsø", "description": "Primært datarom"},
            {"place": "Bodø", "description": "Sekundært datarom"},
        ],
    }
    return fields, rows


def _service(agreement):
    app = agreement.applications.first()
    name = app.name if app else agreement.title
    fields = {
        "service_name": name,
        "description": f"Helse Nord IKT drifter og forvalter {name.lower()} for helseforetaket.",
        "availability_percent": "99.5",
        "support_hours": "Hverdager 07–17, kritiske feil hele døgnet",
        "maintenance_window": "Tirsdager 18–22",
        "price_model": "Fast månedspris per bruker, regulert årlig etter konsumprisindeksen",
        "change_procedure": "Endringer meldes i tjenesteportalen og behandles i endringsrådet.",
        "revision": "Avtalen revideres årlig innen 1. oktober.",
        "reporting": "Månedlig tjenesterapport med oppetid og saker per hendelsesklasse.",
    }
    rows = {
        "service_levels": [
            {
                "incident_class": "A",
                "description": "Tjenesten er nede",
                "response_time": "30 min",
                "resolution_time": "4 timer",
            },
            {
                "incident_class": "B",
                "description": "Alvorlig redusert",
                "response_time": "2 timer",
                "resolution_time": "1 virkedag",
            },
            {
                "incident_class": "C",
                "description": "Mindre feil",
                "response_time": "1 virkedag",
                "resolution_time": "10 virkedager",
            },
        ],
        "responsibilities": [
            {"activity": "Drift og overvåking", "customer": "I", "provider": "A"},
            {"activity": "Brukeradministrasjon", "customer": "A", "provider": "R"},
        ],
        "contacts": [
            {
                "party": "customer",
                "role": "Systemeier",
                "name": "Kari Nilsen",
                "email": "kari.nilsen@example.org",
                "phone": "77 00 00 00",
            },
            {
                "party": "provider",
                "role": "Tjenesteansvarlig",
                "name": "Ivar Tjeneste",
                "email": "ivar@example.org",
                "phone": "75 00 00 00",
            },
        ],
    }
    return fields, rows


def _operating(agreement):
    fields = {
        "scope": "Drift av infrastruktur, klienter og applikasjoner for helseforetaket.",
        "governance": "Kvartalsvise styringsmøter mellom partene; avvik løftes til direktørnivå.",
    }
    rows = {
        "appendices": [
            {"number": 1, "content": "Kundens krav til driftstjenesten"},
            {"number": 3, "content": "Oversikt over systemer som driftes"},
            {"number": 5, "content": "Tjenestenivåer og standardiserte kompensasjoner"},
            {"number": 7, "content": "Priser og prisregulering"},
        ]
    }
    return fields, rows


def _other(agreement):
    fields = {
        "purpose": "Overføre merkantil forvaltning av applikasjoner til Helse Nord IKT.",
        "description": "Lisenser, fakturaer, prisregulering og fornyelser følges opp av "
        "Helse Nord IKT fra overføringsdatoen.",
    }
    rows = {
        "party_responsibilities": [
            {
                "party": "customer",
                "responsibility": "Gir oversikt over avtaler og lisenser",
            },
            {
                "party": "provider",
                "responsibility": "Overtar oppfølging av leverandører",
            },
        ]
    }
    return fields, rows


BUILDERS = {
    Kind.DATA_PROCESSOR: _dpa,
    Kind.SERVICE: _service,
    Kind.OPERATING: _operating,
    Kind.MAIN_OPERATING: _operating,
    Kind.OTHER: _other,
}


def demo_terms(agreement) -> tuple[dict, dict]:
    return BUILDERS[agreement.kind](agreement)
