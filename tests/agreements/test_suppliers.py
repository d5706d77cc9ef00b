"""Service managers keep supplier organisations and their contact persons without an
administrator; the menu offers the supplier and template pages only to those who may use them."""

import pytest
from django.urls import reverse

from agreements.models import Organisation, SupplierContact
from agreements.roles import Role
from tests.factories import login_as, make_user

pytestmark = pytest.mark.django_db


def supplier_post(name="Acme Helse AS", org_number="914 778 271", contacts=(), stored=0) -> dict:
    """The form as the page posts it; ``stored`` is how many contacts the page showed (the
    formset validates those rows even when unchanged)."""
    data = {
        "name": name,
        "org_number": org_number,
        "contacts-TOTAL_FORMS": str(max(len(contacts), stored)),
        "contacts-INITIAL_FORMS": str(stored),
    }
    for index, (person, email, may_sign) in enumerate(contacts):
        data[f"contacts-{index}-name"] = person
        data[f"contacts-{index}-email"] = email
        if may_sign:
            data[f"contacts-{index}-may_sign"] = "on"
    return data


def suppliers() -> list[str]:
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).values_list("name", flat=True)
    )


def test_a_service_manager_adds_a_supplier_and_its_contacts(personas):
    client = login_as(personas["iris"])
    assert "Ny leverandør" in client.get(reverse("suppliers:list")).content.decode()
    response = client.post(
        reverse("suppliers:new"),
        supplier_post(
            contacts=[
                ("Siv Signe", "siv@acme.example", True),
                ("Ola Kontakt", "ola@acme.example", False),
            ]
        ),
        follow=True,
    )
    assert "Leverandøren er lagret." in response.content.decode()
    supplier = Organisation.objects.get(name="Acme Helse AS")
    assert supplier.kind == Organisation.Kind.SUPPLIER and supplier.org_number == "914778271"
    assert [(c.name, c.email, c.may_sign) for c in supplier.contacts.order_by("name")] == [
        ("Ola Kontakt", "ola@acme.example", False),
        ("Siv Signe", "siv@acme.example", True),
    ]
    listing = client.get(reverse("suppliers:list")).content.decode()
    assert "Acme Helse AS" in listing and "914778271" in listing


def test_a_bad_organisation_number_is_refused_and_nothing_is_stored(personas):
    client = login_as(personas["iris"])
    for bad in ("914 778 272", "12345678", "abcdefghi"):
        response = client.post(
            reverse("suppliers:new"),
            supplier_post(org_number=bad, contacts=[("Siv", "siv@acme.example", True)]),
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "er ikke et gyldig organisasjonsnummer (ni siffer med kontrollsiffer)" in page
    assert suppliers() == []
    assert not SupplierContact.objects.exists()


def test_the_same_contact_twice_or_a_taken_number_is_refused(personas, orgs):
    client = login_as(personas["iris"])
    twice = [("Siv", "siv@acme.example", True), ("Siv igjen", "SIV@acme.example", False)]
    page = client.post(reverse("suppliers:new"), supplier_post(contacts=twice)).content.decode()
    assert "Hver e-postadresse kan bare stå på én kontaktperson." in page
    assert suppliers() == []
    Organisation.objects.filter(pk=orgs["NLSH"].pk).update(org_number="914778271")
    page = client.post(reverse("suppliers:new"), supplier_post()).content.decode()
    assert "Organisasjonsnummeret er allerede registrert på Nordlandssykehuset HF." in page
    assert suppliers() == []


def test_a_service_manager_changes_the_contacts(personas):
    supplier = Organisation.objects.create(
        code="acme", name="Acme Helse AS", kind=Organisation.Kind.SUPPLIER, org_number="914778271"
    )
    SupplierContact.objects.create(organisation=supplier, name="Gammel", email="g@acme.example")
    client = login_as(personas["iris"])
    page = client.get(reverse("suppliers:edit", args=[supplier.pk])).content.decode()
    assert 'value="g@acme.example"' in page
    response = client.post(
        reverse("suppliers:edit", args=[supplier.pk]),
        supplier_post(contacts=[("Ny Signatar", "ny@acme.example", True)]),
    )
    assert response.status_code == 302
    assert [(c.name, c.may_sign) for c in supplier.contacts.all()] == [("Ny Signatar", True)]


def test_every_change_to_a_supplier_and_its_signers_is_in_its_history(personas):
    """The signing link goes to the contacts who may sign: the page shows who changed them."""
    client = login_as(personas["iris"])
    client.post(reverse("suppliers:new"), supplier_post(contacts=[("Siv", "siv@acme.example", 1)]))
    supplier = Organisation.objects.get(name="Acme Helse AS")
    edit = reverse("suppliers:edit", args=[supplier.pk])
    client.post(
        edit,
        supplier_post(
            name="Acme Helse Nord AS", contacts=[("Siv", "siv@acme.example", 1)], stored=1
        ),
    )
    client.post(
        edit,
        supplier_post(
            name="Acme Helse Nord AS", contacts=[("Siv", "siv@acme.example", 0)], stored=1
        ),
    )
    client.post(
        edit,
        supplier_post(
            name="Acme Helse Nord AS", contacts=[("Eve", "eve@evil.example", 1)], stored=1
        ),
    )
    page = client.get(edit).content.decode()
    history = page[page.index("Historikk") :]
    changes = [
        "Kontaktperson lagt til: Eve &lt;eve@evil.example&gt;, kan signere",
        "Kontaktperson fjernet: Siv &lt;siv@acme.example&gt;",
        "Kontaktperson endret: Siv &lt;siv@acme.example&gt;, kan ikke signere",
        "Endret: navn",
        "Kontaktperson lagt til: Siv &lt;siv@acme.example&gt;, kan signere",
        "Registrert som leverandør",
    ]
    positions = [history.index(text) for text in changes]
    assert positions == sorted(positions), "newest first"
    assert history.count(str(personas["iris"])) == len(changes)
    # Saving without a change adds nothing.
    client.post(
        edit,
        supplier_post(
            name="Acme Helse Nord AS", contacts=[("Eve", "eve@evil.example", 1)], stored=1
        ),
    )
    assert supplier.history.count() == 2 and SupplierContact.history.count() == 4


def test_others_get_404_and_trusts_are_not_suppliers(personas, orgs):
    supplier = Organisation.objects.create(
        code="acme", name="Acme Helse AS", kind=Organisation.Kind.SUPPLIER
    )
    for persona in ("alice", "lars", "ulla"):  # owner, jurist, approver: no service managers
        client = login_as(personas[persona])
        assert client.get(reverse("suppliers:list")).status_code == 404
        assert client.get(reverse("suppliers:new")).status_code == 404
        assert client.get(reverse("suppliers:edit", args=[supplier.pk])).status_code == 404
        response = client.post(reverse("suppliers:new"), supplier_post(name="Snik AS"))
        assert response.status_code == 404
    manager = login_as(personas["iris"])
    assert manager.get(reverse("suppliers:edit", args=[orgs["UNN"].pk])).status_code == 404
    assert manager.get(reverse("suppliers:edit", args=[999999])).status_code == 404
    assert suppliers() == ["Acme Helse AS"]
    assert login_as(personas["ada"]).get(reverse("suppliers:list")).status_code == 200


def test_the_menu_offers_templates_and_suppliers_only_to_those_allowed(personas, orgs):
    trust_manager = make_user("tor", orgs["UNN"], Role.SERVICE_MANAGER)
    expectations = {
        "alice": (False, False),
        "lars": (True, False),  # a jurist uses the templates
        "iris": (False, True),  # a service manager keeps the suppliers
        "ada": (True, True),
    }
    templates_link = f'href="{reverse("docs_templates:list")}"'
    suppliers_link = f'href="{reverse("suppliers:list")}"'
    for name, (templates, supplier_pages) in expectations.items():
        page = login_as(personas[name]).get(reverse("agreements:list")).content.decode()
        assert (templates_link in page) == templates, name
        assert (suppliers_link in page) == supplier_pages, name
        status = login_as(personas[name]).get(reverse("docs_templates:list")).status_code
        assert (status == 200) == templates, name
    page = login_as(trust_manager).get(reverse("agreements:list")).content.decode()
    assert suppliers_link in page
