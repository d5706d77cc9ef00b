"""A data processor agreement from first draft to active, clicked through in a real browser.

The owner creates it and fills in the Art. 28 terms, three reviewers review (security asks for
changes), the owner fixes it, the approver approves, a live Celery worker makes the document,
legal opens it, both parties sign, and the agreement shows as active.
"""

import io
import re
from datetime import date

import docx
import pytest
from django import forms

from agreements.forms.terms import make_terms_form
from agreements.models import Agreement, DocumentVersion
from project.celery import app
from tests.aftersign.helpers import at, run_beat_job
from tests.live import celery_process, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# What an owner would type for each kind of Art. 28 field.
TEXT_ANSWER = "Drift og forvaltning av pasientjournalen"
NUMBER_ANSWER = "24"


def sign_in(page, base, user):
    page.context.clear_cookies()  # a fresh session: the previous persona is signed out
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def open_task(page, base, reference, title):
    """Claim the task from the queue if it is there, else open it from the inbox."""
    page.goto(f"{base}/queue/")
    row = page.locator("tr", has_text=reference).filter(has_text=title)
    if row.count():
        row.get_by_role("button", name="Ta oppgaven").click()
    else:
        # The inbox (an approver's start page is the overview): a task assigned at once, like
        # the customer's signature for the approver who may sign, waits there.
        page.goto(f"{base}/inbox/")
        row = page.locator("tr", has_text=reference).filter(has_text=title)
        row.get_by_role("link", name=title).click()
    page.wait_for_selector("main form.stacked")


def review(page, base, user, reference, title, outcome, comment=""):
    sign_in(page, base, user)
    open_task(page, base, reference, title)
    page.check(f"input[name=outcome][value={outcome}]")
    if comment:
        page.fill("#id_comment", comment)
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages .success")


def fill_dpa_terms(page, agreement):
    """Answer every Art. 28 item on the terms page, as the owner would, and add one row each."""
    form = make_terms_form(agreement)
    for name, field in form.fields.items():
        if name.endswith("_na"):
            continue
        widget = field.widget
        if isinstance(widget, forms.Select):
            values = [str(v) for v, _ in widget.choices if str(v) not in ("", "unknown")]
            page.select_option(f"#id_{name}", values[0])
        elif isinstance(field, forms.IntegerField | forms.DecimalField):
            page.fill(f"#id_{name}", NUMBER_ANSWER)
        else:
            page.fill(f"#id_{name}", TEXT_ANSWER)
    page.fill("#id_security_measures-0-area", "Tilgangsstyring")
    page.fill("#id_security_measures-0-measure", "Tofaktor")
    page.fill("#id_sub_processors-0-name", "Sikker Lagring AS")
    page.fill("#id_sub_processors-0-country", "Norge")
    page.fill("#id_sub_processors-0-service", "Sikkerhetskopi")
    page.fill("#id_sub_processors-0-authorisation", "Godkjent 15.06.2026")
    page.fill("#id_processing_locations-0-place", "Tromsø")
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages li")
    errors = page.locator(".errorlist").all_inner_texts()
    assert page.locator(".messages .success").count(), f"terms refused: {errors}"


def test_it_takes_a_dpa_from_draft_to_active_in_the_browser(
    live_server, pages, personas, orgs, tmp_path
):
    for user in personas.values():
        user.set_password("pw")
        user.save()
    base = live_server.url
    page = pages()
    app.control.purge()
    with celery_process("worker", tmp_path / "worker.log", "--pool=solo"):
        # The owner creates the agreement, fills in the terms and sends it to review.
        sign_in(page, base, personas["alice"])
        page.click("text=Ny avtale")
        page.select_option("#id_kind", "data_processor")
        page.fill("#id_title", "Databehandleravtale for journal")
        page.select_option("#id_customer", str(orgs["UNN"].pk))
        page.select_option("#id_provider", str(orgs["HNIKT"].pk))
        page.click("main button[type=submit]")
        page.wait_for_selector(".messages .success")
        agreement = Agreement.objects.get(title="Databehandleravtale for journal")
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

        # Legal and privacy approve; security asks for changes.
        other = pages()
        review(other, base, personas["lars"], reference, "Juridisk gjennomgang", "approved")
        review(other, base, personas["pia"], reference, "Personverngjennomgang", "approved")
        review(
            other,
            base,
            personas["sam"],
            reference,
            "Sikkerhetsgjennomgang",
            "changes_requested",
            "Legg ved sikkerhetstiltakene i bilag 2.",
        )

        # The owner sees the comment, revises the draft and sends it round again.
        page.goto(f"{base}/")
        page.locator("tr", has_text=reference).get_by_role("link", name="Revider utkast").click()
        assert "Legg ved sikkerhetstiltakene i bilag 2." in page.content()
        page.fill("#id_description", "Sikkerhetstiltak: se bilag 2.")
        page.click("main button[type=submit]")
        page.wait_for_selector(".messages .success")
        # Privacy approved and its part of the terms is unchanged: its approval stands.
        for user, title in [
            (personas["lars"], "Juridisk gjennomgang"),
            (personas["sam"], "Sikkerhetsgjennomgang"),
        ]:
            review(other, base, user, reference, title, "approved")

        # The customer's approver approves; the worker makes the document to sign.
        review(other, base, personas["ulla"], reference, "Godkjenning", "approved")
        wait_for(
            lambda: DocumentVersion.objects.filter(agreement=agreement, status="ready").exists(),
            timeout=120,
            what="the worker to generate the document",
        )

        # Legal opens the generated document from the agreement page.
        sign_in(other, base, personas["lars"])
        other.goto(f"{base}/agreements/{reference}/")
        href = other.get_by_role("link", name="Word").first.get_attribute("href")
        response = other.context.request.get(f"{base}{href}")  # the signed-in session's cookies
        assert response.ok, response.status
        document = docx.Document(io.BytesIO(response.body()))
        text = "\n".join(p.text for p in document.paragraphs)
        footers = "\n".join(p.text for s in document.sections for p in s.footer.paragraphs)
        assert "Sikker Lagring AS" in "\n".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
        assert reference in text + footers

        # Both parties sign the exact version.
        for user, title in [
            (personas["ulla"], "Signering for kunden"),
            (personas["ivar"], "Signering for leverandøren"),
        ]:
            sign_in(other, base, user)
            wait_for(
                lambda t=title: _task_visible(other, base, reference, t),
                timeout=60,
                what=f"the task {title}",
            )
            open_task(other, base, reference, title)
            other.check("#id_confirm")
            other.click("main button[type=submit]")
            other.wait_for_selector(".messages .success")

    # Signed by both, it is "Signert" until its start date, when beat's job makes it "Aktiv".
    page.goto(f"{base}/agreements/{reference}/")
    assert page.locator(".subtitle .badge").inner_text() == "Signert"
    with at(date(2027, 1, 1), hour=6):
        assert run_beat_job("worker.start_due_agreements") == [reference]
    page.goto(f"{base}/agreements/{reference}/")
    assert page.locator(".subtitle .badge").inner_text() == "Aktiv"
    assert page.locator("text=Signert i løsningen").count() == 2


def _task_visible(page, base, reference, title):
    for path in ("/queue/", "/inbox/"):
        page.goto(f"{base}{path}")
        if page.locator("tr", has_text=reference).filter(has_text=title).count():
            return True
    return False
