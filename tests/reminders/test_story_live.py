"""The whole story of two agreements answering OD-krav 88, over real SMTP.

Each day's digests are sent in-process with the clock on that day: a digest states each
deadline as it is when sent, which a live worker on today's clock could not show for 2022.

Alice (UNN) drafts two service agreements on 1 September 2022. Their drafts are due 10 working
days later; reminders come before, on and after that day, one digest per sweep for both; after
3 working days overdue the UNN approver (Ulla, who reads English) gets the escalation. Then the
legal reviews wait unclaimed: both HNIKT lawyers are reminded until one claims.
"""

from datetime import date, timedelta

import pytest
import time_machine

from agreements.models import Agreement, Deadline, Requirement
from tests.factories import make_agreement, open_task
from workflows import actions

from .helpers import assert_each_delivery_arrived_once, oslo, sweep_and_send_at

pytestmark = [pytest.mark.django_db(transaction=True)]


def weekdays(first: date, last: date):
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def test_it_reminds_before_on_and_after_the_deadline_then_escalates(personas, orgs, sink):
    alice, ulla, lars = personas["alice"], personas["ulla"], personas["lars"]
    ulla.language = "en"
    ulla.save()
    requirement = Requirement.objects.get(year=2022, number=88)
    with time_machine.travel(oslo(2022, 9, 1, 9, 0), tick=False):
        agreements = [
            make_agreement(
                alice,
                orgs["UNN"],
                orgs["HNIKT"],
                requirement=requirement,
                target_date=None,
                title=title,
            )
            for title in ("Tjenesteavtale DIPS", "Tjenesteavtale PACS")
        ]
    for agreement in agreements:
        # 2022-10-01 is a Saturday: the target moves to Monday 3 October.
        assert agreement.target_date == date(2022, 10, 3)
    drafts = [open_task(a, "draft") for a in agreements]
    draft_deadlines = [Deadline.objects.get(task_id=t.pk) for t in drafts]
    assert {d.due_date for d in draft_deadlines} == {date(2022, 9, 15)}

    log = []

    def run(day, hour=8):
        before = len(sink.messages)
        sweep_and_send_at(oslo(day.year, day.month, day.day, hour, 0))
        for recipients, message in sink.messages[before:]:
            items = message["X-Avtaleflyt-Reminders"].split(",")
            log.append((day, recipients[0].split("@")[0], len(items), message))

    for day in weekdays(date(2022, 9, 1), date(2022, 9, 21)):
        run(day)
        run(day, hour=13)  # a later sweep the same day finds nothing new
    with time_machine.travel(oslo(2022, 9, 22, 10, 0), tick=False):
        for agreement, draft in zip(agreements, drafts, strict=True):
            actions.do_complete_task(alice, draft, {"title": agreement.title, "notice_months": 3})
    assert not Deadline.objects.filter(task_id__in=[t.pk for t in drafts], closed_at=None)
    for day in weekdays(date(2022, 9, 22), date(2022, 9, 28)):
        run(day)
    with time_machine.travel(oslo(2022, 9, 28, 12, 0), tick=False):
        actions.do_claim_task(lars, open_task(agreements[0], "legal_review"))
    run(date(2022, 9, 29))

    summary = [(day.isoformat(), who, n) for day, who, n, _ in log]
    assert sorted(summary) == sorted(
        [
            ("2022-09-08", "alice", 2),  # 5 working days before
            ("2022-09-14", "alice", 2),  # 1 working day before
            ("2022-09-15", "alice", 2),  # on the day
            ("2022-09-19", "alice", 2),  # 2 working days overdue
            ("2022-09-20", "ulla", 2),  # escalation after 3 working days overdue
            ("2022-09-21", "alice", 2),  # 4 working days overdue: every 2 working days
            ("2022-09-26", "alice", 2),  # target date 3 October: 5 working days before
            ("2022-09-28", "lars", 2),  # reviews due 29 September, unclaimed: both lawyers
            ("2022-09-28", "lene", 2),
            ("2022-09-29", "lars", 2),  # his own review and the one still in the queue
            ("2022-09-29", "lene", 1),
        ]
    )
    assert_each_delivery_arrived_once(sink)

    def message_on(day, who):
        return next(m for d, w, _, m in log if d.isoformat() == day and w == who)

    before = message_on("2022-09-08", "alice")
    assert before["Subject"] == "Påminnelse: 2 frister"
    text = before.get_body(("plain",)).get_content()
    html = before.get_body(("html",)).get_content()
    assert "5 arbeidsdager igjen" in text
    assert "15.09.2022" in text
    for draft in drafts:
        assert f"/tasks/{draft.pk}/" in text
        assert 'href="http' in html and f"/tasks/{draft.pk}/" in html
    assert "Tjenesteavtale DIPS" in text
    on_the_day = message_on("2022-09-15", "alice").get_body(("plain",)).get_content()
    assert "Fristen er i dag" in on_the_day
    overdue = message_on("2022-09-19", "alice")
    assert "på overtid" in overdue["Subject"]
    assert "2 arbeidsdager på overtid" in overdue.get_body(("plain",)).get_content()
    escalation = message_on("2022-09-20", "ulla")
    assert escalation["Subject"] == "Reminder: 2 deadlines – 2 overdue"
    escalation_text = escalation.get_body(("plain",)).get_content()
    assert "3 working days overdue" in escalation_text
    assert "Escalated to you" in escalation_text and "Alice" in escalation_text
    target = message_on("2022-09-26", "alice").get_body(("plain",)).get_content()
    assert "03.10.2022" in target and f"/agreements/{agreements[0].reference}/" in target
    assert all(a.audit_events.filter(action="reminder_sent").exists() for a in agreements)
    assert Agreement.objects.filter(pk__in=[a.pk for a in agreements]).count() == 2
