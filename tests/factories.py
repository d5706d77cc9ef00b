"""Small builders for test objects."""

from datetime import date

from django.contrib.auth.models import Group

from agreements import lifecycle
from agreements.models import Agreement, User
from workflows import actions, inbox
from workflows.flows import AgreementFlow

PASSWORD = "correct horse battery staple"


def make_user(username, organisation, *roles, superuser=False) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        first_name=username.capitalize(),
        organisation=organisation,
        is_staff=superuser,
        is_superuser=superuser,
    )
    user.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
    return user


def make_agreement(
    owner, customer, provider, kind=Agreement.Kind.SERVICE, start_flow=True, **fields
):
    fields.setdefault("title", f"{Agreement.Kind(kind).label} {customer.code}")
    fields.setdefault("target_date", date(2030, 6, 3))
    # start_flow=False: a bare draft with no tasks, for tests of the agreement pages alone.
    create = actions.do_open_agreement if start_flow else lifecycle.do_create_agreement
    return create(owner, kind=kind, customer=customer, provider=provider, **fields)


def open_task(agreement, name):
    """The open task of node ``name`` for ``agreement``, or None."""
    return (
        inbox.agreement_tasks()
        .filter(
            process__agreementprocess__agreement=agreement,
            flow_task_type="HUMAN",
            status__in=["NEW", "ASSIGNED"],
        )
        .filter(flow_task=getattr(AgreementFlow, name))
        .first()
    )


def login_as(user, password=PASSWORD):
    """A test client signed in through the real login form (and its throttling)."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, f"login as {user.username} failed"
    return client


def run_document_jobs(pdf=False):
    """Do what the Celery worker does for every pending document version, in this process.

    Tests outside the live-worker module use it: their transaction never commits, so no job
    reaches Redis. ``pdf=False`` skips LibreOffice to keep workflow tests fast.
    """
    from agreements.models import DocumentVersion
    from worker.tasks import generate_document

    for pk in DocumentVersion.objects.filter(status="pending").values_list("pk", flat=True):
        generate_document(pk, pdf=pdf)


def fill_dpa_terms(agreement, **overrides):
    """Fill in every item of a data processor agreement's Art. 28 checklist (the example terms)."""
    from agreements import terms
    from docs_templates.kinds import example_terms

    fields, rows = example_terms(agreement.kind)
    return terms.do_update_terms(agreement.owner, agreement, {**fields, **overrides}, rows)


def do_task(user, agreement, node, data):
    """Claim (if needed) and complete the open ``node`` task of ``agreement`` as ``user``."""
    task = open_task(agreement, node)
    if task.status == "NEW":
        actions.do_claim_task(user, task)
        task.refresh_from_db()
    actions.do_complete_task(user, task, data)


APPROVE = {"outcome": "approved", "comment": ""}


def advance(agreement, personas, until):
    """Walk a UNN–Helse Nord IKT service agreement through the flow as the personas would.

    ``until``: "submitted" (draft sent to review), "reviewed" (legal approved, waiting for the
    customer's approval) or "approved" (approved, the document to sign made in-process).
    """
    stages = ["submitted", "reviewed", "approved"]
    do_task(agreement.owner, agreement, "draft", {"title": agreement.title, "notice_months": 3})
    if stages.index(until) >= 1:
        do_task(personas["lars"], agreement, "legal_review", APPROVE)
    if stages.index(until) >= 2:
        do_task(personas["ulla"], agreement, "approve", APPROVE)
        run_document_jobs()
    agreement.refresh_from_db()
    return agreement
