"""Generated arguments for every management command we ship: a clear refusal or a clean run,
never a crash, and nothing written when refused (and nothing at all for --dry-run)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement, AuditEvent, DocumentVersion, ReminderDelivery
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

words = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "2026-12-01T08:00",
            "2026-02-30T08:00",
            "i morgen",
            "",
            "-1",
            "25:61",
            "2026-12-01",
            "9999-12-31T23:59",
            "0000-01-01T00:00",
            "HNIKT-2026-0001",
        ]
    ),
)


def state():
    return (
        Agreement.objects.count(),
        AuditEvent.objects.count(),
        DocumentVersion.objects.count(),
        ReminderDelivery.objects.count(),
    )


def run(*args):
    """Run the command; return 'ok' or 'refused'. Any other exception fails the test."""
    try:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError:
        return "refused"
    except SystemExit:
        return "refused"  # argparse's own refusal of malformed options
    return "ok"


@FUZZ
@given(at=words)
def test_it_survives_generated_reminder_dry_run_moments(at, personas, orgs):
    make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    before = state()
    run("reminders", "--dry-run", "--at", at)
    assert state() == before, "--dry-run must write nothing"


@FUZZ
@given(reference=words, out_name=st.text(min_size=1, max_size=20))
def test_it_survives_generated_render_arguments(reference, out_name, personas, orgs, tmp_path):
    before = state()
    out = tmp_path / ("".join(c for c in out_name if c.isalnum()) or "x")
    outcome = run("render_agreement", reference, "--out", str(out))
    assert outcome == "refused"  # no agreement exists, whatever the reference
    assert state() == before


def test_it_renders_an_existing_reference(personas, orgs, tmp_path):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    assert run("render_agreement", agreement.reference, "--out", str(tmp_path / "a.docx")) == "ok"
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK"
