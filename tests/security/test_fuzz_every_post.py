"""Generated input for every URL that accepts a POST: never a 5xx; input that is refused leaves
every table as it was and is answered in Norwegian; input that changes something shows no error.

The URLconf is read to find every view that takes a POST (a function view takes every method
unless it says otherwise). Each must be fuzzed here: as a form (post_targets.TARGETS), as a page
that only reads (READ_ONLY), or, under /api/, by the schema-driven run in tests/api/test_fuzz.py.
A new form that is in none of them fails ``test_it_fuzzes_every_view_that_takes_a_post``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from agreements.appendix_files import do_attach_appendix_file
from agreements.documents import do_request_document
from tests.factories import make_agreement, open_task, run_document_jobs

from .fuzz_values import FUZZ, assert_norwegian, feedback, form_data, heading, snapshot, values
from .post_targets import TARGETS, as_user, build_world
from .post_targets_after import PDF

pytestmark = pytest.mark.django_db

# Pages that only show something; a POST to them must change nothing.
READ_ONLY = {
    "workflows:home",
    "workflows:inbox",
    "workflows:queue",
    "workflows:archive",
    "workflows:external_document",
    "agreements:list",
    "agreements:detail",
    "agreements:audit_csv",
    "agreements:document_file",
    "agreements:document_pdf",
    "tertial_report",
    "followup:list",
    "followup:detail",
    "followup:risks",
    "followup:risk",
    "reports:uncovered_letter",
    "register:list",
    "register:detail",
    "register:export_csv",
    "register:export_xlsx",
    "register:uncovered",
    "register:uncovered_xlsx",
    # The list of suppliers and the download of an appendix's file: a POST shows them too.
    "suppliers:list",
    "agreements:appendix_file",
}


def url_patterns(resolver=None, prefix="", namespace=""):
    """(route, full name, pattern) of every URL pattern outside the Django admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "static/")):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}", entry


def declared_methods(view) -> list[str] | None:
    """The methods a view says it answers, or None when it does not say."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return [m.upper() for m in view_class.http_method_names if hasattr(view_class, m)]
    while view is not None:
        # ``require_http_methods`` keeps its list in the closure of the function it returns.
        for cell in view.__closure__ or ():
            contents = cell.cell_contents
            if (
                isinstance(contents, list)
                and contents
                and all(isinstance(m, str) for m in contents)
            ):
                return contents
        view = getattr(view, "__wrapped__", None)
    return None


def takes_post(view) -> bool:
    methods = declared_methods(view)
    return methods is None or "POST" in methods


def test_it_fuzzes_every_view_that_takes_a_post():
    from tests.api.test_fuzz import raw_schema

    missing, api_routes = [], 0
    for route, name, pattern in url_patterns():
        if not takes_post(pattern.callback):
            continue
        if name.startswith("api:"):
            # Fuzzed by schemathesis, which knows only what the schema lists.
            path = "/" + route.replace("<int:", "{").replace("<str:", "{").replace(">", "}")
            assert "post" in raw_schema["paths"].get(path, {}), f"POST {path} not in the schema"
            api_routes += 1
        elif name not in TARGETS and name not in READ_ONLY:
            missing.append(f"{name} (/{route})")
    assert not missing, f"views that take a POST but are not fuzzed: {missing}"
    assert api_routes >= 4 and len(TARGETS) >= 20


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_it_survives_generated_posts(name, personas, orgs):
    world = build_world(personas, orgs)
    target = TARGETS[name](world)
    ids = world.foreign_ids | {world.agreement.pk, personas["alice"].pk, orgs["UNN"].pk}

    @FUZZ
    @given(url=st.sampled_from(target.urls), data=form_data(target.base, target.fields, ids))
    def post(url, data):
        before = snapshot()
        response = target.client.post(url, data)
        assert response.status_code < 500, f"POST {url} {data!r}: {response.status_code}"
        changed = snapshot() != before
        shown = response
        if response.status_code in (301, 302, 303) and response["Location"].startswith("/"):
            shown = target.client.get(response["Location"])
            assert shown.status_code < 500, f"after POST {url} {data!r}: {shown.status_code}"
        if 400 <= response.status_code < 500:
            # A refusal page (404, 403, 410, 429) says in Norwegian what happened.
            assert_norwegian(heading(response), {})
        said = feedback(shown)
        for message in said["errors"]:
            assert_norwegian(message, data)
        if changed:
            assert not said["errors"], f"POST {url} {data!r} changed data and said {said}"
        elif response.status_code < 400 and not target.silent:
            answered = target.answer and target.answer in shown.content.decode(errors="replace")
            assert said["errors"] or said["successes"] or answered, f"POST {url} {data!r}: silent"

    post()


def read_only_urls(world) -> dict[str, str]:
    """An address of each read-only page, with objects an administrator may see."""
    document = do_request_document(world.personas["lars"], world.agreement)
    run_document_jobs(pdf=False)
    operating = make_agreement(
        world.personas["alice"], world.orgs["UNN"], world.orgs["HNIKT"], kind="operating"
    )
    attached = do_attach_appendix_file(
        world.personas["alice"], operating, 7, PDF, "application/pdf", "prisliste.pdf"
    )
    values_for = {
        "reference": world.agreement.reference,
        "task_pk": open_task(world.agreement, "draft").pk,
        "document_pk": document.pk,
        "file_pk": attached.pk,
        "requirement_pk": world.requirement.pk,
        "risk_pk": world.foreign_risk.pk,
        "pk": world.foreign_application.pk,
        "token": "gjettet",
    }
    urls = {}
    for route, name, _pattern in url_patterns():
        if name in READ_ONLY:
            path = "/" + route
            for arg, value in values_for.items():
                for converter in ("", "int:", "str:"):
                    path = path.replace(f"<{converter}{arg}>", str(value))
            assert "<" not in path, f"no value for an argument of {route}"
            urls[name] = path
    assert set(urls) == READ_ONLY
    return urls


def test_it_changes_nothing_when_a_page_that_only_reads_gets_a_post(personas, orgs):
    world = build_world(personas, orgs)
    urls = read_only_urls(world)
    client = as_user(personas["ada"])

    @FUZZ
    @given(
        name=st.sampled_from(sorted(urls)),
        data=st.dictionaries(st.text(max_size=20), values(world.foreign_ids), max_size=5),
    )
    def post(name, data):
        before = snapshot()
        response = client.post(urls[name], data)
        assert response.status_code < 500, f"POST {urls[name]}: {response.status_code}"
        assert snapshot() == before, f"POST {urls[name]} {data!r} changed data"

    post()
