"""A document job whose worker dies mid-render is done again, and never leaves a half-made version."""

import signal

import pytest

from agreements.documents import do_request_document
from agreements.models import DocumentVersion
from project.celery import app
from tests.factories import make_agreement
from tests.live import celery_process, wait_for
from worker.tasks import requeue_pending_documents

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


def test_it_renders_again_after_the_worker_is_killed_mid_job(tmp_path, personas, orgs, settings):
    settings.DOCUMENT_REQUEUE_AFTER_SECONDS = 0
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    app.control.purge()
    log = tmp_path / "worker-1.log"
    with celery_process("worker", log, "--pool=solo") as worker:
        version = do_request_document(personas["lars"], agreement)
        # Killed while it renders: the job has started (PDF conversion takes seconds).
        wait_for(
            lambda: "worker.generate_document" in log.read_text(),
            timeout=60,
            what="the worker to start the document job",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=20)

    version.refresh_from_db()
    assert version.status == DocumentVersion.Status.PENDING
    assert not version.file and not version.sha256, "a killed job must leave no half-made version"

    with celery_process("worker", tmp_path / "worker-2.log", "--pool=solo"):
        assert requeue_pending_documents() == 1
        wait_for(
            lambda: DocumentVersion.objects.get(pk=version.pk).status == "ready",
            timeout=120,
            what="the document to be rendered by the restarted worker",
        )

    assert DocumentVersion.objects.filter(agreement=agreement).count() == 1
    version.refresh_from_db()
    assert version.file and len(version.sha256) == 64
