"""Celery worker and beat really run: beat schedules viewflow's timer sweep, a worker runs it."""

import pytest

from project.celery import app
from tests.live import celery_process, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_runs_the_timer_sweep_from_beat_on_a_live_worker(tmp_path):
    app.control.purge()
    worker_log = tmp_path / "worker.log"
    with (
        celery_process("worker", worker_log, "--concurrency=1", "--pool=solo"),
        celery_process(
            "beat",
            tmp_path / "beat.log",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            WORKFLOW_TIMERS_EVERY="1",
        ),
    ):
        wait_for(
            lambda: (
                "worker.fire_due_timers" in worker_log.read_text()
                and "succeeded" in worker_log.read_text()
            ),
            timeout=90,
            what="the worker to run worker.fire_due_timers sent by beat",
        )
    assert "Sending due task fire-workflow-timers" in (tmp_path / "beat.log").read_text()
