"""Emailed signing links that must not work, opened in a real browser: each gives a clear page
that says why (and passes the accessibility check), never an error page or a signature.

Guessed, another agreement's, used, replaced by a newer document version, expired.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from agreements import documents
from agreements.models import Signature
from tests.factories import APPROVE, do_task, run_document_jobs
from tests.signing.conftest import links_to, supplier_dpa, walk_to_signing

from .axe import assert_accessible
from .test_accessibility import no_capture

pytestmark = pytest.mark.django_db(transaction=True)

SIRI = "siri@acme.example"


def refused(page, url, status, message):
    response = page.goto(url)
    text = page.locator("main").inner_text()
    assert response.status == status, (url, response.status, text)
    assert page.locator("h1").inner_text() == "Lenken virker ikke"
    assert message in text and "Ingenting er signert" in text
    assert page.locator("form").count() == 0, "no way to sign from a refused link"
    assert_accessible(page, message)


def sign(page, url, name="Siri Signatar"):
    page.goto(url)
    page.fill("#id_signer_name", name)
    page.check("#id_confirm")
    page.click("main button[type=submit]")
    assert "Takk, avtalen er signert" in page.locator("main").inner_text()


def test_unusable_signing_links_in_the_browser(
    live_server, pages, personas, supplier, journal, mail
):
    first = walk_to_signing(supplier_dpa(personas, supplier, journal), personas, no_capture)
    second = walk_to_signing(
        supplier_dpa(personas, supplier, journal, title="Andre avtale"), personas, no_capture
    )
    first_token, second_token = links_to(mail, SIRI)
    url = f"{live_server.url}/signer/{{}}/".format
    page = pages(bypass_csp=True)

    # A guessed token: one character off a real one.
    guessed = first_token[:-1] + ("A" if first_token[-1] != "A" else "B")
    refused(page, url(guessed), 404, "Lenken er ukjent")

    # Another agreement's token opens that agreement only, and signs only it.
    page.goto(url(second_token))
    shown = page.locator("main").inner_text()
    assert second.reference in shown and "Andre avtale" in shown
    assert first.reference not in shown
    sign(page, url(second_token))
    assert Signature.objects.filter(agreement=second, method="emailed_link").count() == 1
    assert not Signature.objects.filter(agreement=first).exists()

    # Used: the same link a second time.
    refused(page, url(second_token), 410, "Lenken er allerede brukt")

    # A newer version of the document voids the approval and with it the link; once approved
    # again, a new link goes out for the new version.
    documents.do_request_document(personas["lars"], first)  # the manager's jurist
    run_document_jobs()
    refused(page, url(first_token), 410, "venter ikke lenger på signering")
    do_task(personas["ulla"], first, "approve", APPROVE)
    run_document_jobs()
    refused(page, url(first_token), 410, "nyere versjon")
    *_, newest_token = links_to(mail, SIRI)
    assert newest_token not in (first_token, second_token)

    # Expired: the new link, opened after its 14 days.
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        refused(page, url(newest_token), 410, "Lenken er utløpt")

    assert Signature.objects.filter(method="emailed_link").count() == 1
