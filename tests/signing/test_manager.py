"""The managing organisation (forvalter, requirement 89): chosen or taken from the register; it
sees the agreement and reviews it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.models import Agreement, Application
from tests.factories import login_as, make_agreement
from tests.workflows.test_flow_http import create_over_http

from .conftest import supplier_dpa

pytestmark = pytest.mark.django_db


def test_it_takes_the_manager_from_the_register(personas, orgs, supplier, journal):
    managed = supplier_dpa(personas, supplier, journal)
    local = Application.objects.create(name="Lokal journal", supplier=supplier)
    unmanaged = supplier_dpa(personas, supplier, local)

    assert managed.manager == orgs["HNIKT"]
    assert managed.reviewing_organisation() == orgs["HNIKT"]
    assert unmanaged.manager == orgs["UNN"]
    assert unmanaged.reviewing_organisation() == orgs["UNN"]


def test_it_takes_the_manager_chosen_on_the_form(personas, orgs, supplier):
    client = login_as(personas["alice"])
    response = client.get(reverse("workflows:new_agreement"))
    assert "Forvalter" in response.content.decode()

    agreement = create_over_http(client, "service", orgs["UNN"], supplier)
    assert agreement.manager == orgs["UNN"]
    chosen = client.post(
        reverse("workflows:new_agreement"),
        {
            "kind": "service",
            "title": "Forvaltet av IKT",
            "customer": orgs["UNN"].pk,
            "provider": supplier.pk,
            "manager": orgs["HNIKT"].pk,
            "notice_months": 3,
        },
    )
    assert chosen.status_code == 302
    assert Agreement.objects.get(title="Forvaltet av IKT").manager == orgs["HNIKT"]


def test_it_refuses_an_unrelated_trust_as_manager(personas, orgs, supplier):
    with pytest.raises(ValidationError) as refused:
        make_agreement(personas["alice"], orgs["UNN"], supplier, manager=orgs["NLSH"])
    assert "Forvalter må være Helse Nord IKT" in str(refused.value)
    assert not Agreement.objects.exists()


def test_the_manager_sees_the_agreement_and_others_do_not(personas, supplier, journal):
    agreement = supplier_dpa(personas, supplier, journal)
    detail = reverse("agreements:detail", args=[agreement.reference])

    lars = login_as(personas["lars"])
    page = lars.get(detail)
    assert page.status_code == 200
    assert "Helse Nord IKT HF" in page.content.decode()
    assert agreement.reference in lars.get(reverse("agreements:list")).content.decode()
    assert login_as(personas["bob"]).get(detail).status_code == 404
    assert login_as(personas["nils"]).get(detail).status_code == 404
