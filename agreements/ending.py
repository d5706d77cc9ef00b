"""How an agreement's time in force begins and ends: the start date turns "Signert" into "Aktiv",
notice ("Oppsagt") and the end date ("Avsluttet"), and withdrawing a draft ("Trukket").

Every status is written through ``lifecycle.move_status``, inside one transaction per agreement,
with an audit event and the agreement's deadlines kept in step. The two date jobs are run by
beat (``worker.start_due_agreements``, ``worker.end_due_agreements``); each re-reads its rows
under a lock and moves only those still in the status it looks for, so a second run, a second
beat or a retried task changes nothing twice.
"""

import logging
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import lifecycle, permissions
from .draft_rules import check_dates
from .models import Agreement, AuditEvent, User

Status = Agreement.Status
logger = logging.getLogger(__name__)


def _due_ids(condition: Q) -> list[int]:
    return list(Agreement.objects.filter(condition).order_by("pk").values_list("pk", flat=True))


def do_start_due_agreements(today: date | None = None) -> list[str]:
    """Turn every signed agreement whose start date has come into "Aktiv"; returns the references
    moved. One transaction per agreement, so one failure does not hold back the others."""
    today = today or timezone.localdate()
    started = []
    for pk in _due_ids(Q(status=Status.SIGNED, start_date__lte=today)):
        with transaction.atomic():
            agreement = Agreement.objects.locked(pk)
            if agreement.status != Status.SIGNED or agreement.start_date > today:
                continue  # another run got there first
            lifecycle.move_status(
                agreement,
                Status.ACTIVE,
                None,
                AuditEvent.Action.ACTIVATED,
                _("Startdatoen %(date)s er nådd.") % {"date": f"{agreement.start_date:%d.%m.%Y}"},
            )
            started.append(agreement.reference)
    return started


def do_end_due_agreements(today: date | None = None) -> list[str]:
    """End every agreement in force whose end date has passed ("Avsluttet" from the day after
    it); returns the references moved."""
    today = today or timezone.localdate()
    in_force = Q(status__in=[Status.ACTIVE, Status.TERMINATED], end_date__lt=today)
    ended = []
    for pk in _due_ids(in_force):
        with transaction.atomic():
            agreement = Agreement.objects.locked(pk)
            if agreement.status not in (Status.ACTIVE, Status.TERMINATED):
                continue
            if agreement.end_date is None or agreement.end_date >= today:
                continue
            lifecycle.move_status(
                agreement,
                Status.ENDED,
                None,
                AuditEvent.Action.ENDED,
                _("Sluttdatoen %(date)s er passert.") % {"date": f"{agreement.end_date:%d.%m.%Y}"},
            )
            ended.append(agreement.reference)
    return ended


def check_termination(agreement: Agreement, reason: str, end_date: date | None, today: date):
    """Raise ``ValidationError`` (per field) unless the agreement can be terminated with
    ``reason`` on ``end_date``."""
    if agreement.status not in (Status.SIGNED, Status.ACTIVE):
        raise ValidationError(_("Bare en signert eller aktiv avtale kan sies opp."))
    if not reason.strip():
        raise ValidationError({"comment": _("Skriv begrunnelsen for oppsigelsen.")})
    if end_date is None:
        raise ValidationError({"end_date": _("Velg datoen avtalen opphører.")})
    if end_date < today:
        raise ValidationError({"end_date": _("Avtalen kan ikke opphøre før i dag.")})
    if agreement.start_date and end_date < agreement.start_date:
        raise ValidationError({"end_date": _("Avtalen kan ikke opphøre før startdatoen.")})
    if agreement.end_date and end_date > agreement.end_date:
        raise ValidationError(
            {"end_date": _("En oppsigelse kan ikke forlenge avtalen forbi sluttdatoen.")}
        )


def terminate(actor: User, agreement: Agreement, reason: str, end_date: date) -> None:
    """Move the locked ``agreement`` to "Oppsagt", ending on ``end_date`` (checked already by
    ``check_termination``, inside the caller's transaction)."""
    agreement.end_date = end_date
    check_dates(agreement)
    agreement.save(update_fields=["end_date", "updated_at"])
    lifecycle.move_status(
        agreement,
        Status.TERMINATED,
        actor,
        AuditEvent.Action.TERMINATED,
        _("Opphører %(date)s. Begrunnelse: %(reason)s")
        % {"date": f"{end_date:%d.%m.%Y}", "reason": reason.strip()},
    )


@transaction.atomic
def do_withdraw_agreement(actor: User, agreement: Agreement, reason: str) -> Agreement:
    """Withdraw an agreement that has not gone to signing ("Trukket") with ``reason``.

    Only the status: the workflow's open tasks are cancelled by ``workflows.aftersign``, which
    calls this in the same transaction.
    """
    agreement = Agreement.objects.locked(agreement.pk)
    if not permissions.may_follow_up(actor, agreement):
        raise PermissionDenied(_("Bare avtaleeieren kan trekke avtalen."))
    if agreement.status not in Agreement.WITHDRAWABLE_STATUSES:
        raise ValidationError(
            _("Avtalen kan ikke trekkes når den er «%(status)s».")
            % {"status": agreement.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor avtalen trekkes.")})
    lifecycle.move_status(
        agreement, Status.CANCELLED, actor, AuditEvent.Action.WITHDRAWN, reason.strip()
    )
    return agreement
