"""Demo data of the requirement follow-up: responsible persons, 2022 T1/T2 reporting texts and
two risk assessments with measures (the RHF reader ``rhf`` comes with the register demo). Called from ``seed_demo``."""

from datetime import date

from agreements.followup.requirements import (
    do_save_risk_assessment,
    do_update_requirement,
    do_write_reporting_text,
)
from agreements.models import Organisation, Requirement, RiskAssessment, User

TEXTS = {
    88: (
        "Arbeidet med ny hoved-driftsavtale pågår; tjenesteavtalene revideres når den er på plass.",
        "Hoved-driftsavtalen er fremforhandlet. Revisjon av tjenesteavtaler og "
        "databehandleravtaler er startet, og de fleste ventes i kraft innen fristen.",
    ),
    89: (
        "Overføringsplan for teknisk forvaltning er vedtatt for UNN og Nordlandssykehuset.",
        "Merkantil forvaltning er overført for de største systemene; felles rutiner for "
        "lisenser og fakturakontroll er under etablering.",
    ),
    92: (
        "Registreringen i eiendelsforvaltningen er startet.",
        "Om lag to tredjedeler av applikasjonene er kategorisert etter NSM 1.2.2.",
    ),
    93: (
        "Applikasjonene uten identifisert leverandøravtale kartlegges.",
        "Oversikten over applikasjoner uten gjeldende leverandøravtale er sendt Helse Nord RHF.",
    ),
}


def seed_followup(users: dict[str, User]) -> None:
    ikt, admin = users["ikt"], users["admin"]
    requirements = {r.number: r for r in Requirement.objects.filter(year=2022)}
    for number, requirement in requirements.items():
        status = Requirement.Status.AT_RISK if number == 88 else Requirement.Status.ON_TRACK
        do_update_requirement(admin, requirement, status=status, responsible=ikt)
    for number, texts in TEXTS.items():
        for period, text in enumerate(texts, start=1):
            do_write_reporting_text(ikt, requirements[number], period, text)
    _risks(admin, requirements)


def _risks(actor: User, requirements: dict[int, Requirement]) -> None:
    trusts = {o.code: o for o in Organisation.objects.filter(code__in=["UNN", "NLSH"])}
    do_save_risk_assessment(
        actor,
        RiskAssessment(
            requirement=requirements[88],
            organisation=trusts["UNN"],
            title="Tjenesteavtaler blir ikke ferdige innen 1. oktober",
            assessed_on=date(2022, 5, 10),
            probability=3,
            consequence=4,
            board_date=date(2022, 6, 15),
            board_case_number="42/2022",
        ),
        [
            {
                "description": "Ukentlige forhandlingsmøter",
                "owner": "Ivar Tjeneste",
                "due_date": date(2022, 9, 1),
                "status": "in_progress",
            },
            {
                "description": "Prioritere avtaler for kritiske systemer",
                "owner": "Ola Eier",
                "due_date": date(2022, 8, 15),
                "status": "done",
            },
        ],
    )
    do_save_risk_assessment(
        actor,
        RiskAssessment(
            requirement=requirements[93],
            organisation=trusts["NLSH"],
            title="Applikasjoner i bruk uten leverandøravtale",
            assessed_on=date(2022, 8, 20),
            probability=4,
            consequence=4,
            board_date=date(2022, 9, 22),
            board_case_number="61/2022",
        ),
        [
            {
                "description": "Kontakte leverandører og inngå avtaler",
                "owner": "Nora Nordland",
                "due_date": date(2022, 12, 1),
                "status": "planned",
            },
        ],
    )
