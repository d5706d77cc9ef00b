"""PostgreSQL restarted under a running web app and worker: both reconnect by themselves."""

import glob
import shutil
import subprocess
import time

import pytest
from django.db import connection

from project.celery import app
from tests.factories import PASSWORD, make_agreement
from tests.live import answers, celery_process, free_port, http_login, wait_for, web_process
from worker.models import Heartbeat

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

WEB_ENV = {
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
}


def restart_postgres():
    if shutil.which("pg_ctlcluster") is None:
        pytest.fail("pg_ctlcluster is missing: this test restarts the local PostgreSQL cluster")
    version = sorted(glob.glob("/etc/postgresql/*"))[-1].rsplit("/", 1)[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    wait_for(
        lambda: (
            subprocess.run(["pg_isready", "-q", "-h", "localhost"], check=False).returncode == 0
        ),
        timeout=60,
        what="PostgreSQL to accept connections again",
    )


def heartbeat_after(moment):
    app.send_task("worker.heartbeat")
    return wait_for(
        lambda: Heartbeat.objects.filter(name="worker", beat_at__gt=moment).exists(),
        timeout=60,
        what="a heartbeat written by the live worker",
    )


def test_it_reconnects_web_and_worker_after_a_postgres_restart(tmp_path, personas, orgs, settings):
    # The web process checks passwords with the production hashers, not the tests' fast one.
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    personas["alice"].set_password(PASSWORD)
    personas["alice"].save()
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    app.control.purge()
    with (
        web_process(tmp_path / "web.log", free_port(), **WEB_ENV) as base,
        celery_process("worker", tmp_path / "worker.log", "--concurrency=1", "--pool=solo"),
    ):
        wait_for(lambda: answers(base), timeout=60, what="gunicorn to answer")
        session = http_login(base, "alice", PASSWORD)
        assert agreement.reference in session.get(f"{base}/agreements/", timeout=10).text
        from django.utils import timezone

        heartbeat_after(timezone.now())

        restart_postgres()
        connection.close()  # this test's own connection died with the server
        before = timezone.now()
        time.sleep(0.1)

        page = session.get(f"{base}/agreements/", timeout=10)
        assert page.status_code == 200
        assert agreement.reference in page.text
        heartbeat_after(before)
