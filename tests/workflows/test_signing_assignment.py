"""An approver who approves and may also sign gets the customer's signing task at once, in
their inbox, instead of finding it in the queue."""

import pytest
from django.urls import reverse

from agreements.models import Agreement, Deadline
from agreements.roles import Role
from tests.factories import (
    APPROVE,
    advance,
    do_task,
    login_as,
    make_agreement,
    make_user,
    open_task,
    run_document_jobs,
)
from workflows import inbox

pytestmark = pytest.mark.django_db


def test_the_approver_who_may_sign_has_the_customers_signature_in_the_inbox(personas, orgs):
    other_approver = make_user("una", orgs["UNN"], Role.APPROVER)
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "approved")  # ulla approves; the document is made
    sign = open_task(agreement, "sign_customer")
    assert sign.status == "ASSIGNED" and sign.owner == personas["ulla"]
    assert Deadline.objects.get(task_id=sign.pk).assignee == personas["ulla"]
    page = login_as(personas["ulla"]).get(reverse("workflows:inbox")).content.decode()
    assert f'href="/tasks/{sign.pk}/"' in page and "Signering for kunden" in page
    assert sign not in inbox.queue(other_approver)
    # The other party's signature still waits in its queue for any of its signatories.
    provider = open_task(agreement, "sign_provider")
    assert provider.status == "NEW" and provider in inbox.queue(personas["ivar"])

    document = agreement.documents.get()
    do_task(personas["ulla"], agreement, "sign_customer", {"document_version": document.pk})
    do_task(personas["ivar"], agreement, "sign_provider", {"document_version": document.pk})
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE


def test_the_task_waits_in_the_queue_when_the_approver_may_no_longer_sign(personas, orgs):
    other_approver = make_user("una", orgs["UNN"], Role.APPROVER)
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "reviewed")
    do_task(personas["ulla"], agreement, "approve", APPROVE)
    # ulla loses her signing authority before the worker has made the document to sign.
    personas["ulla"].groups.clear()
    run_document_jobs()
    sign = open_task(agreement, "sign_customer")
    assert sign.status == "NEW" and sign.owner is None
    assert sign in inbox.queue(other_approver)
