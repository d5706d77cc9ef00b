"""A data processor agreement from first draft to active, clicked through in a real browser."""

import re

import pytest

from agreements.models import Agreement

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD_FIELD = "#id_password"


def sign_in(page, base, user, password):
    page.context.clear_cookies()  # a fresh session: the previous persona is signed out
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill(PASSWORD_FIELD, password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def open_from_queue_or_inbox(page, base, reference, title):
    page.goto(f"{base}/queue/")
    row = page.locator("tr", has_text=reference).filter(has_text=title)
    if row.count():
        row.get_by_role("button", name="Ta oppgaven").click()
    else:
        page.goto(f"{base}/")
        page.locator("tr", has_text=reference).filter(has_text=title).get_by_role(
            "link", name=title
        ).click()
    page.wait_for_selector("form.stacked")


def review(page, base, user, reference, title, outcome, comment=""):
    sign_in(page, base, user, "pw")
    open_from_queue_or_inbox(page, base, reference, title)
    page.check(f"input[name=outcome][value={outcome}]")
    if comment:
        page.fill("#id_comment", comment)
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages .success")


def test_it_takes_a_dpa_from_draft_to_active_in_the_browser(live_server, pages, personas, orgs):
    for user in personas.values():
        user.set_password("pw")
        user.save()
    base = live_server.url
    page = pages()

    # The owner creates the agreement and fills in the draft.
    sign_in(page, base, personas["alice"], "pw")
    page.click("text=Ny avtale")
    page.select_option("#id_kind", "data_processor")
    page.fill("#id_title", "Databehandleravtale for journal")
    page.select_option("#id_customer", str(orgs["UNN"].pk))
    page.select_option("#id_provider", str(orgs["HNIKT"].pk))
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages .success")
    reference = Agreement.objects.get(title="Databehandleravtale for journal").reference
    assert reference in page.content()

    page.goto(f"{base}/")
    page.locator("tr", has_text=reference).get_by_role("link", name="Utarbeid utkast").click()
    page.fill("#id_start_date", "2027-01-01")
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages .success")

    # Legal and privacy approve; security asks for changes.
    reviewer = pages()
    review(reviewer, base, personas["lars"], reference, "Juridisk gjennomgang", "approved")
    review(reviewer, base, personas["pia"], reference, "Personverngjennomgang", "approved")
    review(
        reviewer,
        base,
        personas["sam"],
        reference,
        "Sikkerhetsgjennomgang",
        "changes_requested",
        "Legg ved sikkerhetstiltakene i bilag 2.",
    )

    # The owner sees the comment, fixes the draft and sends it round again.
    page.goto(f"{base}/")
    page.locator("tr", has_text=reference).get_by_role("link", name="Utarbeid utkast").click()
    assert "Legg ved sikkerhetstiltakene i bilag 2." in page.content()
    page.fill("#id_description", "Sikkerhetstiltak: se bilag 2.")
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages .success")
    for user, title in [
        (personas["lars"], "Juridisk gjennomgang"),
        (personas["pia"], "Personverngjennomgang"),
        (personas["sam"], "Sikkerhetsgjennomgang"),
    ]:
        review(reviewer, base, user, reference, title, "approved")

    # The customer's approver approves; both parties sign.
    review(reviewer, base, personas["ulla"], reference, "Godkjenning", "approved")
    for user, title in [
        (personas["ulla"], "Signering for kunden"),
        (personas["ivar"], "Signering for leverandøren"),
    ]:
        sign_in(reviewer, base, user, "pw")
        open_from_queue_or_inbox(reviewer, base, reference, title)
        reviewer.check("#id_confirm")
        reviewer.click("main button[type=submit]")
        reviewer.wait_for_selector(".messages .success")

    page.goto(f"{base}/agreements/{reference}/")
    assert page.locator(".subtitle .badge").inner_text() == "Aktiv"
    assert page.locator("text=Signert i løsningen").count() == 2
