"""The application register's demo: ~60 applications across the trusts, every NSM category,
some covered by a supplier agreement in force, some not, some ending soon, some with
management moved to Helse Nord IKT; and the read-only login ``rhf`` at Helse Nord RHF."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from agreements.models import Agreement, Application, AuditEvent, Organisation, User
from agreements.references import next_reference
from agreements.register.applications import Use, do_create_application
from agreements.roles import Role

# name, org number (valid MOD11)
DEMO_SUPPLIERS = [
    ("DIPS AS", "974760673"),
    ("Visma Norge AS", "910000004"),
    ("Sectra Norge AS", "910000012"),
    ("Tieto Norge AS", "910000020"),
    ("Imatis AS", "910000039"),
]
TRUST_CODES = ["UNN", "NLSH", "FIN", "HSYK", "SANO", "HNIKT"]
NAMES = [
    "Pasientjournal",
    "Kurve",
    "PACS",
    "Laboratorium",
    "Timebok",
    "Talegjenkjenning",
    "Ambulansejournal",
    "Fødejournal",
    "Intensivkurve",
    "Blodbank",
    "Patologi",
    "Sterilsentral",
]
Category = Application.Category


def demo_register(ikt: User) -> None:
    """Create the register demo as the service manager ``ikt``; run once, inside seed_demo."""
    _rhf_login()
    suppliers = [
        Organisation.objects.get_or_create(
            org_number=number,
            defaults={
                "name": name,
                "code": name.split()[0].lower()[:16],
                "kind": Organisation.Kind.SUPPLIER,
            },
        )[0]
        for name, number in DEMO_SUPPLIERS
    ]
    trusts = {o.code: o for o in Organisation.objects.filter(code__in=TRUST_CODES)}
    today = timezone.localdate()
    categories = list(Category.values)
    for i in range(60):
        supplier = suppliers[i % len(suppliers)]
        transferred = i % 3 == 0
        app = do_create_application(
            ikt,
            [Use(trusts[c], system_owner_name=f"Systemeier {i}") for c in _users_of(i)],
            name=f"{NAMES[i % len(NAMES)]} {i // len(NAMES) + 1}",
            supplier=supplier,
            version=f"{1 + i % 5}.{i % 10}",
            asset_id=f"APP-{100 + i:06d}",
            installed_on=Application.InstalledOn.values[i % 3],
            regional=Application.Regional.values[i % 3],
            category=categories[i % len(categories)],
            technical_management="it_provider" if transferred else "trust",
            technical_transferred_on=today - timedelta(days=200 + i) if transferred else None,
            mercantile_management="it_provider" if i % 6 == 0 else "trust",
            mercantile_transferred_on=today - timedelta(days=100 + i) if i % 6 == 0 else None,
        )
        # Two in five covered, one in ten ending within six months; the rest uncovered.
        if i % 5 < 2:
            _supplier_agreement(ikt, trusts["HNIKT"], supplier, app, None)
        elif i % 10 == 2:
            _supplier_agreement(ikt, trusts["HNIKT"], supplier, app, today + timedelta(days=90))


def _users_of(i: int) -> list[str]:
    return [TRUST_CODES[(i + k) % len(TRUST_CODES)] for k in range(1 + i % 3)]


def _rhf_login() -> None:
    from .seed_demo import DEMO_PASSWORD

    user = User.objects.create_user(
        username="rhf",
        password=DEMO_PASSWORD,
        first_name="Rita",
        last_name="Regional",
        email="rhf@demo.helse-nord.example",
        organisation=Organisation.objects.get(code="HNRHF"),
    )
    user.groups.set(Group.objects.filter(name=Role.CONTRACT_OWNER))


def _supplier_agreement(owner, customer, supplier, app, end):
    """An existing, signed supplier agreement entered as it stands (signed outside the app)."""
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        reference=next_reference(today.year),
        title=f"Leverandøravtale {supplier.name} – {app.name}",
        kind=Agreement.Kind.OTHER,
        status=Agreement.Status.ACTIVE,
        customer=customer,
        provider=supplier,
        owner=owner,
        start_date=today - timedelta(days=400),
        end_date=end,
    )
    agreement.applications.add(app)
    AuditEvent.objects.create(
        agreement=agreement,
        actor=owner,
        action=AuditEvent.Action.CREATED,
        to_status=Agreement.Status.ACTIVE,
        message="Eksisterende signert leverandøravtale registrert (demodata).",
    )
