"""The demo data: every persona finds work, a second run duplicates nothing, no logins without DEBUG."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from agreements.models import Agreement, User
from tests.factories import login_as
from workflows import inbox

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_it_gives_every_demo_user_work_and_runs_only_once(orgs):
    call_command("seed_demo")
    agreements = Agreement.objects.count()
    call_command("seed_demo")
    assert Agreement.objects.count() == agreements >= 12
    assert set(Agreement.objects.values_list("kind", flat=True)) == set(Agreement.Kind.values)
    statuses = set(Agreement.objects.values_list("status", flat=True))
    assert {
        "draft",
        "in_review",
        "changes_requested",
        "awaiting_approval",
        "awaiting_signature",
        "active",
        "terminated",
        "cancelled",
    } <= statuses
    for username in [
        "owner",
        "owner-nlsh",
        "ikt",
        "legal",
        "pvo",
        "security",
        "approver",
        "approver-nlsh",
        "ikt-approver",
    ]:
        user = User.objects.get(username=username)
        work = list(inbox.inbox(user)) + list(inbox.queue(user))
        assert work, f"{username} has nothing to do"
    client = login_as(User.objects.get(username="approver"), password="demo")
    page = client.get(reverse("workflows:queue")).content.decode()
    assert "Godkjenning" in page


@override_settings(DEBUG=False)
def test_it_refuses_to_create_password_logins_without_debug(orgs):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
