"""The header's links to a user's own settings: calendar feed and personal API tokens."""

import re

import pytest

from tests.factories import login_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("label", "heading"),
    [("Kalender", "Frister i kalenderen"), ("API-nøkler", "API-nøkler")],
)
def test_it_links_every_page_to_the_users_own_settings(label, heading, personas):
    client = login_as(personas["alice"])
    inbox = client.get("/inbox/").content.decode()
    header = inbox.split('<div class="user">')[1].split("</div>")[0]
    href = re.search(rf'<a class="account" href="([^"]+)">{label}</a>', header).group(1)
    page = client.get(href)
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.content.decode()
