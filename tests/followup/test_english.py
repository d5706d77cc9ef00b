"""The register, follow-up and overview pages in English for a user who chose English."""

import pytest
from django.urls import reverse

from tests.factories import login_as

pytestmark = pytest.mark.django_db


def test_a_user_who_switches_to_english_sees_the_follow_up_pages_in_english(
    followers, requirements
):
    client = login_as(followers["tor"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    followers["tor"].refresh_from_db()
    assert followers["tor"].language == "en"

    register = client.get("/applications/").content.decode()
    assert "The application register: categorisation by NSM" in register
    assert "New application" in register and "Import" in register
    assert "Applikasjonsregisteret" not in register

    listing = client.get("/requirements/?year=2022&period=2").content.decode()
    assert "Follow-up of the OD requirements 2022" in listing
    assert "Download the tertial report (Word)" in listing
    assert "Oppfølging av OD-krav" not in listing

    detail = client.get(f"/requirements/{requirements[93].pk}/").content.decode()
    assert "Overview sent to Helse Nord RHF" in detail and "Record as sent" in detail

    uncovered = client.get("/reports/uncovered/").content.decode()
    assert "Applications without a supplier agreement" in uncovered
