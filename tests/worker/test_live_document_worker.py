"""A real Celery worker on Redis renders documents, also in the middle of the workflow."""

import uuid

import pytest
from celery import current_app
from django.urls import reverse

from agreements.models import Agreement, DocumentVersion, Signature
from tests.factories import APPROVE, advance, do_task, make_agreement, open_task
from tests.live import celery_process
from tests.live import wait_for as live_wait_for
from workflows import actions

pytestmark = [pytest.mark.live_worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 120


@pytest.fixture
def live_worker(django_db_setup, tmp_path):
    """``celery -A project worker`` on a queue of its own, against the test database."""
    queue = f"test-documents-{uuid.uuid4().hex[:8]}"
    # The Django-namespaced key: a plain ``task_default_queue`` is shadowed by the CELERY_ one.
    previous = current_app.conf.task_default_queue
    current_app.conf.update(CELERY_TASK_DEFAULT_QUEUE=queue)
    try:
        with celery_process(
            "worker",
            tmp_path / "worker.log",
            "--pool=solo",
            "-Q",
            queue,
            CELERY_TASK_DEFAULT_QUEUE=queue,
        ) as worker:
            worker.log_path = tmp_path / "worker.log"
            yield worker
    finally:
        current_app.conf.update(CELERY_TASK_DEFAULT_QUEUE=previous)


def wait_for(predicate, worker, what):
    """``tests.live.wait_for``, failing early with the worker's log if the worker died."""

    def done():
        if worker.poll() is not None:
            pytest.fail(f"the Celery worker exited: {worker.log_path.read_text()[-2000:]}")
        return predicate()

    live_wait_for(done, timeout=WAIT_SECONDS, what=what)


def test_the_worker_generates_a_document_ordered_on_the_agreement_page(
    live_worker, personas, orgs, client
):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], start_flow=False)
    client.force_login(personas["lars"])
    client.post(reverse("agreements:generate_document", args=[agreement.reference]))
    version = DocumentVersion.objects.get(agreement=agreement)
    wait_for(
        lambda: DocumentVersion.objects.get(pk=version.pk).status != "pending",
        live_worker,
        "the document",
    )
    version.refresh_from_db()
    assert version.status == "ready", version.error
    assert version.pdf_file.name.endswith(".pdf")
    page = client.get(reverse("agreements:detail", args=[agreement.reference])).content.decode()
    assert reverse("agreements:document_pdf", args=[version.pk]) in page


def test_after_approval_the_worker_makes_the_document_and_signing_starts(
    live_worker, personas, orgs
):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    advance(agreement, personas, "reviewed")
    do_task(personas["ulla"], agreement, "approve", APPROVE)  # the live worker makes the document
    assert open_task(agreement, "sign_customer") is None
    wait_for(
        lambda: (
            open_task(agreement, "sign_customer") is not None
            and open_task(agreement, "sign_provider") is not None
        ),
        live_worker,
        "the signing tasks",
    )
    version = DocumentVersion.objects.get(agreement=agreement)
    assert version.for_signing and version.status == "ready"
    for user, party in [(personas["ulla"], orgs["UNN"]), (personas["ivar"], orgs["HNIKT"])]:
        node = "sign_customer" if party == orgs["UNN"] else "sign_provider"
        task = open_task(agreement, node)
        if task.status == "NEW":  # the approver who may sign has the customer's already
            actions.do_claim_task(user, task)
        actions.do_complete_task(user, task, {"confirm": True, "document_version": version.pk})
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE
    assert set(
        Signature.objects.filter(agreement=agreement).values_list("document_sha256", flat=True)
    ) == {version.sha256}
