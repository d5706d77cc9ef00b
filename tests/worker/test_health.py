"""/health/ reports the database, the broker and a worker heartbeat as JSON."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from worker.health import do_record_heartbeat

pytestmark = pytest.mark.django_db


def test_it_is_healthy_with_a_recent_heartbeat():
    do_record_heartbeat()
    response = Client().get("/health/")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "broker",
        "worker",
        "stranded_tasks",
    }


def test_it_answers_503_when_no_worker_has_beaten_lately():
    do_record_heartbeat(now=timezone.now() - timedelta(minutes=10))
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_it_answers_503_when_the_broker_is_unreachable(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    do_record_heartbeat()
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
