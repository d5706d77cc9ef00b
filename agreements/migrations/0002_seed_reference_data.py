"""Roles, the Helse Nord organisations and the 2022 requirements behind the product."""

from datetime import date

from django.db import migrations

ROLES = [
    "contract_owner",
    "service_manager",
    "legal",
    "privacy",
    "security",
    "approver",
    "administrator",
]

ORGANISATIONS = [
    ("HNRHF", "Helse Nord RHF", "Helse Nord RHF", "rhf"),
    ("FIN", "Finnmarkssykehuset HF", "Finnmarkssykehuset", "hf"),
    ("UNN", "Universitetssykehuset Nord-Norge HF", "UNN", "hf"),
    ("NLSH", "Nordlandssykehuset HF", "Nordlandssykehuset", "hf"),
    ("HSYK", "Helgelandssykehuset HF", "Helgelandssykehuset", "hf"),
    ("SANO", "Sykehusapotek Nord HF", "Sykehusapotek Nord", "hf"),
    ("HNIKT", "Helse Nord IKT HF", "Helse Nord IKT", "hf"),
]

REQUIREMENTS = [
    (
        88,
        "Oppdaterte avtaler som tydeliggjør ansvar",
        "Ferdigstille oppdatering av tjenesteavtaler, databehandleravtaler og andre avtaler som "
        "tydeliggjør ansvarsforhold innen 1. oktober 2022.",
        date(2022, 10, 1),
    ),
    (
        89,
        "Teknisk og merkantil forvaltning til Helse Nord IKT",
        "Fortsette overføringen av teknisk og merkantil forvaltning av IT-systemer til Helse Nord "
        "IKT, og i fellesskap etablere en robust merkantil forvaltning innen 1. desember 2022.",
        date(2022, 12, 1),
    ),
    (
        92,
        "Applikasjoner registrert og kategorisert",
        "Alle applikasjoner installert på servere og klienter er registrert i "
        "eiendelsforvaltningen og kategorisert etter NSMs grunnprinsipper, tiltak 1.2.2.",
        None,
    ),
    (
        93,
        "Oversikt over applikasjoner uten leverandøravtale",
        "Sende Helse Nord RHF en oversikt over applikasjoner der det ikke er identifisert "
        "gjeldende leverandøravtale innen 1. september 2022.",
        date(2022, 9, 1),
    ),
]


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Organisation = apps.get_model("agreements", "Organisation")
    Requirement = apps.get_model("agreements", "Requirement")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    for code, name, short_name, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "kind": kind}
        )
    for number, title, text, deadline in REQUIREMENTS:
        Requirement.objects.get_or_create(
            year=2022,
            number=number,
            defaults={"title": title, "text": text, "deadline": deadline},
        )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
