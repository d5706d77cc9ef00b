"""The register's demo data: every category, covered and uncovered, and the RHF login."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from agreements.models import Application, User
from agreements.register.coverage import ending_soon, uncovered
from tests.factories import login_as

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_the_demo_register_has_every_case(orgs):
    call_command("seed_demo")
    apps, today = Application.objects.all(), timezone.localdate()
    assert apps.count() >= 60
    assert set(apps.values_list("category", flat=True)) == set(Application.Category.values)
    assert 0 < uncovered(apps, today).count() < apps.count()
    assert ending_soon(apps, today).exists()
    assert apps.filter(technical_management="it_provider").exists()
    page = login_as(User.objects.get(username="rhf"), "demo").get(reverse("register:list"))
    assert page.context["page"].paginator.count == apps.count()
