"""Who gets a digest and what it says (issue 11: points 6 to 10), sent over real SMTP."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from agreements import reminders
from agreements.dates import default_calendar
from agreements.models import Deadline, ReminderDelivery, User
from agreements.roles import Role
from tests.factories import make_agreement, make_user, open_task

from .helpers import oslo, sweep_and_send_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(orgs, personas):
    with time_machine.travel(oslo(2022, 9, 1, 9, 0), tick=False):
        return make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], target_date=None)


def test_a_catch_up_sweep_lists_each_deadline_once_in_its_state_now(draft, sink):
    # No sweep ran for weeks: every rule is due at once for the draft due 15.09.2022.
    sweep_and_send_at(oslo(2022, 9, 20, 8, 0))
    assert ReminderDelivery.objects.filter(recipient__username="alice").count() > 1
    (_, message), *_ = [m for m in sink.messages if m[0] == ["alice@example.org"]]
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Påminnelse: 1 frist – 1 på overtid"
    assert text.count("15.09.2022") == 1
    assert "3 arbeidsdager på overtid" in text
    assert "igjen" not in text and "Fristen er i dag" not in text


def test_the_email_has_the_headers_and_links_of_an_automatic_message(draft, personas, sink):
    User.objects.filter(username="alice").update(language="en")
    sweep_and_send_at(oslo(2022, 9, 8, 8, 0))
    [(_, message)] = sink.messages
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"].endswith("/accounts/reminders/>")
    assert message["Date"].endswith("+0200")
    html = message.get_body(("html",)).get_content()
    assert '<html lang="en">' in html and "/accounts/away/" in html
    text = message.get_body(("plain",)).get_content()
    assert "Prepare draft" in text or "draft" in text.lower()
    assert "5 working days left" in text


def test_overdue_only_and_weekly_readers_get_what_they_chose(draft, personas, sink):
    User.objects.filter(username="alice").update(reminder_frequency="overdue_only")
    sweep_and_send_at(oslo(2022, 9, 8, 8, 0))  # 5 working days before: not overdue
    assert sink.messages == [] and not ReminderDelivery.objects.exists()
    User.objects.filter(username="alice").update(reminder_frequency="weekly")
    sweep_and_send_at(oslo(2022, 9, 14, 8, 0))  # a Wednesday: waits for Monday
    assert sink.messages == []
    rows = ReminderDelivery.objects.all()
    assert {timezone.localtime(r.send_after).date() for r in rows} == {date(2022, 9, 19)}
    with time_machine.travel(oslo(2022, 9, 19, 8, 30), tick=False):
        assert reminders.do_requeue_stale_deliveries(timezone.now()) == [personas["alice"].pk]
        reminders.do_send_waiting_digests(personas["alice"].pk)
    assert len(sink.messages) == 1


def test_a_deactivated_owner_is_not_reminded(draft, personas, sink):
    User.objects.filter(username="alice").update(is_active=False)
    sweep_and_send_at(oslo(2022, 9, 8, 8, 0))
    assert sink.messages == [] and not ReminderDelivery.objects.exists()


def test_substitution_follows_the_chain_and_a_loop_ends_at_the_approver(draft, personas, orgs):
    alice, ulla = personas["alice"], personas["ulla"]
    bea = make_user("bea", orgs["UNN"], Role.CONTRACT_OWNER)
    cato = make_user("cato", orgs["UNN"], Role.CONTRACT_OWNER)
    away = date(2099, 12, 31)
    User.objects.filter(pk=alice.pk).update(substitute=bea, away_until=away)
    User.objects.filter(pk=bea.pk).update(substitute=cato, away_until=away)
    reminders.do_sweep_reminders(oslo(2022, 9, 8, 8, 0), enqueue=False)
    assert list(ReminderDelivery.objects.values_list("recipient__username", flat=True)) == ["cato"]
    task = open_task(draft, "draft")
    # The same person may do the task: the page offers it to Cato, not to Bea.
    assert task.flow_task.is_substitute(User.objects.get(pk=cato.pk), task)
    assert not task.flow_task.is_substitute(User.objects.get(pk=bea.pk), task)
    # A loop: Alice and Bea stand in for each other and both are away.
    ReminderDelivery.objects.all().delete()
    User.objects.filter(pk=bea.pk).update(substitute=alice)
    reminders.do_sweep_reminders(oslo(2022, 9, 14, 8, 0), enqueue=False)
    assert set(ReminderDelivery.objects.values_list("recipient__username", flat=True)) == {
        ulla.username
    }


def test_a_queue_task_reminds_only_those_who_may_take_it(personas, orgs):
    lars, pia = personas["lars"], personas["pia"]
    User.objects.filter(pk=lars.pk).update(substitute=pia, away_until=date(2030, 1, 1))
    with time_machine.travel(oslo(2022, 9, 1, 9, 0), tick=False):
        agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    from workflows import actions

    with time_machine.travel(oslo(2022, 9, 2, 9, 0), tick=False):
        actions.do_complete_task(
            personas["alice"],
            open_task(agreement, "draft"),
            {"title": agreement.title, "notice_months": 3},
        )
    review = Deadline.objects.get(task_id=open_task(agreement, "legal_review").pk)
    reminders.do_sweep_reminders(
        oslo(review.due_date.year, review.due_date.month, review.due_date.day, 8, 0), enqueue=False
    )
    recipients = set(ReminderDelivery.objects.values_list("recipient__username", flat=True))
    assert recipients == {"lene"}  # Lars is away; Pia (privacy) cannot take a legal review


@pytest.mark.parametrize(
    ("due", "last_working_day", "next_working_day"),
    [
        (date(2026, 12, 24), date(2026, 12, 23), date(2026, 12, 28)),
        (date(2027, 3, 27), date(2027, 3, 24), date(2027, 3, 29)),
        (date(2027, 5, 17), date(2027, 5, 14), date(2027, 5, 18)),
    ],
)
def test_a_deadline_on_a_closed_day_is_due_at_its_end_in_the_inbox_and_the_email(
    orgs, personas, sink, due, last_working_day, next_working_day
):
    with time_machine.travel(oslo(2026, 12, 1, 9, 0), tick=False):
        make_agreement(
            personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False, target_date=due
        )
    deadline = Deadline.objects.get(kind="target_date")
    assert deadline.due_date == due
    calendar = default_calendar()
    on_the_day = oslo(last_working_day.year, last_working_day.month, last_working_day.day, 8)
    sweep_and_send_at(on_the_day)
    assert not deadline.is_overdue(on_the_day)
    texts = [m.get_body(("plain",)).get_content() for _, m in sink.messages]
    assert texts and all("1 arbeidsdag igjen" in t for t in texts), texts
    after = oslo(next_working_day.year, next_working_day.month, next_working_day.day, 8)
    assert deadline.is_overdue(after)
    assert deadline.working_days_left(next_working_day, calendar) == -1
    sink.clear()
    sweep_and_send_at(after)
    for _, message in sink.messages:
        text = message.get_body(("plain",)).get_content()
        assert "Fristen er i dag" not in text and "på overtid" in text
