"""Terms snapshots, their differences and who must review again (``agreements.snapshots``,
``agreements.review_rounds``)."""

import pytest

from agreements import review_rounds, terms
from agreements.models import Agreement, Decision
from agreements.snapshots import differences, readable, take_snapshot
from tests.factories import fill_dpa_terms, make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpa(personas, orgs):
    agreement = make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], kind=Agreement.Kind.DATA_PROCESSOR
    )
    fill_dpa_terms(agreement)
    return agreement


def test_a_snapshot_reads_as_the_reader_sees_it(dpa, personas):
    terms.do_update_terms(personas["alice"], dpa, {"scale_na": True, "scale": ""}, {})
    snapshot = take_snapshot(dpa)
    assert snapshot["fields"]["terms.end_of_processing"] == "Tilbakeleveres og slettes"
    assert snapshot["fields"]["terms.health_data"] == "Ja"
    assert snapshot["fields"]["terms.scale"] == "Ikke aktuelt"
    page = readable(dpa, snapshot)
    labels = [label for label, _text in page["fields"]]
    assert labels.index("Behandlingens gjenstand") < labels.index("(h) revisjon og dokumentasjon")
    assert "Omfang" in labels
    measures = next(item for item in page["lists"] if item.name == "security_measures")
    assert measures.columns == ["Område", "Tiltak"]
    assert ["Tilgangsstyring", "Tofaktorpålogging, tjenstlig behov og rollebasert tilgang."] in (
        measures.rows
    )


def test_differences_name_fields_and_rows(dpa, personas):
    before = take_snapshot(dpa)
    measures = [{"area": "Logging", "measure": "Fem års logg."}]
    terms.do_update_terms(
        personas["alice"], dpa, {"audit": "Årlig revisjon."}, {"security_measures": measures}
    )
    changes = differences(dpa, before, take_snapshot(dpa))
    audit = next(c for c in changes if c.label == "(h) revisjon og dokumentasjon")
    assert audit.kind == "changed" and audit.after == "Årlig revisjon."
    rows = [(c.kind, c.after or c.before) for c in changes if c.label == "Sikkerhetstiltak"]
    assert ("added", "Logging · Fem års logg.") in rows
    assert sum(kind == "removed" for kind, _text in rows) == 4


@pytest.mark.parametrize(
    ("key", "legal", "privacy", "security"),
    [
        ("agreement.title", True, False, False),
        ("terms.purposes", True, True, False),
        ("lists.sub_processors", True, True, True),
        ("lists.security_measures", True, False, True),
    ],
)
def test_each_area_reads_its_part_of_the_terms(key, legal, privacy, security):
    assert review_rounds.reads(Decision.Area.LEGAL, key) is legal
    assert review_rounds.reads(Decision.Area.PRIVACY, key) is privacy
    assert review_rounds.reads(Decision.Area.SECURITY, key) is security


def test_the_first_round_asks_every_area_of_the_kind(dpa):
    dpa.review_round = 1
    assert review_rounds.areas_to_review(dpa, take_snapshot(dpa)) == [
        "legal",
        "privacy",
        "security",
    ]
