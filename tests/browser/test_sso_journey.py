"""Single sign-on end to end: Chromium, the app on a live server and a real OIDC provider."""

import re

import pytest

from agreements.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AT_PROVIDER_LOGIN = re.compile(r"^http://127\.0\.0\.1:\d+/login/\?next=")


def sign_in_at_provider(page, app_url, username):
    page.goto(f"{app_url}/accounts/login/")
    # Password login is switched off: the page offers only single sign-on.
    assert page.locator("#id_password").count() == 0
    page.click("#sso-login")
    page.wait_for_url(AT_PROVIDER_LOGIN)
    assert "Helse Nord pålogging" in page.content()
    page.fill("#id_username", username)
    page.fill("#id_password", "provider-pass")
    page.click("button[type=submit]")


def test_a_mapped_user_signs_in_with_roles_and_signs_out_at_the_provider(
    sso, live_server, pages, orgs
):
    page = pages()
    sign_in_at_provider(page, live_server.url, "kari")
    page.wait_for_url(f"{live_server.url}/**")
    assert "Kari Nordmann" in page.locator(".who").inner_text()
    user = User.objects.get(username="kari")
    assert user.oidc_subject
    assert user.organisation.code == "UNN"
    assert user.role_names() == {"contract_owner", "approver"}
    assert not user.has_usable_password()

    page.click("header form[action$='/accounts/logout/'] button")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert sso["end_sessions"].read_text().splitlines() == ["kari hint=True"]
    # The provider's session is gone too: signing in again asks for the password.
    page.click("#sso-login")
    page.wait_for_url(AT_PROVIDER_LOGIN)
    assert page.locator("#id_password").count() == 1


def test_a_user_the_map_does_not_know_is_refused_in_norwegian(sso, live_server, pages, orgs):
    page = pages()
    sign_in_at_provider(page, live_server.url, "ola")
    page.wait_for_url(f"{live_server.url}/accounts/sso/refused/")
    text = page.content()
    assert "Du har ikke tilgang til avtaleforvaltningen" in text
    assert "ingen rolle i avtaleforvaltningen" in text
    assert not User.objects.filter(username="ola").exists()


def test_the_same_subject_is_the_same_user_even_after_a_name_change(sso, live_server, pages, orgs):
    page = pages()
    sign_in_at_provider(page, live_server.url, "kari")
    page.wait_for_url(f"{live_server.url}/**")
    first = User.objects.get(username="kari")
    first.username = "kari.renamed"
    first.first_name = "Gammelt navn"
    first.save()
    page.context.clear_cookies()
    sign_in_at_provider(page, live_server.url, "kari")
    page.wait_for_url(f"{live_server.url}/**")
    assert User.objects.filter(oidc_subject=first.oidc_subject).count() == 1
    assert User.objects.get(pk=first.pk).first_name == "Kari"
