"""The queue's SQL condition and the Python guard are one rule: for every persona and every open
task, "in my queue" is exactly "I may claim it" (``may_claim_task``)."""

import pytest

from agreements.models import Agreement
from agreements.roles import Role
from tests.factories import advance, make_agreement, make_user, open_task
from workflows import actions, inbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(orgs, personas):
    extra = {
        # owner and approver at once: may not approve or sign what they drafted
        "dina": make_user("dina", orgs["UNN"], Role.CONTRACT_OWNER, Role.APPROVER),
        # owner and lawyer at once: may not review what they drafted
        "jon": make_user("jon", orgs["HNIKT"], Role.CONTRACT_OWNER, Role.LEGAL),
        "gone": make_user("gone", orgs["UNN"], Role.APPROVER),
    }
    extra["gone"].is_active = False
    extra["gone"].save()
    return {**personas, **extra}


@pytest.fixture
def agreements(orgs, everyone):
    """Agreements at every step that has a queue; some drafted by people holding other roles."""
    unn, nlsh, hnikt = orgs["UNN"], orgs["NLSH"], orgs["HNIKT"]
    made = {
        "jon_owns": advance(make_agreement(everyone["jon"], unn, hnikt), everyone, "submitted"),
        "jon_submitted": advance(
            make_agreement(everyone["jon"], unn, hnikt), everyone, "submitted"
        ),
        "dina_owns": advance(make_agreement(everyone["dina"], unn, hnikt), everyone, "reviewed"),
        "nlsh": advance(make_agreement(everyone["bob"], nlsh, hnikt), everyone, "submitted"),
        "signing": advance(make_agreement(everyone["alice"], unn, hnikt), everyone, "approved"),
        "claimed": advance(make_agreement(everyone["alice"], unn, hnikt), everyone, "submitted"),
    }
    # The owner changes after submission: whoever submitted is still one of its drafters.
    Agreement.objects.filter(pk=made["jon_submitted"].pk).update(owner=everyone["iris"])
    actions.do_claim_task(everyone["lene"], open_task(made["claimed"], "legal_review"))
    return made


def test_it_queues_exactly_what_each_persona_may_claim(everyone, agreements):
    open_tasks = list(
        inbox.agreement_tasks().filter(flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
    )
    claims = 0
    for name, user in everyone.items():
        queued = set(inbox.queue(user).values_list("pk", flat=True))
        allowed = {task.pk for task in open_tasks if actions.may_claim_task(user, task)}
        assert queued == allowed, name
        claims += len(allowed)
    assert claims >= 8


def test_it_keeps_drafters_own_tasks_out_of_their_queue(everyone, agreements):
    jon = set(inbox.queue(everyone["jon"]))
    assert open_task(agreements["nlsh"], "legal_review") in jon
    assert open_task(agreements["jon_owns"], "legal_review") not in jon
    assert open_task(agreements["jon_submitted"], "legal_review") not in jon
    dina = set(inbox.queue(everyone["dina"]))
    # ulla approved and may sign: the customer's signature went straight to her, past the queue.
    signing = open_task(agreements["signing"], "sign_customer")
    assert signing.owner == everyone["ulla"] and signing not in dina
    assert open_task(agreements["signing"], "sign_provider") in set(inbox.queue(everyone["ivar"]))
    assert open_task(agreements["dina_owns"], "approve") not in dina
    assert open_task(agreements["dina_owns"], "approve") in set(inbox.queue(everyone["ulla"]))
    assert not inbox.queue(everyone["gone"]).exists()
