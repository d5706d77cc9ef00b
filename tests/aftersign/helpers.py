"""Agreements walked to signing by the personas, time travel, and beat's jobs run as beat does."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.urls import reverse

from agreements.models import Agreement, DocumentVersion
from project.celery import app, beat_schedule
from tests.factories import advance, do_task, fill_dpa_terms, make_agreement
from worker import tasks  # noqa: F401  (registers the worker's tasks with the app)

OSLO = ZoneInfo("Europe/Oslo")


def at(day: date, hour: int = 9):
    """Travel to ``hour`` o'clock Oslo time on ``day``, the clock standing still."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=OSLO), tick=False
    )


def run_beat_job(task_name: str):
    """Run the job beat's schedule names ``task_name`` the way a worker runs it (Celery's
    ``apply``: the registered task, its arguments, its result)."""
    scheduled = [e for e in beat_schedule(settings).values() if e["task"] == task_name]
    assert len(scheduled) == 1, f"{task_name} is not on beat's schedule"
    return app.tasks[task_name].apply(args=scheduled[0].get("args", ())).get()


def signed_agreement(personas, orgs, kind=Agreement.Kind.SERVICE, **dates) -> Agreement:
    """A UNN–Helse Nord IKT agreement owned by alice, with its example terms, reviewed, approved
    and signed by both parties in the flow."""
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], kind=kind, **dates)
    fill_dpa_terms(agreement)  # the kind's example terms (not only for a DPA)
    advance(agreement, personas, "approved")
    document = DocumentVersion.objects.signable_for(agreement)
    do_task(personas["ulla"], agreement, "sign_customer", {"document_version": document.pk})
    do_task(personas["ivar"], agreement, "sign_provider", {"document_version": document.pk})
    agreement.refresh_from_db()
    return agreement


def detail(client, agreement) -> str:
    response = client.get(reverse("agreements:detail", args=[agreement.reference]))
    assert response.status_code == 200
    return response.content.decode()


def status_badge(page: str) -> str:
    """The status shown beside the agreement's title."""
    return re.search(r'class="subtitle">.*?<span class="badge [^"]*">([^<]+)</span>', page).group(1)


def timeline_section(page: str) -> str:
    return page[page.index('id="timeline"') :].split("</ol>")[0]
