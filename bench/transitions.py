"""``python -m bench.transitions [--agreements 60]``: what does one task completion cost?

Claims and completes review, approval and signing tasks through ``workflows.actions`` (the use
cases the task pages call), with 1 and then 2 processes, each on its own agreements. Prints the
median milliseconds per completion (claim + complete) and completions per second, beside
``pgbench -c 1`` (TPC-B, scale 1) on the same server in the same run, in a scratch database.
"""

import argparse
import glob
import multiprocessing
import os
import re
import statistics
import subprocess
import time
from datetime import date
from urllib.parse import urlsplit, urlunsplit

from .setup import django_on_bench_database, machine, sized

APPROVE = {"outcome": "approved", "comment": ""}
# (node, persona) in flow order; the signing document is rendered in between, untimed.
STEPS = [("legal_review", "legal"), ("approve", "approver")]
SIGNING = [("sign_customer", "approver"), ("sign_provider", "ikt_approver")]


def seed_people():
    from django.contrib.auth.models import Group

    from agreements.models import Organisation, User

    orgs = {o.code: o for o in Organisation.objects.all()}
    people = {}
    for name, org, role in [
        ("owner", "UNN", "contract_owner"),
        ("legal", "HNIKT", "legal"),
        ("approver", "UNN", "approver"),
        ("ikt_approver", "HNIKT", "approver"),
    ]:
        user, _ = User.objects.get_or_create(
            username=name, defaults={"organisation": orgs[org], "email": f"{name}@bench.example"}
        )
        user.groups.set(Group.objects.filter(name=role))
        people[name] = user
    return orgs, people


def submitted_agreements(count):
    """``count`` new agreements with their drafts sent to review, through the use cases."""
    from workflows import actions

    orgs, people = seed_people()
    ids = []
    for i in range(count):
        agreement = actions.do_open_agreement(
            people["owner"],
            kind="service",
            customer=orgs["UNN"],
            provider=orgs["HNIKT"],
            title=f"Benkavtale {i}",
            target_date=date(2030, 6, 3),
        )
        task = _open(agreement.pk, "draft")
        actions.do_complete_task(
            people["owner"], task, {"title": agreement.title, "notice_months": 3}
        )
        ids.append(agreement.pk)
    return ids


def _open(agreement_id, node):
    from workflows import inbox
    from workflows.flows import AgreementFlow

    return (
        inbox.agreement_tasks()
        .filter(
            process__agreementprocess__agreement_id=agreement_id, status__in=["NEW", "ASSIGNED"]
        )
        .get(flow_task=getattr(AgreementFlow, node))
    )


def _open_all(agreement_ids, node) -> dict[int, int]:
    """{agreement id: the pk of its open task of ``node``}, in one query, as a list page finds
    them for its links."""
    from workflows import inbox
    from workflows.flows import AgreementFlow

    rows = inbox.agreement_tasks().filter(
        process__agreementprocess__agreement_id__in=agreement_ids,
        status__in=["NEW", "ASSIGNED"],
        flow_task=getattr(AgreementFlow, node),
    )
    return dict(rows.values_list("process__agreementprocess__agreement_id", "pk"))


def _data(agreement_id, node):
    if not node.startswith("sign_"):
        return APPROVE
    from agreements.models import DocumentVersion

    return {"document_version": DocumentVersion.objects.signable_for(agreement_id).pk}


def complete(agreement_ids, steps, people=None) -> list[float]:
    """Claim and complete ``steps`` for each agreement as the task page's two POSTs do (the
    permission-checked look-up of the task, then the use case); milliseconds per completion.
    Which task to open is found untimed, for all agreements at once: a user comes to it from a
    list. So is the form's data: the page gave it to the browser (for a signature, the version
    to sign), and the POST brings it back."""
    from workflows import actions, inbox

    people = people or seed_people()[1]
    times = []
    for node, persona in steps:
        task_pks = _open_all(agreement_ids, node)
        for agreement_id in agreement_ids:
            task_pk = task_pks[agreement_id]
            user = people[persona]
            data = _data(agreement_id, node)  # what the page sent the browser, posted back
            start = time.perf_counter()
            task = inbox.access_task(user, task_pk)
            if task.status == "NEW":  # an approver who may sign has the signing task already
                actions.do_claim_task(user, task)
                task = inbox.access_task(user, task_pk)
            actions.do_complete_task(user, task, data)
            times.append((time.perf_counter() - start) * 1000)
    return times


def _child(agreement_ids, steps, started, out):
    import django

    django.setup()
    people = _warm_up()
    started.wait()
    out.put(complete(agreement_ids, steps, people))


def _warm_up():
    """What a server process that has answered requests before holds already: what
    ``project.wsgi`` loads at start (and freezes out of the garbage collector, as in a web
    worker), its database connection, the bench's users, and its connection to the broker (the
    first one costs about 50 ms: the transport is imported and connected)."""
    from celery import current_app
    from django.db import connection

    import project.wsgi  # noqa: F401

    connection.ensure_connection()
    with current_app.producer_or_acquire() as producer:
        producer.connection.ensure_connection(max_retries=1)
    return seed_people()[1]


def run_parallel(agreement_ids, steps, processes) -> tuple[list[float], float]:
    """(per-completion ms, wall seconds) with ``processes`` processes sharing the agreements.
    The clock starts once every process has started and warmed up (``_warm_up``): the rate is
    that of running processes, not of starting them."""
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    started = ctx.Barrier(processes + 1)
    chunks = [agreement_ids[i::processes] for i in range(processes)]
    children = [ctx.Process(target=_child, args=(chunk, steps, started, out)) for chunk in chunks]
    for child in children:
        child.start()
    started.wait()
    start = time.perf_counter()
    times = [t for _ in children for t in out.get()]
    wall = time.perf_counter() - start
    for child in children:
        child.join()
    return times, wall


def render_documents():
    from agreements.models import DocumentVersion
    from worker.tasks import generate_document

    # What the worker does after each approval (it also lets the flow go on to signing).
    for pk in DocumentVersion.objects.filter(status="pending").values_list("pk", flat=True):
        generate_document(pk, pdf=False)


def measure(count, processes):
    ids = submitted_agreements(count)
    times, wall = run_parallel(ids, STEPS, processes)
    render_documents()
    more, more_wall = run_parallel(ids, SIGNING, processes)
    times += more
    return statistics.median(times), len(times) / (wall + more_wall)


def pgbench(seconds=15):
    """(ms per transaction, transactions/s) of ``pgbench -c 1`` TPC-B in a scratch database."""
    binary = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))[-1]
    parts = urlsplit(os.environ["DATABASE_URL"])
    url = urlunsplit(parts._replace(scheme="postgresql", path=parts.path + "_pgbench"))
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    import psycopg

    name = parts.path.lstrip("/") + "_pgbench"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([binary, "-i", "-s", "1", "-q", url], check=True, capture_output=True)
    result = subprocess.run(
        [binary, "-c", "1", "-T", str(seconds), "-n", url],
        check=True,
        capture_output=True,
        text=True,
    )
    latency = float(re.search(r"latency average = ([\d.]+) ms", result.stdout).group(1))
    tps = float(re.search(r"tps = ([\d.]+)", result.stdout).group(1))
    return latency, tps


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--agreements", type=int, default=sized(60, 1), help="agreements per process"
    )
    args = parser.parse_args(argv)
    django_on_bench_database()
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = False
    pg_ms, pg_tps = pgbench(sized(15, 1))
    print(f"pgbench -c 1 (TPC-B, scale 1): {pg_ms:.2f} ms per transaction, {pg_tps:.0f} tps")
    one_ms, one_rate = measure(args.agreements, 1)
    print(f"1 process : median {one_ms:6.1f} ms per completion, {one_rate:6.1f} completions/s")
    two_ms, two_rate = measure(2 * args.agreements, 2)
    print(f"2 processes: median {two_ms:6.1f} ms per completion, {two_rate:6.1f} completions/s")
    print(f"ratio to pgbench: {one_ms / pg_ms:.1f}x (goal <= 10); 2 processes {two_rate:.0f}/s "
          f"(goal >= 150)")  # fmt: skip
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
