"""An agreement hangs only under its own customer's framework agreements (issue 10, point 6)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements import lifecycle
from agreements.models import Agreement
from tests.factories import login_as, make_agreement, open_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def frameworks(personas, orgs):
    """A main operating agreement for UNN and one for Nordlandssykehuset."""
    main = Agreement.Kind.MAIN_OPERATING
    return {
        "UNN": make_agreement(
            personas["alice"], orgs["UNN"], orgs["HNIKT"], kind=main, title="Hoved UNN"
        ),
        "NLSH": make_agreement(
            personas["bob"], orgs["NLSH"], orgs["HNIKT"], kind=main, title="Hoved NLSH"
        ),
    }


def new_agreement_post(orgs, parent):
    return {
        "kind": "service",
        "title": "PACS-drift",
        "customer": orgs["UNN"].pk,
        "provider": orgs["HNIKT"].pk,
        "notice_months": 3,
        "parent": parent.pk,
    }


def test_it_offers_only_the_customers_own_frameworks_on_the_new_agreement_page(
    personas, frameworks
):
    page = login_as(personas["alice"]).get(reverse("workflows:new_agreement")).content.decode()
    assert "Hoved UNN" in page
    assert "Hoved NLSH" not in page


def test_it_refuses_a_crafted_post_with_another_trusts_parent(personas, orgs, frameworks):
    client = login_as(personas["alice"])
    response = client.post(
        reverse("workflows:new_agreement"), new_agreement_post(orgs, frameworks["NLSH"])
    )
    assert response.status_code == 200
    assert not Agreement.objects.filter(title="PACS-drift").exists()


def test_it_refuses_another_customers_parent_even_when_the_user_sees_it(personas, orgs, frameworks):
    # Helse Nord IKT sees both trusts' agreements; a UNN agreement still cannot hang under NLSH's.
    with pytest.raises(ValidationError) as refused:
        lifecycle.do_create_agreement(
            personas["iris"],
            title="PACS-drift",
            kind=Agreement.Kind.SERVICE,
            customer=orgs["UNN"],
            provider=orgs["HNIKT"],
            parent=frameworks["NLSH"],
        )
    assert refused.value.message_dict["parent"] == [
        "Overordnet avtale må være en rammeavtale for den samme kunden."
    ]
    assert not Agreement.objects.filter(title="PACS-drift").exists()


def test_it_accepts_the_customers_own_framework(personas, orgs, frameworks):
    client = login_as(personas["alice"])
    response = client.post(
        reverse("workflows:new_agreement"), new_agreement_post(orgs, frameworks["UNN"])
    )
    assert response.status_code == 302
    assert Agreement.objects.get(title="PACS-drift").parent == frameworks["UNN"]


def test_the_draft_form_lists_no_other_trusts_agreement(personas, orgs, frameworks):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="Utkast")
    draft = open_task(agreement, "draft")
    page = login_as(personas["alice"]).get(reverse("workflows:task", args=[draft.pk]))
    text = page.content.decode()
    assert "Hoved UNN" in text
    assert "Hoved NLSH" not in text


def test_the_draft_refuses_another_trusts_parent(personas, orgs, frameworks):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="Utkast")
    draft = open_task(agreement, "draft")
    response = login_as(personas["alice"]).post(
        reverse("workflows:task", args=[draft.pk]),
        {"title": "Utkast", "notice_months": 3, "parent": frameworks["NLSH"].pk},
    )
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.parent is None
    assert agreement.status == Agreement.Status.DRAFT
