import pytest

from agreements import lifecycle
from agreements.forms.agreements import AgreementDraftFields
from agreements.kinds import KINDS, kind_spec, parent_kinds
from agreements.models import Agreement, Decision
from tests.factories import make_agreement

Kind = Agreement.Kind


def test_it_has_an_entry_for_every_kind():
    assert set(KINDS) == set(Kind.values)


@pytest.mark.parametrize("kind", Kind.values)
def test_it_names_each_kind_with_the_models_label(kind):
    assert kind_spec(kind).label == Kind(kind).label


def test_it_names_the_main_operating_agreement_in_one_word():
    assert str(kind_spec(Kind.MAIN_OPERATING).label) == "Hoveddriftsavtale"


@pytest.mark.parametrize("kind", Kind.values)
def test_it_links_every_terms_and_row_model_to_the_agreement(kind):
    spec = kind_spec(kind)
    one_to_one = spec.terms_model._meta.get_field("agreement")
    assert one_to_one.one_to_one and one_to_one.related_model is Agreement
    for related_name, model in spec.row_models.items():
        link = model._meta.get_field("agreement")
        assert link.related_model is Agreement
        assert link.remote_field.related_name == related_name


def test_it_rejects_an_unknown_kind():
    with pytest.raises(KeyError):
        kind_spec("lease")


def test_it_lets_operating_and_service_agreements_be_parents():
    assert parent_kinds() == [Kind.MAIN_OPERATING, Kind.OPERATING, Kind.SERVICE]


@pytest.mark.parametrize(
    ("kind", "areas"),
    [
        (Kind.DATA_PROCESSOR, ["legal", "privacy", "security"]),
        (Kind.SERVICE, ["legal"]),
        (Kind.MAIN_OPERATING, ["legal"]),
        (Kind.OTHER, ["legal"]),
    ],
)
def test_it_requires_the_reviews_of_the_kind(kind, areas, personas, orgs):
    agreement = make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], kind=kind, start_flow=False
    )
    assert lifecycle.required_review_areas(agreement) == areas
    assert all(area in Decision.Area.values for area in areas)


def test_it_offers_only_parent_kinds_as_parents(personas, orgs):
    owner = personas["iris"]
    parents = {
        kind: make_agreement(owner, orgs["UNN"], orgs["HNIKT"], kind=kind, start_flow=False)
        for kind in Kind.values
    }
    child = make_agreement(owner, orgs["UNN"], orgs["HNIKT"], start_flow=False)
    offered = set(AgreementDraftFields(agreement=child).fields["parent"].queryset)
    assert offered == {parents[kind] for kind in parent_kinds()}
