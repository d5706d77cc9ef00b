"""Follow-up fixtures: the 2022 requirements (re-seeded: transactional tests flush them), an RHF
reader, and small builders that date agreements and applications in the past."""

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps

from agreements.models import Agreement, Application, ApplicationUse, AuditEvent, Requirement
from agreements.roles import Role
from tests.factories import make_agreement, make_user

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def requirements(orgs):
    importlib.import_module("agreements.migrations.0009_requirement_followup").seed(
        django_apps, None
    )
    return {r.number: r for r in Requirement.objects.filter(year=2022)}


@pytest.fixture
def rhf_user(orgs):
    return make_user("randi", orgs["HNRHF"])


@pytest.fixture
def followers(personas, orgs):
    """Besides the personas: a Helse Nord IKT service manager who is no contract owner."""
    return {**personas, "tor": make_user("tor", orgs["HNIKT"], Role.SERVICE_MANAGER)}


def at(day: str, hour: int = 12):
    """Travel to noon (Oslo) of ISO ``day``."""
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=hour, tzinfo=OSLO))


def set_status(agreement: Agreement, status: str, day: str) -> None:
    """Record a status change on ``day`` the way the lifecycle does: the row and its event."""
    with at(day):
        AuditEvent.objects.create(
            agreement=agreement, from_status=agreement.status, to_status=status, action="updated"
        )
        Agreement.objects.filter(pk=agreement.pk).update(status=status)
        agreement.status = status


def tagged_agreement(owner, customer, provider, requirement, kind, day: str, **fields):
    with at(day):
        return make_agreement(
            owner,
            customer,
            provider,
            kind=kind,
            start_flow=False,
            requirement=requirement,
            **fields,
        )


def application(name, trusts, day: str, **fields) -> Application:
    with at(day):
        app = Application.objects.create(name=name, **fields)
        for trust in trusts:
            ApplicationUse.objects.create(application=app, organisation=trust)
    return app


def change(app: Application, day: str, **fields) -> None:
    with at(day):
        for name, value in fields.items():
            setattr(app, name, value)
        app.save()
