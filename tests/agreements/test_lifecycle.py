"""The lifecycle services: references, transitions, audit trail."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import lifecycle
from agreements.models import Agreement, AuditEvent
from agreements.models.audit import AppendOnlyError
from agreements.roles import Role
from tests.factories import make_agreement, make_user

pytestmark = pytest.mark.django_db


def test_it_numbers_references_per_year_without_gaps(personas, orgs):
    first = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    second = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    year = date.today().year
    assert first.reference == f"HNIKT-{year}-0001"
    assert second.reference == f"HNIKT-{year}-0002"


def test_it_records_who_created_the_agreement(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    event = AuditEvent.objects.get(agreement=agreement)
    assert (event.actor, event.action, event.to_status) == (personas["alice"], "created", "draft")


def test_it_refuses_a_status_jump_and_writes_nothing(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    with pytest.raises(ValidationError) as caught:
        lifecycle.do_activate_agreement(agreement)
    assert "Begge parter må signere" in str(caught.value)
    with pytest.raises(ValidationError):
        lifecycle.do_decide_approval(personas["ulla"], agreement, "approved")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert AuditEvent.objects.filter(agreement=agreement).count() == 1


def test_it_lets_only_contract_owners_create_agreements(personas, orgs):
    with pytest.raises(PermissionDenied):
        lifecycle.do_create_agreement(
            personas["lars"],
            title="T",
            kind="service",
            customer=orgs["UNN"],
            provider=orgs["HNIKT"],
        )
    assert not Agreement.objects.exists()


def test_it_lets_only_drafters_change_a_draft(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    colleague = make_user("carl", orgs["UNN"], Role.CONTRACT_OWNER)
    with pytest.raises(PermissionDenied):
        lifecycle.do_update_agreement(colleague, agreement, title="Kapret")
    agreement.refresh_from_db()
    assert agreement.title != "Kapret"


def test_it_keeps_the_audit_trail_append_only(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    event = AuditEvent.objects.get(agreement=agreement)
    event.message = "endret"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(agreement=agreement).update(message="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(agreement=agreement).delete()
    event.refresh_from_db()
    assert event.message == agreement.title
