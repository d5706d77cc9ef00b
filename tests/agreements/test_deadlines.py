"""Deadline rows follow agreements and tasks in the same transaction."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agreements import lifecycle
from agreements.models import Deadline, ReminderDelivery, Requirement
from tests.factories import login_as, make_agreement, open_task
from tests.reminders.helpers import oslo
from workflows import actions, inbox

pytestmark = pytest.mark.django_db

Kind = Deadline.Kind


def login(user) -> Client:
    return login_as(user)


def open_deadlines(agreement):
    return {d.kind: d for d in agreement.deadlines.filter(closed_at=None, task_id=None)}


def test_it_defaults_the_target_to_the_requirement_deadline_on_a_working_day(personas, orgs):
    requirement = Requirement.objects.get(year=2022, number=88)
    with time_machine.travel(oslo(2022, 9, 1, 9), tick=False):
        agreement = make_agreement(
            personas["alice"],
            orgs["UNN"],
            orgs["HNIKT"],
            requirement=requirement,
            target_date=None,
        )
    assert agreement.target_date == date(2022, 10, 3)
    assert open_deadlines(agreement)[Kind.TARGET_DATE].due_date == date(2022, 10, 3)


def test_it_moves_and_closes_agreement_deadlines_with_the_dates(personas, orgs):
    alice = personas["alice"]
    with time_machine.travel(oslo(2026, 3, 2, 9), tick=False):
        agreement = make_agreement(alice, orgs["UNN"], orgs["HNIKT"], target_date=date(2026, 6, 1))
        lifecycle.do_update_agreement(
            alice,
            agreement,
            target_date=date(2026, 6, 15),
            end_date=date(2028, 12, 31),
            notice_months=6,
        )
    deadlines = open_deadlines(agreement)
    # Only the target is open while drafting; notice and end dates open when the agreement is active.
    assert set(deadlines) == {Kind.TARGET_DATE}
    assert deadlines[Kind.TARGET_DATE].due_date == date(2026, 6, 15)
    assert agreement.deadlines.filter(closed_at__isnull=False, due_date=date(2026, 6, 1)).exists()


def test_a_task_deadline_is_its_sla_in_working_days_capped_by_the_target(personas, orgs):
    alice = personas["alice"]
    with time_machine.travel(oslo(2026, 3, 30, 9), tick=False):  # Monday before Easter
        far = make_agreement(alice, orgs["UNN"], orgs["HNIKT"], target_date=date(2026, 12, 1))
        near = make_agreement(alice, orgs["UNN"], orgs["HNIKT"], target_date=date(2026, 4, 8))
    far_draft = Deadline.objects.get(task_id=open_task(far, "draft").pk)
    # 10 working days from 30 March skip Maundy Thursday, Good Friday and Easter Monday.
    assert far_draft.due_date == date(2026, 4, 16)
    assert far_draft.assignee == alice
    assert Deadline.objects.get(task_id=open_task(near, "draft").pk).due_date == date(2026, 4, 8)


def test_finishing_a_task_closes_its_deadline_and_opens_the_next(personas, orgs):
    alice = personas["alice"]
    agreement = make_agreement(alice, orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    actions.do_complete_task(alice, draft, {"title": agreement.title, "notice_months": 3})
    assert Deadline.objects.get(task_id=draft.pk).closed_at is not None
    review = open_task(agreement, "legal_review")
    deadline = Deadline.objects.get(task_id=review.pk)
    assert deadline.closed_at is None and deadline.assignee is None
    actions.do_claim_task(personas["lars"], review)
    deadline.refresh_from_db()
    assert deadline.assignee == personas["lars"]


def test_a_substitute_gets_the_reminders_and_the_tasks_of_an_away_owner(personas, orgs, mailoutbox):
    from agreements import reminders
    from tests.factories import make_user

    alice = personas["alice"]
    berit = make_user("berit", orgs["UNN"], "contract_owner")
    alice.substitute, alice.away_until = berit, date(2022, 9, 30)
    alice.save()
    with time_machine.travel(oslo(2022, 9, 1, 9), tick=False):
        agreement = make_agreement(alice, orgs["UNN"], orgs["HNIKT"], target_date=None)
    result = reminders.do_sweep_reminders(oslo(2022, 9, 8, 8))
    delivery = ReminderDelivery.objects.get()
    assert (delivery.addressee, delivery.recipient) == (alice, berit)
    assert result.recipient_ids == [berit.pk]
    assert reminders.do_send_reminder_digest(berit.pk).sent == 1
    assert mailoutbox[0].to == ["berit@example.org"]
    assert "stedfortreder for Alice" in mailoutbox[0].body
    with time_machine.travel(oslo(2022, 9, 8, 9), tick=False):
        page = login(berit).get(reverse("workflows:inbox")).content.decode()
    draft = open_task(agreement, "draft")
    assert f"/tasks/{draft.pk}/" in page and "Stedfortreder for Alice" in page


def test_overdue_tasks_and_agreements_are_highlighted_and_filterable(personas, orgs):
    alice = personas["alice"]
    with time_machine.travel(oslo(2022, 9, 1, 9), tick=False):
        late = make_agreement(
            alice, orgs["UNN"], orgs["HNIKT"], title="Sen avtale", target_date=date(2022, 12, 1)
        )
    on_time = make_agreement(alice, orgs["UNN"], orgs["HNIKT"], title="Ny avtale")
    client = login(alice)
    late_task, fresh_task = open_task(late, "draft"), open_task(on_time, "draft")
    everything = client.get(reverse("workflows:inbox")).content.decode()
    assert f"/tasks/{late_task.pk}/" in everything and f"/tasks/{fresh_task.pk}/" in everything
    assert "på overtid" in everything and 'class="overdue"' in everything
    only_late = client.get(reverse("workflows:inbox") + "?overdue=1").content.decode()
    assert f"/tasks/{late_task.pk}/" in only_late and f"/tasks/{fresh_task.pk}/" not in only_late
    listing = client.get(reverse("agreements:list") + "?overdue=1").content.decode()
    assert late.reference in listing and on_time.reference not in listing
    detail = client.get(reverse("agreements:detail", args=[late.reference])).content.decode()
    assert "Frister" in detail and "arbeidsdager på overtid" in detail
    task_page = client.get(reverse("workflows:task", args=[late_task.pk])).content.decode()
    assert "15.09.2022" in task_page or "15.9.2022" in task_page


def test_the_agreement_page_shows_its_reminder_history(personas, orgs, mailoutbox):
    from agreements import reminders

    alice = personas["alice"]
    with time_machine.travel(oslo(2022, 9, 1, 9), tick=False):
        agreement = make_agreement(alice, orgs["UNN"], orgs["HNIKT"], target_date=None)
    reminders.do_sweep_reminders(oslo(2022, 9, 8, 8))
    reminders.do_send_reminder_digest(alice.pk)
    page = login(alice).get(reverse("agreements:detail", args=[agreement.reference]))
    text = page.content.decode()
    assert "Påminnelser" in text and "Oppgave: 5 arbeidsdager før fristen" in text
    assert "Sendt" in text
    admin = login(personas["ada"]).get(reverse("admin:agreements_reminderdelivery_changelist"))
    assert (
        admin.status_code == 200 and "Oppgave: 5 arbeidsdager før fristen" in admin.content.decode()
    )


def test_the_dry_run_prints_what_would_go_out_and_writes_nothing(personas, orgs, capsys):
    alice = personas["alice"]
    with time_machine.travel(oslo(2026, 11, 17, 9), tick=False):
        agreement = make_agreement(alice, orgs["UNN"], orgs["HNIKT"], target_date=None)
    call_command("reminders", "--dry-run", "--at", "2026-11-24T08:00")
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("alice <alice@example.org>")
    assert agreement.reference in out[0] and "Oppgave: 5 arbeidsdager før fristen" in out[0]
    assert not ReminderDelivery.objects.exists()
    deadline = Deadline.objects.get(task_id=open_task(agreement, "draft").pk)
    assert deadline.next_reminder_at == oslo(2026, 11, 24, 8)


def test_a_substitute_can_do_the_away_reviewers_task(personas, orgs):
    alice, lars, lene = personas["alice"], personas["lars"], personas["lene"]
    agreement = make_agreement(alice, orgs["UNN"], orgs["HNIKT"])
    actions.do_complete_task(
        alice, open_task(agreement, "draft"), {"title": "A", "notice_months": 3}
    )
    review = open_task(agreement, "legal_review")
    actions.do_claim_task(lars, review)
    review.refresh_from_db()
    assert not review.flow_task.can_execute(lene, review)
    lars.substitute, lars.away_until = lene, date(2099, 1, 1)
    lars.save()
    review = inbox.access_task(lene, review.pk)
    assert review.flow_task.can_execute(lene, review)
    assert review.pk in [t.pk for t in inbox.inbox(lene)]
    actions.do_complete_task(lene, review, {"outcome": "approved"})
    agreement.refresh_from_db()
    assert agreement.decisions.get().decided_by == lene
    assert Deadline.objects.get(task_id=review.pk).closed_at is not None
