"""Generated input for every form: never a 5xx, and nothing changes when input is refused."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement, AuditEvent, Deadline, Decision, Signature
from tests.factories import advance, make_agreement, open_task
from workflows import actions

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "<script>",
            "' OR 1=1 --",
            "\x00",
            "é" * 250,
            "null",
            "[]",
            "{}",
        ]
    ),
)
maybe_text = st.one_of(st.none(), text, st.integers(min_value=-(10**12), max_value=10**12).map(str))


# Every date Python can hold, with the edges of the allowed range and of the holiday calendar.
any_date = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(
        [
            date(1999, 12, 31),
            date(2000, 1, 1),
            date(2099, 12, 31),
            date(2100, 1, 1),
            date(2101, 1, 1),
            date(1900, 12, 31),
        ]
    ),
).map(date.isoformat)
maybe_date = st.one_of(st.none(), any_date)
dates = st.fixed_dictionaries(
    {"target_date": maybe_date, "start_date": maybe_date, "end_date": maybe_date}
)


def snapshot(agreement=None):
    return (
        Agreement.objects.count(),
        AuditEvent.objects.count(),
        Decision.objects.count(),
        Signature.objects.count(),
        tuple(Agreement.objects.order_by("pk").values_list("title", "status", "review_round")),
    )


def post_form(client, url, data):
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "kind": maybe_text,
            "title": maybe_text,
            "customer": maybe_text,
            "provider": maybe_text,
            "notice_months": maybe_text,
            "target_date": st.one_of(maybe_text, any_date),
            "start_date": st.one_of(maybe_text, any_date),
            "end_date": st.one_of(maybe_text, any_date),
            "applications": maybe_text,
            "parent": maybe_text,
            "requirement": maybe_text,
        }
    )
)
def test_it_survives_generated_new_agreement_input(data, personas, orgs):
    client = as_user(personas["alice"])
    before = snapshot()
    response = post_form(client, reverse("workflows:new_agreement"), data)
    assert response.status_code < 500
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "title": maybe_text,
            "notice_months": maybe_text,
            "target_date": st.one_of(maybe_text, any_date),
            "start_date": st.one_of(maybe_text, any_date),
            "end_date": st.one_of(maybe_text, any_date),
            "description": maybe_text,
        }
    )
)
def test_it_survives_generated_draft_input(data, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    before = snapshot()
    response = post_form(
        as_user(personas["alice"]), reverse("workflows:task", args=[draft.pk]), data
    )
    assert response.status_code < 500
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(dates=dates)
def test_it_survives_any_date_on_an_otherwise_valid_new_agreement(dates, personas, orgs):
    data = {
        "kind": Agreement.Kind.SERVICE,
        "title": "Drift av PACS",
        "customer": orgs["UNN"].pk,
        "provider": orgs["HNIKT"].pk,
        "notice_months": 3,
        **dates,
    }
    before = snapshot()
    response = post_form(as_user(personas["alice"]), reverse("workflows:new_agreement"), data)
    assert response.status_code < 500
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(dates=dates)
def test_it_survives_any_date_on_an_otherwise_valid_draft(dates, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    before = (snapshot(), Deadline.objects.filter(agreement=agreement).count())
    response = post_form(
        as_user(personas["alice"]),
        reverse("workflows:task", args=[draft.pk]),
        {"title": "Drift av PACS", "notice_months": 3, **dates},
    )
    assert response.status_code < 500
    if response.status_code != 302:
        agreement.refresh_from_db()
        assert (agreement.target_date, agreement.start_date, agreement.end_date) == (
            date(2030, 6, 3),
            None,
            None,
        )
        assert (snapshot(), Deadline.objects.filter(agreement=agreement).count()) == before


@FUZZ
@given(data=st.fixed_dictionaries({"outcome": maybe_text, "comment": maybe_text}))
def test_it_survives_generated_review_input(data, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    actions.do_complete_task(
        personas["alice"], open_task(agreement, "draft"), {"title": "T", "notice_months": 3}
    )
    review = open_task(agreement, "legal_review")
    actions.do_claim_task(personas["lars"], review)
    before = snapshot()
    response = post_form(
        as_user(personas["lars"]), reverse("workflows:task", args=[review.pk]), data
    )
    assert response.status_code < 500
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "kind", "status", "organisation", "requirement", "page"]), text
    )
)
def test_it_survives_generated_list_filters(params, personas):
    response = as_user(personas["alice"]).get(reverse("agreements:list"), params)
    assert response.status_code == 200


@FUZZ
@given(username=text, password=text)
def test_it_survives_generated_logins(username, password, personas):
    response = Client().post(reverse("login"), {"username": username, "password": password})
    assert response.status_code in (200, 429)


def approved_agreement(personas, orgs):
    """An agreement waiting for the customer's approval, with the approval task claimed."""
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    return advance(agreement, personas, "reviewed")


@FUZZ
@given(data=st.fixed_dictionaries({"outcome": maybe_text, "comment": maybe_text}))
def test_it_survives_generated_approval_input(data, personas, orgs):
    agreement = approved_agreement(personas, orgs)
    approval = open_task(agreement, "approve")
    actions.do_claim_task(personas["ulla"], approval)
    before = snapshot()
    response = post_form(
        as_user(personas["ulla"]), reverse("workflows:task", args=[approval.pk]), data
    )
    assert response.status_code < 500
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(
    data=st.fixed_dictionaries({"confirm": maybe_text, "document_version": maybe_text}),
    scan=st.one_of(st.none(), st.binary(max_size=2000), st.just(b"%PDF-1.7\n%%EOF")),
)
def test_it_survives_generated_signing_input(data, scan, personas, orgs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import run_document_jobs

    agreement = approved_agreement(personas, orgs)
    approval = open_task(agreement, "approve")
    actions.do_claim_task(personas["ulla"], approval)
    actions.do_complete_task(personas["ulla"], approval, {"outcome": "approved", "comment": ""})
    run_document_jobs(pdf=False)
    sign = open_task(agreement, "sign_customer")
    assert sign.owner == personas["ulla"]  # she approved and may sign: assigned to her at once
    payload = {k: v for k, v in data.items() if v is not None}
    if scan is not None:
        payload["scan"] = SimpleUploadedFile("signert.pdf", scan, content_type="application/pdf")
    before = snapshot()
    response = as_user(personas["ulla"]).post(reverse("workflows:task", args=[sign.pk]), payload)
    assert response.status_code < 500
    if response.status_code != 302:
        assert snapshot() == before


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "subject_matter",
                "subject_matter_na",
                "health_data",
                "breach_notification_hours",
                "objection_days",
                "sub_processor_authorisation",
                "end_of_processing",
                "deletion_deadline_days",
                "sub_processors-TOTAL_FORMS",
                "sub_processors-0-name",
                "sub_processors-0-country",
                "security_measures-TOTAL_FORMS",
                "security_measures-INITIAL_FORMS",
                "processing_locations-TOTAL_FORMS",
            ]
        ),
        maybe_text.filter(lambda v: v is not None),
    )
)
def test_it_survives_generated_terms_input(data, personas, orgs):
    agreement = make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], kind=Agreement.Kind.DATA_PROCESSOR
    )
    before = (snapshot(), agreement.updated_at)
    response = as_user(personas["alice"]).post(
        reverse("agreements:terms", args=[agreement.reference]), data
    )
    assert response.status_code < 500
    if response.status_code != 302:
        agreement.refresh_from_db()
        assert (snapshot(), agreement.updated_at) == before


@FUZZ
@given(
    kind=maybe_text,
    content=st.one_of(st.binary(max_size=3000), st.just(b"PK\x03\x04" + b"\x00" * 100)),
    name=st.sampled_from(["mal.docx", "mal.docm", "mal.pdf", "", "../../etc/passwd"]),
)
def test_it_survives_generated_template_uploads(kind, content, name, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.models.documents import TemplateVersion
    from docs_templates.versions import ensure_shipped_templates

    ensure_shipped_templates()  # the page seeds version 1 of each kind on first use
    before = TemplateVersion.objects.count()
    payload = {"kind": kind} if kind is not None else {}
    if name:
        payload["file"] = SimpleUploadedFile(name, content)
    response = as_user(personas["lars"]).post(reverse("docs_templates:list"), payload)
    assert response.status_code < 500
    assert TemplateVersion.objects.count() == before, "garbage must never become a template"
