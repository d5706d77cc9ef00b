"""PostgreSQL restarted under a running web app and worker: both reconnect by themselves.

The server restarted is a cluster of this test's own (so restarting it disturbs nothing else),
migrated as production is: by the owner role, with the web app and worker running as the app
role when the suite runs as one.
"""

import subprocess
import sys
import time

import pytest
from django.conf import global_settings
from django.db import connection
from django.utils import timezone

from agreements.models import Organisation
from agreements.roles import Role
from project.celery import app
from tests import database_roles
from tests.factories import PASSWORD, make_agreement, make_user
from tests.faults.private_postgres import ROOT, PrivatePostgres, connected_to
from tests.live import (
    answers,
    celery_process,
    free_port,
    http_login,
    process_env,
    wait_for,
    web_process,
)
from worker.models import Heartbeat

pytestmark = [pytest.mark.faults]

DATABASE = "avtaler"
WEB_ENV = {
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
}


@pytest.fixture
def private_postgres():
    app_role = database_roles.app_credentials()["USER"] or "postgres"
    owner = database_roles.owner_credentials()["USER"] or "postgres"
    server = PrivatePostgres(superuser="postgres" if owner != app_role else owner)
    try:
        server.start()
        server.create_database(DATABASE, owner, app_role)
        with connected_to(server, owner, DATABASE):
            migrate = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput"],
                cwd=ROOT,
                env=process_env(DATABASE_APP_ROLE=app_role if owner != app_role else ""),
                capture_output=True,
                text=True,
            )
        assert migrate.returncode == 0, f"migrate failed: {migrate.stderr.strip()[-2000:]}"
        with connected_to(server, app_role, DATABASE):
            yield server
    finally:
        server.stop()


def heartbeat_after(moment):
    app.send_task("worker.heartbeat")
    return wait_for(
        lambda: Heartbeat.objects.filter(name="worker", beat_at__gt=moment).exists(),
        timeout=60,
        what="a heartbeat written by the live worker",
    )


def test_it_reconnects_web_and_worker_after_a_postgres_restart(
    tmp_path, private_postgres, django_db_blocker, settings
):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # as the web process checks
    with django_db_blocker.unblock():
        orgs = {o.code: o for o in Organisation.objects.all()}
        alice = make_user("alice", orgs["UNN"], Role.CONTRACT_OWNER)
        agreement = make_agreement(alice, orgs["UNN"], orgs["HNIKT"])
        app.control.purge()
        with (
            web_process(tmp_path / "web.log", free_port(), **WEB_ENV) as base,
            celery_process("worker", tmp_path / "worker.log", "--concurrency=1", "--pool=solo"),
        ):
            wait_for(lambda: answers(base), timeout=60, what="gunicorn to answer")
            session = http_login(base, "alice", PASSWORD)
            assert agreement.reference in session.get(f"{base}/agreements/", timeout=10).text
            heartbeat_after(timezone.now())

            private_postgres.restart()
            connection.close()  # this test's own connection died with the server
            before = timezone.now()
            time.sleep(0.1)

            page = session.get(f"{base}/agreements/", timeout=10)
            assert page.status_code == 200
            assert agreement.reference in page.text
            heartbeat_after(before)
