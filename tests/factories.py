"""Small builders for test objects."""

from datetime import date

from django.contrib.auth.models import Group

from agreements import lifecycle
from agreements.models import Agreement, User
from workflows import tasks
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
    agreement = lifecycle.do_create_agreement(
        owner, kind=kind, customer=customer, provider=provider, **fields
    )
    if start_flow:
        tasks.do_start_agreement_flow(agreement)
    return agreement


def open_task(agreement, name):
    """The open task of node ``name`` for ``agreement``, or None."""
    return (
        tasks.agreement_tasks()
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
