"""What every POST target starts from: the signed-in client and the objects of the personas'
organisations and of another one (``World``), and what a builder returns (``Target``)."""

import importlib
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.test import Client

from agreements.api.tokens import do_create_api_token
from agreements.models import Agreement, Application, Requirement, RiskAssessment
from agreements.register.applications import Use, do_create_application
from tests.factories import make_agreement, open_task


@dataclass
class Target:
    client: Client
    urls: list[str]
    base: dict = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    # Pages whose answer is the change itself (a language, a signed-out session): no message.
    silent: bool = False
    # What a page shows instead of a message when it took the input without storing anything.
    answer: str = ""


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class World:
    """The personas' objects (UNN and Helse Nord IKT) and Nordlandssykehuset's."""

    personas: dict
    orgs: dict
    agreement: Agreement
    foreign: Agreement
    requirement: Requirement
    foreign_risk: RiskAssessment
    foreign_application: Application
    # Primary keys of what alice's organisation may not see or use.
    foreign_ids: set[int] = field(default_factory=set)


def build_world(personas, orgs) -> World:
    importlib.import_module("agreements.migrations.0009_requirement_followup").seed(
        django_apps, None
    )
    requirement = Requirement.objects.get(year=2022, number=88)
    foreign = make_agreement(personas["bob"], orgs["NLSH"], orgs["HNIKT"], title="Nordland")
    world = World(
        personas=personas,
        orgs=orgs,
        agreement=make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="PACS"),
        foreign=foreign,
        requirement=requirement,
        foreign_risk=RiskAssessment.objects.create(
            requirement=requirement,
            organisation=orgs["NLSH"],
            title="Nordlands risiko",
            assessed_on="2022-05-01",
            probability=2,
            consequence=3,
            created_by=personas["bob"],
        ),
        foreign_application=do_create_application(
            personas["iris"], [Use(organisation=orgs["NLSH"])], name="Bare i Nordland"
        ),
    )
    token, _raw = do_create_api_token(personas["bob"], "Bobs skript", 30)
    world.foreign_ids = {
        foreign.pk,
        open_task(foreign, "draft").pk,
        orgs["NLSH"].pk,
        personas["bob"].pk,
        token.pk,
        world.foreign_risk.pk,
        world.foreign_application.pk,
        10**9,
    }
    return world
