"""``python -m bench.load``: the site over HTTP under 100 simulated users for 2 minutes.

Seeds a bench database through the use cases (contract owners at UNN with drafts, lawyers at
Helse Nord IKT with reviews waiting in their queue, approvers on both sides so routing accepts
every draft), starts gunicorn with production settings (DEBUG off, PostgreSQL, Redis) and runs
locust headless against it with ``bench/locustfile.py``: owners read the inbox, the list, an
agreement and its terms and send drafts to review; reviewers take reviews from the queue and
approve them. Prints requests, failures and p95 per page; exits 1 on any failure.

Options: ``--users 100 --minutes 2 --agreements 200`` (the defaults).
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from .setup import django_on_bench_database, machine, sized

ROOT = Path(__file__).resolve().parents[1]
OWNERS, REVIEWERS = 20, 20
SECRET_KEY = "bench-load-only-secret-key"  # noqa: S105 (a throwaway database)


def seed(agreements: int) -> list[dict]:
    """Users and agreements; returns a signed-in session cookie for each owner and reviewer."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.test import Client

    from agreements.models import Organisation, User
    from workflows import actions, inbox

    orgs = {o.code: o for o in Organisation.objects.all()}

    def person(name, org, role):
        user = User.objects.create_user(name, email=f"{name}@bench.example", organisation=orgs[org])
        user.groups.set(Group.objects.filter(name=role))
        return user

    owners = [person(f"owner{n}", "UNN", "contract_owner") for n in range(OWNERS)]
    reviewers = [person(f"legal{n}", "HNIKT", "legal") for n in range(REVIEWERS)]
    person("load-approver", "UNN", "approver")
    person("load-ikt-approver", "HNIKT", "approver")
    for n in range(agreements):
        owner = owners[n % OWNERS]
        agreement = actions.do_open_agreement(
            owner,
            kind="service",
            customer=orgs["UNN"],
            provider=orgs["HNIKT"],
            title=f"Tjenesteavtale {n}",
            target_date=date(2030, 6, 3),
        )
        if n % 2:  # half go on to review; the other half wait as drafts in the owner's inbox
            draft = inbox.inbox(owner).get(process__agreementprocess__agreement=agreement)
            actions.do_complete_task(owner, draft, {"title": agreement.title, "notice_months": 3})
    sessions = []
    for role, people in (("owner", owners), ("reviewer", reviewers)):
        for user in people:
            client = Client()
            client.force_login(user)
            cookie = settings.SESSION_COOKIE_NAME
            sessions.append({"role": role, "cookie": cookie, "value": client.cookies[cookie].value})
    return sessions


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(env, port) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "project.wsgi",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    sys.exit("bench.load: gunicorn did not answer within 60 s")


def _run_locust(env, port, users, seconds, folder) -> list[dict]:
    prefix = str(Path(folder) / "load")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 10)),
            "--run-time",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode:
        sys.exit(f"bench.load: locust failed:\n{result.stderr[-3000:]}")
    with open(prefix + "_stats.csv") as f:
        return list(csv.DictReader(f))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=sized(100, 4))
    parser.add_argument("--minutes", type=float, default=sized(2.0, 0.1))
    parser.add_argument("--agreements", type=int, default=sized(200, 6))
    args = parser.parse_args(argv)
    os.environ["SECRET_KEY"] = SECRET_KEY
    database_url = django_on_bench_database()
    started = time.perf_counter()
    sessions = seed(args.agreements)
    print(f"(seeded {args.agreements} agreements in {time.perf_counter() - started:.0f} s)")
    with tempfile.TemporaryDirectory() as folder:
        sessions_file = Path(folder) / "sessions.json"
        sessions_file.write_text(json.dumps(sessions))
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            # Plain HTTP on loopback: no TLS redirect, and cookies a client may send back.
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "LOG_LEVEL": "WARNING",
            "BENCH_LOAD_SESSIONS": str(sessions_file),
        }
        server = _start_gunicorn(env, port)
        from django.utils import timezone

        load_started = timezone.now()
        try:
            rows = _run_locust(env, port, args.users, int(args.minutes * 60), folder)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    failures = 0
    print(f"{'page':<20} {'requests':>9} {'failures':>9} {'median ms':>10} {'p95 ms':>8}")
    for row in rows:
        failures += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(
            f"{row['Name']:<20} {row['Request Count']:>9} {row['Failure Count']:>9} "
            f"{row['Median Response Time']:>10} {row['95%']:>8}"
        )
    from agreements.models import AuditEvent

    done = AuditEvent.objects.filter(at__gte=load_started)
    print(
        f"work done: {done.filter(action='submitted').count()} drafts sent to review, "
        f"{done.filter(action='reviewed').count()} reviews completed"
    )
    print(f"machine: {machine()}; {args.users} users for {args.minutes:g} min")
    print(f"failures {failures} (goal 0)")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
