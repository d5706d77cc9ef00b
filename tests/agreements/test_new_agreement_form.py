"""The new-agreement and draft forms: no default kind, parties grouped with organisation
numbers, and applications picked from the customer's own, filterable, never another's."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from agreements.models import Agreement, Application, ApplicationUse, Organisation
from tests.factories import login_as, make_agreement, open_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def apps(orgs):
    made = {}
    for name, code in (("DIPS Arena", "UNN"), ("Sectra PACS", "UNN"), ("Nordlandsjournal", "NLSH")):
        made[name] = Application.objects.create(name=name)
        ApplicationUse.objects.create(application=made[name], organisation=orgs[code])
    return made


@pytest.fixture
def supplier(db):
    return Organisation.objects.create(
        code="acme", name="Acme Helse AS", kind=Organisation.Kind.SUPPLIER, org_number="914778271"
    )


def new_agreement(**fields) -> dict:
    return {"title": "PACS-drift", "notice_months": 3, **fields}


def test_the_kind_has_no_default_and_must_be_chosen(personas, orgs):
    client = login_as(personas["alice"])
    page = client.get(reverse("workflows:new_agreement")).content.decode()
    kind = re.search(r'<select name="kind"[^>]*>(.*?)</select>', page, flags=re.DOTALL).group(1)
    assert re.match(r'\s*<option value="" selected>Velg type</option>', kind)
    assert "required" in re.search(r'<select name="kind"[^>]*>', page).group(0)
    response = client.post(
        reverse("workflows:new_agreement"),
        new_agreement(customer=orgs["UNN"].pk, provider=orgs["HNIKT"].pk),
    )
    assert "Velg hvilken type avtale dette er." in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_parties_are_grouped_with_their_organisation_numbers(personas, orgs, supplier):
    Organisation.objects.filter(pk=orgs["UNN"].pk).update(org_number="983974899")
    page = login_as(personas["alice"]).get(reverse("workflows:new_agreement")).content.decode()
    customer = re.search(r'<select name="customer".*?</select>', page, flags=re.DOTALL).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', customer, flags=re.DOTALL)
    assert [label for label, _ in groups] == ["Helseforetak", "Helse Nord IKT", "Leverandører"]
    grouped = dict(groups)
    assert "Universitetssykehuset Nord-Norge HF (org.nr. 983 974 899)" in grouped["Helseforetak"]
    assert "Helse Nord IKT" in grouped["Helse Nord IKT"]
    assert "Acme Helse AS (org.nr. 914 778 271)" in grouped["Leverandører"]
    assert "Acme Helse AS" not in grouped["Helseforetak"]
    manager = re.search(r'<select name="manager".*?</select>', page, flags=re.DOTALL).group(0)
    assert "Acme Helse AS" not in manager


def test_applications_are_filterable_checkboxes_of_the_customer_without_inline_script(
    personas, orgs, apps
):
    page = login_as(personas["alice"]).get(reverse("workflows:new_agreement")).content.decode()
    assert "<select" not in re.search(r"data-filtered-choices.*?</div>\s*</div>", page, re.S)[0]
    boxes = re.findall(r'<input type="checkbox" name="applications"[^>]*>', page)
    assert len(boxes) == 2  # alice (UNN) sees UNN's applications, not Nordlandssykehuset's
    assert all(f'data-used-by="{orgs["UNN"].pk}"' in box for box in boxes)
    assert "DIPS Arena" in page and "Nordlandsjournal" not in page
    assert 'type="search"' in page and "data-filter" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script breaks the CSP"
    assert not re.search(r"\son[a-z]+=", page), "inline handlers break the CSP"
    with open(finders.find("js/app.js"), encoding="utf-8") as script:
        assert "[data-filtered-choices]" in script.read()


def test_another_customers_application_is_refused(personas, orgs, apps):
    client = login_as(personas["iris"])  # Helse Nord IKT sees the whole register
    response = client.post(
        reverse("workflows:new_agreement"),
        new_agreement(
            kind="service",
            customer=orgs["UNN"].pk,
            provider=orgs["HNIKT"].pk,
            applications=[apps["DIPS Arena"].pk, apps["Nordlandsjournal"].pk],
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Universitetssykehuset Nord-Norge HF bruker ikke: Nordlandsjournal." in page
    assert not Agreement.objects.exists()
    response = client.post(
        reverse("workflows:new_agreement"),
        new_agreement(
            kind="service",
            customer=orgs["UNN"].pk,
            provider=orgs["HNIKT"].pk,
            applications=[apps["DIPS Arena"].pk],
        ),
    )
    assert response.status_code == 302
    assert list(Agreement.objects.get().applications.all()) == [apps["DIPS Arena"]]


def test_the_draft_offers_and_accepts_only_the_customers_applications(personas, orgs, apps):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    client = login_as(personas["alice"])
    url = reverse("workflows:task", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "Sectra PACS" in page and "Nordlandsjournal" not in page
    crafted = {
        "title": agreement.title,
        "notice_months": 3,
        "applications": [apps["Nordlandsjournal"].pk],
    }
    response = client.post(url, crafted)
    assert "Velg bare blant applikasjonene kunden bruker." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert not agreement.applications.exists()
