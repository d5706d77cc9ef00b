"""Eight clients completing the same task through the API at once, on PostgreSQL: exactly one
wins, the rest get 409 with the task page's message, and the flow moves on once."""

import threading

import pytest
from django.db import connection
from django.test import Client

from agreements.api.tokens import do_create_api_token
from agreements.models import Agreement, AuditEvent, Decision
from tests.factories import make_agreement, open_task
from workflows import actions, inbox

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 8
# What the task page says to the one who came second (workflows.actions).
PAGE_MESSAGES = ("Oppgaven er allerede fullført", "Oppgaven er opptatt akkurat nå")


def race(requests):
    """Run the callables at the same moment in threads; return their responses in order."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(i, request):
        try:
            barrier.wait()
            results[i] = request()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_it_lets_exactly_one_of_eight_api_clients_complete_a_review(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    actions.do_complete_task(
        personas["alice"], open_task(agreement, "draft"), {"title": "Avtale", "notice_months": 3}
    )
    review = open_task(agreement, "legal_review")
    actions.do_claim_task(personas["lars"], review)
    _token, raw = do_create_api_token(personas["lars"], "Robot", 30)
    url = f"/api/v1/tasks/{review.pk}/complete/"
    body = {"outcome": Decision.Outcome.APPROVED, "comment": "Ser bra ut"}

    def complete():
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client.post(url, body, content_type="application/json")

    responses = race([complete] * RACERS)

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (RACERS - 1)
    for response in responses:
        if response.status_code == 409:
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["detail"].startswith(PAGE_MESSAGES)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL
    assert agreement.decisions.filter(area="legal").count() == 1
    approvals = inbox.agreement_tasks().filter(
        process__agreementprocess__agreement=agreement, flow_task_type="HUMAN"
    )
    assert sum(1 for t in approvals if t.flow_task.name == "approve") == 1
    reviewed = AuditEvent.objects.get(agreement=agreement, action=AuditEvent.Action.REVIEWED)
    assert "via API-nøkkel «Robot»" in reviewed.message
