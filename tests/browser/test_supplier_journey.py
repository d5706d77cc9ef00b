"""A UNN data processor agreement with an external supplier, managed by Helse Nord IKT, clicked
through in a real browser from first draft to signed.

Alice (contract owner, UNN) creates it with Helse Nord IKT as manager (forvalter, requirement
89); Helse Nord IKT's jurist, data protection officer and security lead review it (nobody at UNN
holds those roles); Ulla approves and signs it for UNN; a live Celery worker makes the document
and mails the supplier's signatory a single-use link, which the test reads from the SMTP sink;
she signs on the page the link opens, and the agreement shows as signed by both.
"""

import re
from datetime import date

import pytest

from agreements.models import Agreement, DocumentVersion, Signature
from project.celery import app
from tests.aftersign.helpers import at, run_beat_job
from tests.live import celery_process, wait_for

from .axe import assert_accessible
from .test_dpa_journey import _task_visible, fill_dpa_terms, open_task, review, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SIRI = "siri@acme.example"
LINK = re.compile(r"(https?://\S+/signer/[A-Za-z0-9_-]+/)")


def emailed_links(sink, address) -> list[str]:
    """The signing links in the plain-text mails to ``address``, oldest first."""
    return [
        LINK.search(message.get_body(("plain",)).get_content()).group(1)
        for recipients, message in sink.messages
        if address in recipients
    ]


def create_agreement(page, base, orgs, supplier):
    page.click("text=Ny avtale")
    page.select_option("#id_kind", "data_processor")
    page.fill("#id_title", "Databehandleravtale Acme Journal")
    page.select_option("#id_customer", str(orgs["UNN"].pk))
    page.select_option("#id_provider", str(supplier.pk))
    page.select_option("#id_manager", str(orgs["HNIKT"].pk))
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages .success")
    return Agreement.objects.get(title="Databehandleravtale Acme Journal")


def draft_and_submit(page, base, agreement):
    reference = agreement.reference
    page.goto(f"{base}/")
    page.locator("tr", has_text=reference).get_by_role("link", name="Utarbeid utkast").click()
    page.click("text=Fyll ut vilkårene for avtalen")
    fill_dpa_terms(page, agreement)
    page.goto(f"{base}/")
    page.locator("tr", has_text=reference).get_by_role("link", name="Utarbeid utkast").click()
    page.fill("#id_start_date", "2027-01-01")
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages .success")


def test_a_supplier_signs_a_managed_dpa_through_the_emailed_link(
    live_server, pages, personas, orgs, supplier, mail, tmp_path, settings
):
    settings.SITE_URL = live_server.url
    for user in personas.values():
        user.set_password("pw")
        user.save()
    base = live_server.url
    page, other = pages(), pages(bypass_csp=True)
    app.control.purge()
    worker_env = {"EMAIL_URL": f"smtp://127.0.0.1:{mail.port}", "SITE_URL": base}
    with celery_process("worker", tmp_path / "worker.log", "--pool=solo", **worker_env):
        sign_in(page, base, personas["alice"])
        agreement = create_agreement(page, base, orgs, supplier)
        reference = agreement.reference
        assert agreement.manager == orgs["HNIKT"]
        draft_and_submit(page, base, agreement)

        # Helse Nord IKT reviews (UNN has no jurist, DPO or security lead); UNN approves.
        for persona, title in [
            ("lars", "Juridisk gjennomgang"),
            ("pia", "Personverngjennomgang"),
            ("sam", "Sikkerhetsgjennomgang"),
            ("ulla", "Godkjenning"),
        ]:
            review(other, base, personas[persona], reference, title, "approved")
        wait_for(
            lambda: DocumentVersion.objects.filter(agreement=agreement, status="ready").exists(),
            timeout=120,
            what="the worker to generate the document",
        )
        wait_for(lambda: emailed_links(mail, SIRI), timeout=60, what="the signing link mail")

    # Ulla signs for UNN in the app.
    sign_in(other, base, personas["ulla"])
    wait_for(
        lambda: _task_visible(other, base, reference, "Signering for kunden"),
        timeout=30,
        what="the customer's signing task",
    )
    open_task(other, base, reference, "Signering for kunden")
    other.check("#id_confirm")
    other.click("main button[type=submit]")
    other.wait_for_selector(".messages .success")

    # Only the contact who may sign got a link; she signs on the page it opens, not signed in.
    (link,) = emailed_links(mail, SIRI)
    assert emailed_links(mail, "kari@acme.example") == []
    document = agreement.documents.get(status="ready")
    other.context.clear_cookies()
    other.goto(link)
    shown = other.locator("main").inner_text()
    assert reference in shown and "Acme Journal AS" in shown and document.sha256 in shown
    assert_accessible(other, "the emailed signing page")
    other.fill("#id_signer_name", "Siri Signatar")
    other.check("#id_confirm")
    other.click("main button[type=submit]")
    assert "Takk, avtalen er signert" in other.locator("main").inner_text()

    # The link works once: opened again, it says so.
    response = other.goto(link)
    assert response.status == 410
    assert "Lenken er allerede brukt" in other.locator("main").inner_text()

    # The owner sees it signed by both parties: "Signert" until its start date, when beat's job
    # makes it "Aktiv".
    page.goto(f"{base}/agreements/{reference}/")
    assert page.locator(".subtitle .badge").inner_text() == "Signert"
    with at(date(2027, 1, 1), hour=6):
        assert run_beat_job("worker.start_due_agreements") == [reference]
    page.goto(f"{base}/agreements/{reference}/")
    assert page.locator(".subtitle .badge").inner_text() == "Aktiv"
    signatures = page.locator("main").inner_text()
    assert "Signert i løsningen" in signatures
    assert "Enkel elektronisk signatur via e-postlenke" in signatures
    assert "Siri Signatar <siri@acme.example>" in signatures
    external = Signature.objects.get(agreement=agreement, party=supplier)
    assert external.document_sha256 == document.sha256
    assert external.user_agent and "Chrome" in external.user_agent
