"""The calendar feed: a user's own deadlines, fetched without a session at a secret address."""

import re
from datetime import date, timedelta

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import lifecycle
from agreements.deadlines import do_close_task_deadline, do_open_task_deadline
from agreements.models import CalendarFeed, Requirement
from tests.factories import login_as, make_agreement

pytestmark = pytest.mark.django_db


def make_feed_url(user) -> str:
    response = login_as(user).post(reverse("calendar_settings"), {"action": "create"})
    assert response.status_code == 200
    return re.search(r'value="(http[^"]+\.ics)"', response.content.decode()).group(1)


def fetch(url):
    return Client().get(url.removeprefix("http://testserver"))


def events(url) -> dict[str, icalendar.Event]:
    response = fetch(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def world(personas, orgs):
    alice, bob, pia = personas["alice"], personas["bob"], personas["pia"]
    mine = make_agreement(alice, orgs["UNN"], orgs["HNIKT"], start_flow=False)
    theirs = make_agreement(bob, orgs["NLSH"], orgs["HNIKT"], start_flow=False)
    requirement = Requirement.objects.create(
        year=2030, number=4, title="Avtaler i kraft", text="-", deadline=date(2030, 3, 1)
    )
    requirement.responsible = alice
    requirement.save()
    Requirement.objects.create(
        year=2030,
        number=5,
        title="Andres krav",
        text="-",
        deadline=date(2030, 4, 1),
        responsible=bob,
    )
    do_open_task_deadline(
        theirs, task_id=9001, title="Juridisk vurdering", sla_days=5, assignee=alice
    )
    do_open_task_deadline(theirs, task_id=9002, title="Personvern", sla_days=5, assignee=pia)
    return {"alice": alice, "mine": mine, "theirs": theirs, "requirement": requirement}


def test_the_feed_has_the_users_own_deadlines_and_no_one_elses(world):
    alice, mine, theirs = world["alice"], world["mine"], world["theirs"]
    feed = events(make_feed_url(alice))
    domain = "127.0.0.1"
    target = feed[f"agreement-{mine.pk}-target_date@{domain}"]
    assert target.decoded("DTSTART") == date(2030, 6, 3)
    assert str(target["URL"]).endswith(reverse("agreements:detail", args=[mine.reference]))
    task = feed[f"task-9001@{domain}"]
    assert "Juridisk vurdering" in str(task["SUMMARY"])
    assert str(task["URL"]).endswith(reverse("workflows:task", kwargs={"task_pk": 9001}))
    requirement = feed[f"requirement-{world['requirement'].pk}@{domain}"]
    assert requirement.decoded("DTSTART") == date(2030, 3, 1)
    assert int(requirement["SEQUENCE"]) == 1
    # Bob's agreement's dates, Pia's task and Bob's requirement are not Alice's.
    assert len(feed) == 3, sorted(feed)
    assert f"agreement-{theirs.pk}-target_date@{domain}" not in feed


def test_a_moved_deadline_keeps_its_uid_with_a_new_date_and_sequence(world):
    alice, mine = world["alice"], world["mine"]
    url = make_feed_url(alice)
    uid = f"agreement-{mine.pk}-target_date@127.0.0.1"
    before = events(url)[uid]
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        lifecycle.do_update_agreement(alice, mine, target_date=date(2030, 9, 2))
    after = events(url)[uid]
    assert before.decoded("DTSTART") == date(2030, 6, 3)
    assert after.decoded("DTSTART") == date(2030, 9, 2)
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")


def test_a_closed_deadline_drops_out_of_the_next_fetch(world):
    url = make_feed_url(world["alice"])
    assert "task-9001@127.0.0.1" in events(url)
    do_close_task_deadline(9001)
    assert "task-9001@127.0.0.1" not in events(url)


def test_a_wrong_or_revoked_address_is_not_found(world):
    alice = world["alice"]
    url = make_feed_url(alice)
    assert fetch(url.replace(".ics", "x.ics")).status_code == 404
    assert fetch(reverse("calendar_feed", args=["not-a-token"])).status_code == 404
    # A new address replaces the old one.
    newer = make_feed_url(alice)
    assert fetch(url).status_code == 404
    assert fetch(newer).status_code == 200
    response = login_as(alice).post(reverse("calendar_settings"), {"action": "revoke"})
    assert response.status_code == 302
    assert fetch(newer).status_code == 404
    page = login_as(alice).get(reverse("calendar_settings")).content.decode()
    assert "Du har ingen kalenderadresse." in page


def test_only_a_hash_of_the_token_is_stored(world):
    url = make_feed_url(world["alice"])
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get(user=world["alice"], revoked_at__isnull=True)
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64
