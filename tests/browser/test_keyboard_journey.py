"""Review and signing with the keyboard alone: Tab, Enter, Space and typing, nothing else.

Lars (jurist at Helse Nord IKT) reviews a UNN data processor agreement with an external supplier,
Ulla signs it for UNN and the supplier's signatory signs it through the emailed link. Each first
sends the form incomplete: the focus lands on the field in error, which is marked invalid and
described by the error shown next to it. Every element the focus passes shows a focus ring, and
the error pages pass axe-core's WCAG 2.1 AA rules too.
"""

import re

import pytest

from agreements.models import Agreement, Signature
from tests.factories import APPROVE, do_task, run_document_jobs
from tests.signing.conftest import links_to, supplier_dpa

from .axe import assert_accessible
from .keyboard import assert_focus_visible, focused_field, press_and_wait, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

SIRI = "siri@acme.example"


def keyboard_sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(user.username)
    tab_to(page, "#id_password")
    page.keyboard.type("pw")
    press_and_wait(page, "Enter")
    page.wait_for_url(re.compile(r".*/$"))


def open_task_by_keyboard(page, reference):
    """From wherever the user is: the task of ``reference`` from the inbox, or claimed from the
    queue."""
    tab_to(page, "header nav a[href$='/inbox/']")
    press_and_wait(page, "Enter")
    row = f"tr:has(a[href*='/agreements/{reference}/'])"
    if page.locator(row).count():
        tab_to(page, f"{row} a.btn")
    else:
        tab_to(page, "nav.tabs a[href$='/queue/']")
        press_and_wait(page, "Enter")
        tab_to(page, f"{row} button[type=submit]")
    press_and_wait(page, "Enter")
    page.wait_for_selector("main form.stacked")


def submit_incomplete(page):
    """Send the task form as it is; the page comes back with the focus on the first error."""
    tab_to(page, "main form.stacked button[type=submit]")
    press_and_wait(page, "Enter")
    field = focused_field(page)
    assert field["invalid"] == "true", field
    assert field["errorVisible"] and field["errorNextToField"], field
    assert_focus_visible(page)
    assert_accessible(page, "a form with errors")
    return field


def test_review_and_signatures_with_the_keyboard_alone(
    live_server, pages, personas, supplier, journal, mail, settings
):
    settings.SITE_URL = live_server.url
    for user in personas.values():
        user.set_password("pw")
        user.save()
    base = live_server.url
    agreement = supplier_dpa(personas, supplier, journal, title="Databehandleravtale Acme")
    reference = agreement.reference
    do_task(personas["alice"], agreement, "draft", {"title": agreement.title, "notice_months": 3})
    page = pages(bypass_csp=True)

    # The skip link is the first stop and takes the focus past the menu to the content.
    keyboard_sign_in(page, base, personas["lars"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert page.locator(".skip-link").bounding_box()["y"] >= 0, "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Lars reviews: no choice first, then "approved" chosen with Space.
    open_task_by_keyboard(page, reference)
    field = submit_incomplete(page)
    assert field["name"] == "outcome" and field["value"] == "approved", field
    assert field["description"] == "Feltet er påkrevet.", field
    page.keyboard.press("Space")
    assert page.locator("input[name=outcome][value=approved]").is_checked()
    tab_to(page, "#id_comment")
    page.keyboard.type("Ingen merknader til personvernvilkårene.")
    tab_to(page, "main form.stacked button[type=submit]")
    press_and_wait(page, "Enter")
    assert page.locator(".messages .success").count()

    do_task(personas["pia"], agreement, "privacy_review", APPROVE)
    do_task(personas["sam"], agreement, "security_review", APPROVE)
    do_task(personas["ulla"], agreement, "approve", APPROVE)
    run_document_jobs()  # the version to sign, and the supplier's link mailed

    # Ulla signs for UNN: without the confirmation first, then with it (Space on the checkbox).
    keyboard_sign_in(page, base, personas["ulla"])
    open_task_by_keyboard(page, reference)
    field = submit_incomplete(page)
    assert field["id"] == "id_confirm", field
    assert "signaturfullmakt" in field["description"], field
    page.keyboard.press("Space")
    tab_to(page, "main form.stacked button[type=submit]")
    press_and_wait(page, "Enter")
    assert page.locator(".messages .success").count()

    # The supplier's signatory opens the emailed link and signs: a first name alone is refused.
    (token,) = links_to(mail, SIRI)
    page.context.clear_cookies()
    page.goto(f"{base}/signer/{token}/")
    tab_to(page, "#id_signer_name")
    page.keyboard.type("Siri")
    tab_to(page, "#id_confirm")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page, "Enter")
    field = focused_field(page)
    assert field["id"] == "id_signer_name" and field["invalid"] == "true", field
    assert "fullt navn" in field["description"].lower() and field["errorNextToField"], field
    assert_accessible(page, "the signing page with an error")
    page.keyboard.press("Control+A")
    page.keyboard.type("Siri Signatar")
    if not page.locator("#id_confirm").is_checked():
        tab_to(page, "#id_confirm")
        page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page, "Enter")
    assert "Takk, avtalen er signert" in page.locator("main").inner_text()
    assert_accessible(page, "the receipt after signing")

    agreement.refresh_from_db()
    assert Signature.objects.filter(agreement=agreement).count() == 2
    # What the code gives after the last signature today (a start date in the future may later
    # give "Signert" first: see the note to the lead).
    assert agreement.status == Agreement.Status.ACTIVE
