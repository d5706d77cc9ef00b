"""Two people acting on one task at the same moment, on PostgreSQL: exactly one succeeds."""

import threading

import pytest
from django.db import connection
from viewflow.workflow.models import Task

from agreements.models import Agreement, AuditEvent, Decision
from tests.factories import make_agreement, open_task
from workflows import actions, inbox

pytestmark = pytest.mark.django_db(transaction=True)


def race(*actions):
    """Run the callables at the same moment in threads; return (results, errors) in order."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait()
            results[i] = ("ok", action())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def in_review(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    draft = open_task(agreement, "draft")
    actions.do_complete_task(
        personas["alice"], draft, {"title": agreement.title, "notice_months": 3}
    )
    return agreement


def test_it_lets_only_one_of_two_reviewers_claim_the_same_task(personas, orgs):
    agreement = in_review(personas, orgs)
    review = open_task(agreement, "legal_review")
    results = race(
        lambda: actions.do_claim_task(personas["lars"], Task.objects.get(pk=review.pk)),
        lambda: actions.do_claim_task(personas["lene"], Task.objects.get(pk=review.pk)),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, actions.TaskUnavailable)
    assert "tatt av" in str(error)
    review.refresh_from_db()
    assert review.owner in (personas["lars"], personas["lene"])
    assert AuditEvent.objects.filter(agreement=agreement, action="task_claimed").count() == 1


def test_it_completes_a_task_submitted_twice_at_once_exactly_once(personas, orgs):
    agreement = in_review(personas, orgs)
    review = open_task(agreement, "legal_review")
    actions.do_claim_task(personas["lars"], review)
    data = {"outcome": Decision.Outcome.APPROVED, "comment": ""}
    results = race(
        lambda: actions.do_complete_task(personas["lars"], Task.objects.get(pk=review.pk), data),
        lambda: actions.do_complete_task(personas["lars"], Task.objects.get(pk=review.pk), data),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, actions.TaskUnavailable)
    assert "allerede fullført" in str(error)

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL
    assert agreement.decisions.filter(area="legal").count() == 1
    approvals = inbox.agreement_tasks().filter(
        process__agreementprocess__agreement=agreement, flow_task_type="HUMAN"
    )
    assert sum(1 for t in approvals if t.flow_task.name == "approve") == 1


def test_a_claim_waits_for_the_lock_viewflow_takes_and_says_busy_when_it_stays_taken(
    personas, orgs
):
    # The worker completes the flow's waits through viewflow's own ``Flow.lock``; a claim takes
    # the lock in the query that loads the task (workflows.task_lock). Both must lock one row.
    from django.db import transaction

    from workflows.flows import AgreementFlow

    agreement = in_review(personas, orgs)
    review = open_task(agreement, "legal_review")
    held, release = threading.Event(), threading.Event()

    def hold_viewflow_lock():
        try:
            with transaction.atomic(), AgreementFlow.lock(review.process_id):
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_viewflow_lock)
    holder.start()
    try:
        assert held.wait(timeout=10)
        with pytest.raises(actions.TaskUnavailable, match="opptatt"):
            actions.do_claim_task(personas["lars"], Task.objects.get(pk=review.pk))
    finally:
        release.set()
        holder.join(timeout=30)
    review.refresh_from_db()
    assert review.owner_id is None
    assert not AuditEvent.objects.filter(agreement=agreement, action="task_claimed").exists()
    actions.do_claim_task(personas["lars"], Task.objects.get(pk=review.pk))
    review.refresh_from_db()
    assert review.owner == personas["lars"]
