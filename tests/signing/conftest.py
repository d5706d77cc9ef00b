"""A UNN data processor agreement with an external supplier, managed by Helse Nord IKT, and the
mail sink its signing link goes to."""

import re

import pytest

from agreements.models import Agreement, Application, Organisation, SupplierContact
from tests.factories import APPROVE, do_task, fill_dpa_terms, make_agreement, run_document_jobs

LINK = re.compile(r"https?://\S+/signer/([A-Za-z0-9_-]+)/")


@pytest.fixture
def supplier(orgs):
    acme = Organisation.objects.create(
        code="ACME", name="Acme Journal AS", kind=Organisation.Kind.SUPPLIER
    )
    SupplierContact.objects.create(
        organisation=acme, name="Siri Signatar", email="siri@acme.example", may_sign=True
    )
    SupplierContact.objects.create(
        organisation=acme, name="Kari Kontakt", email="kari@acme.example", may_sign=False
    )
    return acme


@pytest.fixture
def journal(supplier):
    """An application whose mercantile management lies with Helse Nord IKT (requirement 89)."""
    return Application.objects.create(
        name="Acme Journal",
        supplier=supplier,
        mercantile_management=Application.Management.IT_PROVIDER,
    )


@pytest.fixture
def mail(settings, smtp_sink):
    smtp_sink.clear()
    if smtp_sink.controller is None:
        smtp_sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "http://testserver"
    return smtp_sink


def links_to(sink, address) -> list[str]:
    """The tokens of the signing links mailed to ``address``, oldest first."""
    return [
        LINK.search(message.get_body(("plain",)).get_content()).group(1)
        for recipients, message in sink.messages
        if address in recipients
    ]


def supplier_dpa(personas, supplier, journal, **fields):
    agreement = make_agreement(
        personas["alice"],
        personas["alice"].organisation,
        supplier,
        kind=Agreement.Kind.DATA_PROCESSOR,
        applications=[journal],
        **fields,
    )
    fill_dpa_terms(agreement)
    return agreement


def walk_to_signing(agreement, personas, capture):
    """Draft, Helse Nord IKT's three reviews, UNN's approval, the document made (the link mailed
    after commit)."""
    do_task(agreement.owner, agreement, "draft", {"title": agreement.title, "notice_months": 3})
    for node, persona in [("legal_review", "lars"), ("privacy_review", "pia")]:
        do_task(personas[persona], agreement, node, APPROVE)
    do_task(personas["sam"], agreement, "security_review", APPROVE)
    do_task(personas["ulla"], agreement, "approve", APPROVE)
    with capture(execute=True):
        run_document_jobs()
    agreement.refresh_from_db()
    return agreement
