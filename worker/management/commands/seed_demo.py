"""Demo users and about a dozen agreements in every state, dated relative to today.

Run by ``make run``. Running it again changes nothing. It refuses to create password logins
unless DEBUG is on, so it cannot plant the well-known demo password in production.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from agreements import lifecycle, renewal, terms
from agreements.models import (
    Agreement,
    Application,
    Decision,
    DocumentVersion,
    Organisation,
    Requirement,
    User,
)
from agreements.roles import Role
from docs_templates.kinds import example_terms
from worker.tasks import generate_document
from workflows import actions, aftersign, inbox

from .demo_followup import seed_followup
from .demo_register import demo_register

DEMO_PASSWORD = "demo"  # noqa: S105 - only ever set with DEBUG on, see handle()

# username, full name, organisation code, roles
DEMO_USERS = [
    ("owner", "Ola Eier", "UNN", [Role.CONTRACT_OWNER]),
    ("owner-nlsh", "Nora Nordland", "NLSH", [Role.CONTRACT_OWNER]),
    ("ikt", "Ivar Tjeneste", "HNIKT", [Role.SERVICE_MANAGER, Role.CONTRACT_OWNER]),
    ("legal", "Linn Jurist", "HNIKT", [Role.LEGAL]),
    ("pvo", "Per Vern", "HNIKT", [Role.PRIVACY]),
    ("security", "Siri Sikker", "HNIKT", [Role.SECURITY]),
    ("approver", "Anne Direktør", "UNN", [Role.APPROVER]),
    ("approver-nlsh", "Arne Nordlandsleder", "NLSH", [Role.APPROVER]),
    ("ikt-approver", "Ingrid IKT-direktør", "HNIKT", [Role.APPROVER]),
    ("admin", "Ada Administrator", "HNIKT", [Role.ADMINISTRATOR]),
]

SUPPLIERS = [
    ("nordlys-journal", "Nordlys Journal AS"),
    ("polar-bilde", "Polar Bilde AS"),
    ("arktis-lab", "Arktis Lab AS"),
]

APPLICATIONS = [
    ("Elektronisk pasientjournal", "nordlys-journal", ["UNN", "NLSH", "FIN", "HSYK"]),
    ("Røntgen og PACS", "polar-bilde", ["UNN", "NLSH"]),
    ("Laboratoriesystem", "arktis-lab", ["UNN", "FIN"]),
    ("Kurve og legemiddelhåndtering", "nordlys-journal", ["UNN", "NLSH", "HSYK"]),
    ("Timebok og innkalling", None, ["UNN", "NLSH", "FIN", "HSYK", "SANO"]),
    ("Sykehusapotekets ordresystem", None, ["SANO"]),
]

# title, kind, owner, customer, provider, applications, days to target, the state to reach
AGREEMENTS = [
    ("Hoveddriftsavtale for UNN", "main_operating", "ikt", "UNN", "HNIKT", [], -60, "active"),
    (
        "Databehandleravtale for pasientjournal",
        "data_processor",
        "owner",
        "UNN",
        "HNIKT",
        ["Elektronisk pasientjournal"],
        20,
        "active",
    ),
    # Past its target date: the draft shows as overdue in the owner's inbox.
    (
        "Tjenesteavtale for pasientjournal",
        "service",
        "owner",
        "UNN",
        "HNIKT",
        ["Elektronisk pasientjournal"],
        -2,
        "draft",
    ),
    (
        "Databehandleravtale for laboratoriesystem",
        "data_processor",
        "owner",
        "UNN",
        "HNIKT",
        ["Laboratoriesystem"],
        15,
        "in_review",
    ),
    (
        "Tjenesteavtale for PACS",
        "service",
        "owner-nlsh",
        "NLSH",
        "HNIKT",
        ["Røntgen og PACS"],
        12,
        "in_review",
    ),
    (
        "Databehandleravtale for kurve og medikasjon",
        "data_processor",
        "owner",
        "UNN",
        "HNIKT",
        ["Kurve og legemiddelhåndtering"],
        8,
        "changes_requested",
    ),
    (
        "Tjenesteavtale for kurve og medikasjon",
        "service",
        "owner",
        "UNN",
        "HNIKT",
        ["Kurve og legemiddelhåndtering"],
        6,
        "awaiting_approval",
    ),
    (
        "Tjenesteavtale for timebok",
        "service",
        "owner-nlsh",
        "NLSH",
        "HNIKT",
        ["Timebok og innkalling"],
        -4,
        "awaiting_approval",
    ),
    (
        "Driftsavtale for Nordlandssykehuset",
        "operating",
        "owner-nlsh",
        "NLSH",
        "HNIKT",
        [],
        3,
        "awaiting_signature",
    ),
    (
        "Tjenesteavtale for laboratoriesystem",
        "service",
        "owner",
        "UNN",
        "HNIKT",
        ["Laboratoriesystem"],
        2,
        "customer_signed",
    ),
    (
        "Avtale om overføring av merkantil forvaltning",
        "other",
        "ikt",
        "UNN",
        "HNIKT",
        ["Timebok og innkalling"],
        30,
        "draft",
    ),
    (
        "Tjenesteavtale for legemiddelhåndtering",
        "service",
        "owner-nlsh",
        "NLSH",
        "HNIKT",
        ["Kurve og legemiddelhåndtering"],
        25,
        "draft",
    ),
    # After signing: notice given (ends in four months), and a draft withdrawn.
    (
        "Tjenesteavtale for laboratoriesystem",
        "service",
        "owner",
        "UNN",
        "HNIKT",
        ["Laboratoriesystem"],
        -90,
        "terminated",
    ),
    (
        "Databehandleravtale for timebok",
        "data_processor",
        "owner-nlsh",
        "NLSH",
        "HNIKT",
        ["Timebok og innkalling"],
        30,
        "withdrawn",
    ),
]


class Command(BaseCommand):
    help = "Create demo users (password 'demo') and agreements in every state. Idempotent."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates logins with a known password and runs only with DEBUG=true."
            )
        if User.objects.filter(username="owner").exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        with transaction.atomic():
            users = self._users()
            self._applications()
            for row in AGREEMENTS:
                self._agreement(users, *row)
            demo_register(users["ikt"])
            seed_followup(users)
        self.stdout.write(self.style.SUCCESS("Demo data created."))

    def _users(self):
        users = {}
        for username, full_name, org_code, roles in DEMO_USERS:
            first, _, last = full_name.partition(" ")
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.helse-nord.example",
                organisation=Organisation.objects.get(code=org_code),
            )
            if Role.ADMINISTRATOR in roles:
                user.is_staff = user.is_superuser = True
                user.save()
            user.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
            users[username] = user
        return users

    def _applications(self):
        for code, name in SUPPLIERS:
            Organisation.objects.get_or_create(
                code=code, defaults={"name": name, "kind": Organisation.Kind.SUPPLIER}
            )
        for name, supplier_code, used_by in APPLICATIONS:
            app, _ = Application.objects.get_or_create(
                name=name,
                defaults={"supplier": Organisation.objects.filter(code=supplier_code).first()},
            )
            app.used_by.set(Organisation.objects.filter(code__in=used_by))

    def _agreement(self, users, title, kind, owner, customer, provider, apps, days, state):
        today = timezone.localdate()
        # Each trust's agreements hang under its own main operating agreement, never another's.
        parent = Agreement.objects.filter(
            kind=Agreement.Kind.MAIN_OPERATING, customer__code=customer
        ).first()
        agreement = actions.do_open_agreement(
            users[owner],
            title=title,
            kind=kind,
            customer=Organisation.objects.get(code=customer),
            provider=Organisation.objects.get(code=provider),
            applications=Application.objects.filter(name__in=apps),
            parent=parent if kind != Agreement.Kind.MAIN_OPERATING else None,
            requirement=Requirement.objects.get(year=2022, number=88),
            target_date=today + timedelta(days=days),
            start_date=today + timedelta(days=days + 1),
            end_date=today + timedelta(days=days + 3 * 365),
            notice_months=6,
        )
        fields, rows = example_terms(agreement.kind)
        terms.do_update_terms(users[owner], agreement, fields, rows)
        Driver(agreement, users).run_until(state)


class Driver:
    """Completes an agreement's open tasks as the demo personas would, until a state is reached."""

    REVIEWERS = {"legal_review": "legal", "privacy_review": "pvo", "security_review": "security"}

    def __init__(self, agreement, users):
        self.agreement = agreement
        self.users = users
        self.signatories = {"UNN": "approver", "NLSH": "approver-nlsh", "HNIKT": "ikt-approver"}

    def open_tasks(self):
        return list(
            inbox.agreement_tasks().filter(
                process__agreementprocess__agreement=self.agreement,
                flow_task_type="HUMAN",
                status__in=[STATUS.NEW, STATUS.ASSIGNED],
            )
        )

    def do(self, name, user, data):
        task = next(t for t in self.open_tasks() if t.flow_task.name == name)
        if task.status == STATUS.NEW:
            actions.do_claim_task(user, task)
            task.refresh_from_db()
        actions.do_complete_task(user, task, data)
        self.agreement.refresh_from_db()

    def submit_draft(self):
        data = {name: getattr(self.agreement, name) for name in lifecycle.EDITABLE_FIELDS}
        self.do("draft", self.agreement.owner, data)

    def review_all(self, outcome=Decision.Outcome.APPROVED, comment=""):
        for task in self.open_tasks():
            username = self.REVIEWERS[task.flow_task.name]
            self.do(
                task.flow_task.name, self.users[username], {"outcome": outcome, "comment": comment}
            )
            outcome, comment = Decision.Outcome.APPROVED, ""

    def run_until(self, state):
        if state == "draft":
            return
        if state == "withdrawn":
            reason = "Avtalen dekkes av databehandleravtalen for pasientjournal."
            aftersign.do_withdraw_agreement(self.agreement.owner, self.agreement, reason)
            return
        self.submit_draft()
        if state == "in_review":
            return
        if state == "changes_requested":
            self.review_all(
                Decision.Outcome.CHANGES_REQUESTED,
                "Bilag 3 mangler underdatabehandlerne. Legg dem inn før ny runde.",
            )
            return
        self.review_all()
        if state == "awaiting_approval":
            return
        approver = self.signatories[self.agreement.customer.code]
        self.do("approve", self.users[approver], {"outcome": Decision.Outcome.APPROVED})
        self.make_documents()
        if state == "awaiting_signature":
            return
        self.do("sign_customer", self.users[approver], self.signing_data())
        if state == "customer_signed":
            return
        provider_signatory = self.signatories[self.agreement.provider.code]
        self.do("sign_provider", self.users[provider_signatory], self.signing_data())
        if state == "terminated":
            self.terminate()

    def terminate(self):
        """Notice given today: the agreement ends in four months."""
        renewal.do_decide_notice(
            self.agreement.owner,
            self.agreement,
            "terminate",
            "Laboratoriesystemet erstattes av den regionale løsningen.",
            concerns_date=self.agreement.end_date,
            end_date=timezone.localdate() + timedelta(days=120),
        )

    def make_documents(self):
        """What the Celery worker does after approval, done here so the demo is ready at once."""
        pending = DocumentVersion.objects.filter(
            agreement=self.agreement, status=DocumentVersion.Status.PENDING
        )
        for pk in pending.values_list("pk", flat=True):
            generate_document(pk)

    def signing_data(self):
        document = DocumentVersion.objects.signable_for(self.agreement)
        return {"confirm": True, "document_version": document.pk}
