"""Who sees and changes which applications: editors, trusts, the regional authority."""

import pytest
from django.urls import reverse

from agreements.models import Application
from agreements.register.applications import visible_applications
from tests.factories import login_as

from .helpers import application, supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def apps(orgs, personas):
    dips = supplier()
    return {
        "unn": application(personas["iris"], "UNN-system", dips, [orgs["UNN"]]),
        "nlsh": application(personas["iris"], "NLSH-system", dips, [orgs["NLSH"]]),
    }


def names(user):
    return set(visible_applications(user).values_list("name", flat=True))


def test_each_persona_sees_what_their_organisation_may(apps, personas, rhf_user):
    assert names(personas["alice"]) == {"UNN-system"}
    assert names(personas["bob"]) == {"NLSH-system"}
    assert names(personas["iris"]) == {"UNN-system", "NLSH-system"}
    assert names(rhf_user) == {"UNN-system", "NLSH-system"}
    assert names(personas["lars"]) == set()


def test_a_foreign_application_answers_404(apps, personas):
    client = login_as(personas["alice"])
    assert client.get(reverse("register:detail", args=[apps["nlsh"].pk])).status_code == 404
    page = client.get(reverse("register:detail", args=[apps["unn"].pk]))
    assert "UNN-system" in page.content.decode()


def test_the_rhf_reads_everything_but_cannot_edit(apps, rhf_user):
    client = login_as(rhf_user)
    listing = client.get(reverse("register:list")).content.decode()
    assert "UNN-system" in listing and "NLSH-system" in listing
    assert reverse("register:new") not in listing
    assert client.get(reverse("register:edit", args=[apps["unn"].pk])).status_code == 404
    response = client.post(reverse("register:new"), {"name": "Snik"})
    assert response.status_code == 404
    assert not Application.objects.filter(name="Snik").exists()


def test_a_service_manager_edits_and_the_history_says_who(apps, personas, orgs):
    client = login_as(personas["iris"])
    app = apps["unn"]
    data = {
        "name": "UNN-system",
        "supplier": app.supplier_id,
        "version": "2.0",
        "asset_id": "APP-000001",
        "installed_on": "server",
        "regional": "yes",
        "category": "needed",
        "technical_management": "it_provider",
        "technical_transferred_on": "2022-05-01",
        "mercantile_management": "trust",
        "mercantile_transferred_on": "",
        "tool_agreement_number": "",
        "notes": "",
        "uses-TOTAL_FORMS": "2",
        "uses-INITIAL_FORMS": "1",
        "uses-0-organisation": orgs["UNN"].pk,
        "uses-0-system_owner_name": "Siri Systemeier",
        "uses-0-system_owner_email": "siri@unn.example",
        "uses-1-organisation": orgs["FIN"].pk,
    }
    response = client.post(reverse("register:edit", args=[app.pk]), data)
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.version, app.category, app.technical_management) == ("2.0", "needed", "it_provider")
    assert set(app.used_by.values_list("code", flat=True)) == {"UNN", "FIN"}
    assert app.uses.get(organisation=orgs["UNN"]).system_owner_name == "Siri Systemeier"
    latest = app.history.latest()
    assert latest.history_user == personas["iris"]
    page = client.get(reverse("register:detail", args=[app.pk])).content.decode()
    assert "NSM-kategori" in page and "Tatt i bruk av Finnmarkssykehuset" in page


def test_the_list_costs_the_same_queries_for_few_and_many_rows(orgs, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as(personas["iris"])
    dips = supplier()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("register:list"), {"category": "needed"}).status_code == 200
        return len(captured)

    application(personas["iris"], "Første", dips, [orgs["UNN"]], category="needed")
    few = queries()
    for i in range(30):
        application(
            personas["iris"], f"App {i}", dips, [orgs["UNN"], orgs["FIN"]], category="needed"
        )
    assert queries() == few
