from datetime import date

import pytest

from agreements import terms
from agreements.models import Agreement
from docs_templates.context_builder import build_context
from docs_templates.kinds import (
    CONTEXT_NAMES,
    DOCUMENT_KINDS,
    context_errors,
    document_kind,
    example_context,
    example_terms,
)
from docs_templates.schema import COMMON_FIELDS
from tests.docs_templates.factories import TEMPLATES_DIR
from tests.factories import make_agreement

KINDS = Agreement.Kind.values


@pytest.mark.parametrize("kind", KINDS)
def test_it_gives_an_example_context_that_matches_the_schema(kind):
    context = example_context(kind)
    assert context_errors(kind, context) == []
    assert set(context) == CONTEXT_NAMES[kind]
    assert context["kind"] == kind


@pytest.mark.parametrize("kind", KINDS)
def test_it_fills_every_table_list_in_the_example(kind):
    context = example_context(kind)
    assert context["applications"] and context["signatories"]
    for name in ("sub_processors", "service_levels", "appendices", "child_agreements"):
        if name in context:
            assert context[name], name


def test_it_shares_common_names_across_kinds():
    for kind in KINDS:
        assert set(COMMON_FIELDS) <= CONTEXT_NAMES[kind]
    assert "dpa" in CONTEXT_NAMES["data_processor"] and "dpa" not in CONTEXT_NAMES["service"]
    assert CONTEXT_NAMES["main_operating"] == CONTEXT_NAMES["operating"]
    assert (
        document_kind("main_operating").template_file
        == document_kind("operating").template_file
        == "driftsavtale.docx"
    )


def test_it_labels_the_kinds_in_norwegian():
    assert example_context("main_operating")["kind_label"] == "Hoveddriftsavtale"
    assert example_context("data_processor")["kind_label"] == "Databehandleravtale"


def test_it_returns_a_fresh_copy_each_time():
    first = example_context("data_processor")
    first["sub_processors"].clear()
    first["customer"]["name"] = "Endret"
    second = example_context("data_processor")
    assert second["sub_processors"]
    assert second["customer"]["name"] != "Endret"


def test_it_reports_missing_extra_and_mistyped_fields():
    context = example_context("data_processor")
    del context["dpa"]["scale"]
    context["dpa"]["extra"] = 1
    context["dpa"]["health_data"] = "ja"
    context["sub_processors"][0]["country"] = None
    context["start_date"] = "2022-10-01"
    context["notice_months"] = True
    assert sorted(context_errors("data_processor", context)) == [
        "dpa.extra: not in the schema",
        "dpa.health_data: expected bool, got str",
        "dpa.scale: missing",
        "notice_months: expected int, got bool",
        "start_date: expected date, got str",
        "sub_processors[0].country: expected str, got NoneType",
    ]


def test_it_allows_none_for_optional_fields_only():
    context = example_context("service")
    context["end_date"] = None
    context["parent"] = None
    assert context_errors("service", context) == []
    context["end_date"] = date(2030, 1, 1)
    context["owner"] = None
    assert context_errors("service", context) == ["owner: expected dict, got NoneType"]


def test_it_rejects_an_unknown_kind():
    assert context_errors("lease", {}) == ["unknown kind 'lease'"]
    with pytest.raises(KeyError):
        example_context("lease")


def test_it_has_an_entry_and_a_shipped_template_for_every_kind():
    assert set(DOCUMENT_KINDS) == set(Agreement.Kind.values)
    for kind in KINDS:
        assert (TEMPLATES_DIR / document_kind(kind).template_file).is_file(), kind


@pytest.mark.parametrize("kind", KINDS)
def test_it_stores_the_example_terms_and_builds_the_example_context_from_them(kind, personas, orgs):
    example = example_context(kind)
    parties = {org.name: org for org in orgs.values()}
    agreement = make_agreement(
        personas["iris"],
        parties[example["customer"]["name"]],
        parties[example["provider"]["name"]],
        kind=kind,
        start_flow=False,
    )
    fields, rows = example_terms(kind)
    terms.do_update_terms(personas["iris"], agreement, fields, rows)
    context = build_context(agreement)
    assert context_errors(kind, context) == []
    # Other agreements and attached files are not terms: the bare agreement has none.
    linked = {"child_agreements", "data_processor_agreements"}
    own = set(CONTEXT_NAMES[kind]) - set(COMMON_FIELDS) - linked
    for appendix in example.get("appendices", []):
        appendix["files"] = []
    assert {name: context[name] for name in own} == {name: example[name] for name in own}
