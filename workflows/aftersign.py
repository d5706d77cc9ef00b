"""Use cases after drafting that also touch the workflow: withdrawing a draft cancels its open
tasks, an amendment ("Endre avtale") starts its own run of the agreement flow, and deciding to
renegotiate starts that amendment. The agreement's side is in ``agreements.ending``,
``agreements.amendments`` and ``agreements.renewal``; each function here is one transaction.
"""

from django.db import transaction
from viewflow.workflow.status import PROCESS

from agreements import amendments, deadlines, ending, renewal
from agreements.models import Agreement, FollowUpDecision, User

from .flows import AgreementFlow
from .models import AgreementProcess


@transaction.atomic
def do_withdraw_agreement(actor: User, agreement: Agreement, reason: str) -> Agreement:
    """Withdraw the agreement ("Trukket") and cancel its workflow: no task of it stays in
    anyone's inbox or queue, and no deadline of them is reminded. Raises what
    ``ending.do_withdraw_agreement`` raises; nothing is written then."""
    agreement = ending.do_withdraw_agreement(actor, agreement, reason)
    running = AgreementProcess.objects.filter(agreement=agreement).exclude(
        status__in=[PROCESS.DONE, PROCESS.CANCELED]
    )
    for process in running:
        task_ids = list(process.task_set.values_list("pk", flat=True))
        AgreementFlow.instance.cancel(process)
        for task_id in task_ids:
            deadlines.do_close_task_deadline(task_id)
    return agreement


@transaction.atomic
def do_start_amendment(actor: User, agreement: Agreement, reason: str = "") -> Agreement:
    """A new version of ``agreement`` as a draft in the owner's inbox, on its way through review,
    approval and signing; returns it. It replaces ``agreement`` once signed
    (``AgreementFlow.activate_agreement``)."""
    amendment = amendments.do_create_amendment(actor, agreement, reason)
    AgreementFlow.start.run(agreement=amendment)
    return amendment


@transaction.atomic
def do_decide_notice(actor: User, agreement: Agreement, **decision) -> Agreement | None:
    """Record the owner's decision before the notice date (``renewal.do_decide_notice`` takes
    ``decision``); to renegotiate also starts the amendment, which is returned."""
    renewal.do_decide_notice(actor, agreement, **decision)
    if decision.get("outcome") == FollowUpDecision.Outcome.RENEGOTIATE:
        return do_start_amendment(actor, agreement, decision.get("comment", ""))
    return None
