"""External signatures in the workflow: record one through its emailed link and let the flow's
wait for that party end, in one transaction, so the agreement turns active once both have signed.

Also the open tasks nobody can take (``stranded_tasks``), for ``/health/`` and the admin's start
page: routing refuses to create them (``agreements.routing``), so any found means a role holder left
or lost the role after the task was made.
"""

from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import STATUS

from agreements.models import Signature, User
from agreements.signing import links

from .flows import AgreementFlow
from .inbox import agreement_tasks

_WAITS = {
    "customer": AgreementFlow.await_customer_signature,
    "provider": AgreementFlow.await_provider_signature,
}


@transaction.atomic
def do_sign_external(token: str, **evidence) -> Signature:
    """Sign with the link at ``token`` (``links.do_sign_with_link`` takes ``evidence``), then end
    the flow's wait for that party's signature.

    Raises what ``do_sign_with_link`` raises; nothing is written then.
    """
    signature = links.do_sign_with_link(token, **evidence)
    do_resume_after_signature(signature)
    return signature


def do_resume_after_signature(signature: Signature) -> int:
    """Complete the flow's wait for ``signature``'s party; returns how many waits ended."""
    agreement = signature.agreement
    waiting = [
        task
        for side, node in _WAITS.items()
        if getattr(agreement, f"{side}_id") == signature.party_id
        for task in agreement_tasks().filter(
            process__agreementprocess__agreement_id=agreement.pk, flow_task=node, status=STATUS.NEW
        )
    ]
    completed = 0
    for task in waiting:
        try:
            task.flow_task.run(task)
        except TransitionNotAllowed:
            continue
        completed += 1
    return completed


def stranded_tasks():
    """Open, unclaimed human tasks whose role no active user holds in the task's organisation."""
    held = (
        User.objects.filter(is_active=True, organisation__isnull=False, groups__isnull=False)
        .annotate(
            permission=Concat(
                Value("role:"),
                F("groups__name"),
                Value("@org:"),
                Cast("organisation_id", CharField()),
                output_field=CharField(),
            )
        )
        .values("permission")
    )
    return (
        agreement_tasks()
        .filter(flow_task_type="HUMAN", status=STATUS.NEW, owner_permission__startswith="role:")
        .exclude(owner_permission__in=held)
        .order_by("created")
    )
