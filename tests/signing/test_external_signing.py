"""A UNN data processor agreement with an external supplier, managed by Helse Nord IKT: reviewed
at Helse Nord IKT, approved and signed at UNN, signed by the supplier through the emailed link."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import documents
from agreements.models import Agreement, AuditEvent, Signature, SigningRequest
from tests.factories import APPROVE, do_task, open_task, run_document_jobs

from .conftest import links_to, supplier_dpa, walk_to_signing

pytestmark = pytest.mark.django_db

SIRI = "siri@acme.example"
SIGN = {"signer_name": "Siri  Signatar", "confirm": "on"}


@pytest.fixture
def at_signing(personas, supplier, journal, mail, django_capture_on_commit_callbacks):
    agreement = supplier_dpa(personas, supplier, journal)
    return walk_to_signing(agreement, personas, django_capture_on_commit_callbacks)


def page(token, *, post=None, agent="Testleser/1.0"):
    client = Client(HTTP_USER_AGENT=agent)
    url = reverse("workflows:external_sign", args=[token])
    return client.post(url, post) if post is not None else client.get(url)


def test_the_supplier_signs_through_the_emailed_link(at_signing, personas, mail):
    agreement = at_signing
    assert agreement.status == Agreement.Status.AWAITING_SIGNATURE
    assert open_task(agreement, "sign_provider") is None, "nobody at the supplier logs in"
    (token,) = links_to(mail, SIRI)
    assert links_to(mail, "kari@acme.example") == [], "only a contact who may sign gets a link"
    document = agreement.documents.get(status="ready")

    shown = page(token)
    html = shown.content.decode()
    assert shown.status_code == 200
    assert shown["Referrer-Policy"] == "same-origin"
    assert agreement.reference in html and "Acme Journal AS" in html
    assert document.sha256 in html
    download = Client().get(reverse("workflows:external_document", args=[token]))
    assert hashlib.sha256(download.content).hexdigest() == document.sha256

    do_task(personas["ulla"], agreement, "sign_customer", {"document_version": document.pk})
    signed = page(token, post=SIGN)

    assert signed.status_code == 200
    assert "Takk, avtalen er signert" in signed.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE
    external = Signature.objects.get(agreement=agreement, party=agreement.provider)
    assert external.method == Signature.Method.EMAILED_LINK
    assert external.signed_by is None
    assert (external.signer_name, external.signer_email) == ("Siri Signatar", SIRI)
    assert external.ip_address == "127.0.0.1"
    assert external.user_agent == "Testleser/1.0"
    assert external.document_sha256 == document.sha256
    assert external.signing_request.used_at is not None
    customer = Signature.objects.get(agreement=agreement, party=agreement.customer)
    assert customer.signed_by == personas["ulla"]
    assert AuditEvent.objects.filter(agreement=agreement, action="signing_requested").count() == 1
    assert AuditEvent.objects.filter(agreement=agreement, action="activated").exists()


def test_the_supplier_may_sign_first(at_signing, personas, mail):
    agreement = at_signing
    (token,) = links_to(mail, SIRI)
    assert page(token, post=SIGN).status_code == 200
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_SIGNATURE
    document = agreement.documents.get(status="ready")
    do_task(personas["ulla"], agreement, "sign_customer", {"document_version": document.pk})
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE


def test_it_asks_for_a_full_name_and_the_confirmation(at_signing, mail):
    (token,) = links_to(mail, SIRI)
    for data, message in [
        ({"signer_name": "Siri", "confirm": "on"}, "Skriv fullt navn"),
        ({"signer_name": "Siri Signatar"}, "Du må bekrefte for å signere."),
    ]:
        response = page(token, post=data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Signature.objects.filter(method="emailed_link").exists()
    assert page(token).status_code == 200, "a refused attempt leaves the link usable"


def test_a_used_link_is_gone(at_signing, mail):
    (token,) = links_to(mail, SIRI)
    assert page(token, post=SIGN).status_code == 200

    again = page(token, post={**SIGN, "signer_name": "Noen Andre"})

    assert again.status_code == 410
    assert "Lenken er allerede brukt" in again.content.decode()
    assert Signature.objects.filter(method="emailed_link").count() == 1


def test_an_expired_link_is_gone(at_signing, mail):
    (token,) = links_to(mail, SIRI)
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        response = page(token, post=SIGN)
        download = Client().get(reverse("workflows:external_document", args=[token]))

    assert response.status_code == 410
    assert "Lenken er utløpt" in response.content.decode()
    assert download.status_code == 410
    assert not Signature.objects.filter(method="emailed_link").exists()


def test_a_newer_version_replaces_the_link(
    at_signing, personas, mail, django_capture_on_commit_callbacks
):
    agreement = at_signing
    (old,) = links_to(mail, SIRI)
    documents.do_request_document(personas["lars"], agreement)  # the manager's jurist
    with django_capture_on_commit_callbacks(execute=True):
        run_document_jobs()

    # The newer version voids the approval: the link stops working until it is approved again.
    response = page(old, post=SIGN)
    assert response.status_code == 410
    assert "venter ikke lenger på signering" in response.content.decode()
    assert links_to(mail, SIRI) == [old]
    with django_capture_on_commit_callbacks(execute=True):
        do_task(personas["ulla"], agreement, "approve", APPROVE)
    with django_capture_on_commit_callbacks(execute=True):
        run_document_jobs()
    assert page(old, post=SIGN).status_code == 410
    assert not Signature.objects.filter(method="emailed_link").exists()

    old_again, new = links_to(mail, SIRI)
    assert old_again == old
    newest = agreement.documents.filter(status="ready").order_by("-number").first()
    assert newest.sha256 in page(new).content.decode()
    assert page(new, post=SIGN).status_code == 200
    assert Signature.objects.get(method="emailed_link").document_version == newest


def test_a_token_signs_only_its_own_agreement(
    at_signing, personas, supplier, journal, mail, django_capture_on_commit_callbacks
):
    second = walk_to_signing(
        supplier_dpa(personas, supplier, journal, title="Andre avtale"),
        personas,
        django_capture_on_commit_callbacks,
    )
    first_token, second_token = links_to(mail, SIRI)

    assert page(first_token, post=SIGN).status_code == 200

    assert Signature.objects.filter(agreement=at_signing, method="emailed_link").exists()
    assert not Signature.objects.filter(agreement=second).exists()
    assert "Andre avtale" in page(second_token).content.decode()


def test_guessed_tokens_are_unknown_and_limited(at_signing, mail, settings):
    settings.EXTERNAL_SIGNING_MAX_FAILURES = 5
    (token,) = links_to(mail, SIRI)
    guesses = [token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43, "ikke-en-lenke", "ø" * 5]
    for guess in guesses:
        response = page(guess, post=SIGN)
        assert response.status_code == 404
        assert "Lenken er ukjent" in response.content.decode()
    assert page("a" * 300).status_code == 404

    limited = page(token)
    assert limited.status_code == 429
    assert "For mange forsøk" in limited.content.decode()
    assert not Signature.objects.filter(method="emailed_link").exists()
    assert SigningRequest.objects.filter(used_at__isnull=True).count() == 1
