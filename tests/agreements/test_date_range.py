"""Dates a user gives stay inside the range the holiday calendar can count (issue 11, point 14).

Every date a person types is checked against ``agreements.dates.EARLIEST_DATE``..``LATEST_DATE``
in the use case, with a message on the field; rows written before that check existed are counted
(clamped) or skipped with a warning, never a server error.
"""

import io
import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from agreements import lifecycle
from agreements.absence import do_set_absence
from agreements.dates import EARLIEST_DATE, LATEST_DATE, clamp_to_allowed_range
from agreements.models import Agreement, Deadline, Requirement
from agreements.roles import Role
from tests.factories import advance, login_as, make_agreement, make_user, open_task

pytestmark = pytest.mark.django_db

RANGE_MESSAGE = "Velg en dato mellom 1. januar 2000 og 31. desember 2099."
OUTSIDE = [
    date(1, 1, 1),
    date(1999, 12, 31),
    date(2100, 1, 1),
    date(2150, 6, 30),
    date(9999, 12, 31),
]


def new_agreement_data(orgs, **dates):
    return {
        "kind": Agreement.Kind.SERVICE,
        "title": "Drift av PACS",
        "customer": orgs["UNN"].pk,
        "provider": orgs["HNIKT"].pk,
        "notice_months": 3,
        **{name: d.isoformat() for name, d in dates.items()},
    }


@pytest.mark.parametrize("field", ["target_date", "start_date", "end_date"])
@pytest.mark.parametrize("day", OUTSIDE, ids=str)
def test_the_new_agreement_page_refuses_a_date_outside_the_range(field, day, personas, orgs):
    response = login_as(personas["alice"]).post(
        reverse("workflows:new_agreement"), new_agreement_data(orgs, **{field: day})
    )
    assert response.status_code == 200
    assert RANGE_MESSAGE in response.content.decode()
    assert response.context["form"].errors[field] == [RANGE_MESSAGE]
    assert not Agreement.objects.exists()


def test_the_new_agreement_page_accepts_both_ends_of_the_range(personas, orgs):
    data = new_agreement_data(
        orgs, target_date=EARLIEST_DATE, start_date=EARLIEST_DATE, end_date=LATEST_DATE
    )
    response = login_as(personas["alice"]).post(reverse("workflows:new_agreement"), data)
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.start_date, agreement.end_date) == (EARLIEST_DATE, LATEST_DATE)


def test_the_date_picker_offers_only_the_range(personas):
    page = login_as(personas["alice"]).get(reverse("workflows:new_agreement")).content.decode()
    assert 'min="2000-01-01" max="2099-12-31"' in page


def test_a_draft_keeps_its_dates_when_an_update_is_outside_the_range(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    with pytest.raises(ValidationError) as caught:
        lifecycle.do_update_agreement(personas["alice"], agreement, end_date=date(2101, 1, 1))
    assert caught.value.message_dict == {"end_date": [RANGE_MESSAGE]}
    agreement.refresh_from_db()
    assert agreement.end_date is None


def test_the_last_signature_activates_an_agreement_that_ends_after_the_calendar(
    personas, orgs, caplog
):
    """An end date after 2100 written before dates were checked no longer blocks signing."""
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "approved")
    Agreement.objects.filter(pk=agreement.pk).update(end_date=date(2150, 6, 30))
    document = agreement.documents.get(status="ready")
    sign = {"confirm": "on", "document_version": document.pk}
    for persona, node in (("ulla", "sign_customer"), ("ivar", "sign_provider")):
        client, task = login_as(personas[persona]), open_task(agreement, node)
        client.post(reverse("workflows:claim", args=[task.pk]))
        with caplog.at_level(logging.WARNING, logger="agreements.deadlines"):
            response = client.post(reverse("workflows:task", args=[task.pk]), sign)
        assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE
    end = agreement.deadlines.get(kind=Deadline.Kind.END_DATE, closed_at=None)
    assert (end.due_date, end.next_reminder_at) == (date(2150, 6, 30), None)
    assert "outside the holiday calendar" in caplog.text


def test_the_inbox_shows_a_task_whose_deadline_lies_outside_the_calendar(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    Deadline.objects.filter(agreement=agreement, task_id__isnull=False).update(
        due_date=date(9999, 12, 31)
    )
    response = login_as(personas["alice"]).get(reverse("workflows:inbox"))
    assert response.status_code == 200
    assert agreement.reference in response.content.decode()


def test_a_requirement_deadline_outside_the_range_gives_no_default_target(personas, orgs):
    requirement = Requirement.objects.create(
        year=2022, number=999, title="Skrivefeil", text="-", deadline=date(2222, 2, 2)
    )
    agreement = make_agreement(
        personas["alice"], orgs["UNN"], orgs["HNIKT"], target_date=None, requirement=requirement
    )
    assert agreement.target_date is None
    assert not agreement.deadlines.filter(kind=Deadline.Kind.TARGET_DATE).exists()


def test_clamping_keeps_dates_inside_and_moves_dates_outside_to_the_nearer_end():
    assert clamp_to_allowed_range(date(2026, 5, 17)) == date(2026, 5, 17)
    assert clamp_to_allowed_range(date(1, 1, 1)) == EARLIEST_DATE
    assert clamp_to_allowed_range(date(9999, 12, 31)) == LATEST_DATE


def test_an_absence_may_not_last_past_the_range(personas, orgs):
    alice = personas["alice"]
    colleague = make_user("carl", orgs["UNN"], Role.CONTRACT_OWNER)
    response = login_as(alice).post(
        reverse("absence"), {"substitute": colleague.pk, "away_until": "9999-12-31"}
    )
    assert RANGE_MESSAGE in response.content.decode()
    alice.refresh_from_db()
    assert (alice.substitute, alice.away_until) == (None, None)
    today = timezone.localdate()
    do_set_absence(alice, colleague, LATEST_DATE, today=today)
    assert alice.away_until == LATEST_DATE


@pytest.mark.parametrize("at", ["1999-12-31T08:00", "2100-01-01T08:00", "9999-12-31T23:59-05:00"])
def test_the_reminder_preview_refuses_a_moment_outside_the_range(at, db):
    with pytest.raises(CommandError, match="velg et tidspunkt mellom 01.01.2000 og 31.12.2099"):
        call_command("reminders", "--dry-run", "--at", at, stdout=io.StringIO())


def test_the_reminder_sweep_skips_a_deadline_outside_the_calendar(personas, orgs, caplog):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    now = timezone.now()
    Deadline.objects.filter(agreement=agreement).update(
        due_date=date(2150, 1, 1), next_reminder_at=now - timedelta(minutes=1)
    )
    with caplog.at_level(logging.WARNING, logger="agreements.deadlines"):
        call_command("reminders", stdout=io.StringIO())
    assert "outside the holiday calendar" in caplog.text
    assert not Deadline.objects.filter(agreement=agreement, next_reminder_at__isnull=False)
