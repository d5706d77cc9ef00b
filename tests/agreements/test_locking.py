"""A workflow step acts on the agreement it locked (``agreements.locking``): one instance, no
reload, no savepoint of the use cases' own; outside a step everything is read afresh."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from agreements import lifecycle, locking, permissions
from agreements.models import Agreement, AuditEvent, DocumentVersion, Signature
from tests.factories import advance, make_agreement, open_task, run_document_jobs
from workflows import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(orgs, personas):
    return make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])


def test_it_refuses_a_second_signature_in_a_step_and_stores_nothing_of_it(agreement, personas):
    advance(agreement, personas, "approved")
    run_document_jobs()
    document = DocumentVersion.objects.signable_for(agreement)
    # The customer's signature recorded outside the task (a stale page, another path).
    lifecycle.do_sign_agreement(personas["ulla"], agreement, agreement.customer, document=document)
    events = AuditEvent.objects.filter(agreement=agreement).count()

    task = open_task(agreement, "sign_customer")
    with pytest.raises(ValidationError, match="allerede signert"):
        actions.do_complete_task(personas["ulla"], task, {"document_version": document.pk})

    assert open_task(agreement, "sign_customer").status == "ASSIGNED"
    assert Signature.objects.filter(agreement=agreement).count() == 1
    assert AuditEvent.objects.filter(agreement=agreement).count() == events


def test_a_use_case_in_a_step_moves_the_held_instance_itself(agreement, personas):
    advance(agreement, personas, "reviewed")
    with transaction.atomic():
        held = Agreement.objects.locked(agreement.pk)
        with locking.holding(held):
            lifecycle.do_decide_approval(personas["ulla"], held, "changes_requested", "Nei")
            assert held.status == Agreement.Status.CHANGES_REQUESTED
        assert not locking.is_held(held)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CHANGES_REQUESTED


def test_drafters_are_read_afresh_outside_a_step(agreement, personas):
    assert permissions.drafter_ids(agreement) == {personas["alice"].pk}
    AuditEvent.objects.create(
        agreement=agreement, actor=personas["bob"], action=AuditEvent.Action.SUBMITTED
    )
    assert permissions.drafter_ids(agreement) == {personas["alice"].pk, personas["bob"].pk}


def test_a_submission_in_a_step_counts_its_submitter_as_a_drafter(agreement, personas):
    with transaction.atomic():
        held = Agreement.objects.locked(agreement.pk)
        with locking.holding(held):
            assert permissions.drafter_ids(held) == {personas["alice"].pk}
            AuditEvent.objects.create(
                agreement=held, actor=personas["bob"], action=AuditEvent.Action.SUBMITTED
            )
            assert personas["bob"].pk not in permissions.drafter_ids(held)  # read once a step
            locking.forget(held, permissions.DRAFTERS)
            assert personas["bob"].pk in permissions.drafter_ids(held)
