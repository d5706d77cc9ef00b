"""A data processor agreement in a jurist's words: the parties are behandlingsansvarlig and
databehandler, and what Art. 28(3) requires can never be marked "ikke aktuelt"."""

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse

from agreements import checklist, terms
from agreements.models import Agreement, AuditEvent, DataProcessorTerms
from tests.factories import fill_dpa_terms, login_as, make_agreement, open_task

pytestmark = pytest.mark.django_db

MANDATORY_MESSAGE = "kreves av personvernforordningen artikkel 28 nr. 3"


@pytest.fixture
def dpa(personas, orgs):
    return make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], kind=Agreement.Kind.DATA_PROCESSOR
    )


def test_dpa_pages_call_the_parties_behandlingsansvarlig_and_databehandler(dpa, personas, orgs):
    client = login_as(personas["alice"])
    page = client.get(reverse("agreements:detail", args=[dpa.reference])).content.decode()
    assert "<dt>Behandlingsansvarlig</dt><dd>Universitetssykehuset Nord-Norge HF</dd>" in page
    assert "<dt>Databehandler</dt><dd>Helse Nord IKT HF</dd>" in page
    assert "<dt>Kunde</dt>" not in page
    task = client.get(reverse("workflows:task", args=[open_task(dpa, "draft").pk]))
    assert "<dt>Behandlingsansvarlig</dt>" in task.content.decode()
    service = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    page = client.get(reverse("agreements:detail", args=[service.reference])).content.decode()
    assert "<dt>Kunde</dt>" in page and "Behandlingsansvarlig" not in page


def test_the_terms_page_offers_ikke_aktuelt_only_for_optional_items(dpa, personas):
    page = login_as(personas["alice"]).get(reverse("agreements:terms", args=[dpa.reference]))
    html = page.content.decode()
    for item in checklist.ITEMS:
        offered = f'name="{item.key}_na"' in html
        assert offered == (not item.mandatory), item.key
    assert 'name="instructions_na"' not in html and 'name="scale_na"' in html


def terms_post(**fields) -> dict:
    empty_lists = {
        f"{name}-{suffix}": "0"
        for name in ("security_measures", "sub_processors", "processing_locations")
        for suffix in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    return {**empty_lists, **fields}


def test_a_mandatory_item_marked_ikke_aktuelt_is_refused_over_http(dpa, personas):
    fill_dpa_terms(dpa)
    before = model_to_dict(DataProcessorTerms.objects.get(agreement=dpa))
    events = AuditEvent.objects.filter(agreement=dpa).count()
    response = login_as(personas["alice"]).post(
        reverse("agreements:terms", args=[dpa.reference]),
        terms_post(subject_matter="Endret", instructions="", instructions_na="on"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "«(a) Behandling bare etter dokumenterte instrukser» kreves av" in page
    assert "kan ikke merkes «ikke aktuelt»" in page
    assert model_to_dict(DataProcessorTerms.objects.get(agreement=dpa)) == before
    assert AuditEvent.objects.filter(agreement=dpa).count() == events


def test_an_optional_item_may_be_ikke_aktuelt(dpa, personas):
    fill_dpa_terms(dpa, scale="")
    response = login_as(personas["alice"]).post(
        reverse("agreements:terms", args=[dpa.reference]),
        terms_post(**_filled_fields(dpa), scale="", scale_na="on"),
    )
    assert response.status_code == 302
    assert DataProcessorTerms.objects.get(agreement=dpa).scale_na is True


def _filled_fields(agreement) -> dict:
    stored = model_to_dict(DataProcessorTerms.objects.get(agreement=agreement))
    posted = {}
    for name, value in stored.items():
        if name in ("id", "agreement") or value in (None, False, ""):
            continue
        posted[name] = "on" if value is True else str(value)
    return posted


def test_the_use_case_refuses_it_too_and_an_old_flag_does_not_count(dpa, personas):
    with pytest.raises(ValidationError) as refused:
        terms.do_update_terms(personas["alice"], dpa, {"audit": "", "audit_na": True}, {})
    assert MANDATORY_MESSAGE in refused.value.messages[0]
    fill_dpa_terms(dpa, audit="")
    # A flag set before the rule existed (straight in the table) does not excuse the item.
    DataProcessorTerms.objects.filter(agreement=dpa).update(audit_na=True)
    assert checklist.missing_items(dpa) == ["(h) Dokumentasjon, revisjon og inspeksjon"]
