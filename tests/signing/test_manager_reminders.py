"""The managing organisation's service managers hear of an overdue task (the escalation)."""

import pytest
import time_machine

from agreements import reminders
from tests.reminders.helpers import oslo

from .conftest import supplier_dpa

pytestmark = pytest.mark.django_db


def escalated_to(now) -> set[str]:
    return {
        d.recipient.username
        for d in reminders.preview_reminders(now)
        if d.rule.audience == "owner_approver"
    }


def test_an_overdue_draft_escalates_to_the_managers_service_managers(
    personas, orgs, supplier, journal
):
    with time_machine.travel(oslo(2022, 9, 1, 9), tick=False):
        managed = supplier_dpa(personas, supplier, journal)
    assert managed.manager == orgs["HNIKT"]
    # Ten working days for the draft, escalated three working days after that.
    assert escalated_to(oslo(2022, 9, 21, 8)) == {"ulla", "iris"}


def test_an_agreement_the_customer_manages_escalates_only_there(personas, orgs, supplier, journal):
    with time_machine.travel(oslo(2022, 9, 1, 9), tick=False):
        supplier_dpa(personas, supplier, journal, manager=orgs["UNN"])
    assert escalated_to(oslo(2022, 9, 21, 8)) == {"ulla"}
