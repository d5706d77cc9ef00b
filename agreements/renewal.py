"""The contract owner's follow-up of an agreement in force: before its notice date, renew,
renegotiate or terminate it; once a year, revise a service or operating agreement.

Each task is an open deadline of the agreement (``Deadline.Kind.NOTICE_DATE`` and
``REVISION_DATE``, kept by ``agreements.deadlines``), reminded by the ordinary sweep and listed in
the owner's inbox (``follow_up_tasks``) from ``INBOX_DAYS_AHEAD`` days before it is due. The answer
is a ``FollowUpDecision`` row, unique per agreement, topic and date, so a second post of the same
form is refused; recording it moves the deadline on (a renewal's new end date, the next
anniversary) or closes it.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import deadlines, ending, lifecycle, permissions
from .dates import add_months
from .draft_rules import check_dates
from .models import Agreement, AuditEvent, Deadline, FollowUpDecision, User

Outcome = FollowUpDecision.Outcome
Topic = FollowUpDecision.Topic
Status = Agreement.Status

# A follow-up task shows in the owner's inbox from this many days before its date (the first
# default reminder of a notice date is 60 days before it).
INBOX_DAYS_AHEAD = 90
FOLLOW_UP_KINDS = (Deadline.Kind.NOTICE_DATE, Deadline.Kind.REVISION_DATE)


def follow_up_tasks(user: User, today: date | None = None) -> QuerySet[Deadline]:
    """The open follow-up deadlines of agreements ``user`` owns, or owns in the place of someone
    away, due within ``INBOX_DAYS_AHEAD`` days (overdue ones included), soonest first."""
    today = today or timezone.localdate()
    absent = User.objects.filter(substitute=user, away_until__gte=today).values("pk")
    return (
        Deadline.objects.filter(
            Q(agreement__owner=user) | Q(agreement__owner__in=absent),
            kind__in=FOLLOW_UP_KINDS,
            closed_at__isnull=True,
            due_date__lte=today + timedelta(days=INBOX_DAYS_AHEAD),
        )
        .select_related("agreement__customer", "agreement__provider", "agreement__owner")
        .order_by("due_date", "pk")
    )


def may_decide_notice(user: User, agreement: Agreement) -> bool:
    return agreement.status in (Status.SIGNED, Status.ACTIVE) and permissions.may_follow_up(
        user, agreement
    )


def may_revise(user: User, agreement: Agreement) -> bool:
    return deadlines.next_revision_date(agreement) is not None and (
        agreement.status == Status.ACTIVE and permissions.may_follow_up(user, agreement)
    )


def _record(actor, agreement, topic, outcome, concerns, comment, new_end=None):
    try:
        with transaction.atomic():
            return FollowUpDecision.objects.create(
                agreement=agreement,
                topic=topic,
                outcome=outcome,
                concerns_date=concerns,
                new_end_date=new_end,
                comment=comment.strip(),
                decided_by=actor,
            )
    except IntegrityError:
        raise ValidationError(_("Denne beslutningen er allerede registrert.")) from None


def _check_concerns(agreement: Agreement, concerns: date | None, current: date | None) -> None:
    # The form carries the date it was shown for: a second post, or one from a stale page, is
    # refused instead of renewing twice.
    if concerns != current:
        raise ValidationError(
            _("Avtalen er endret siden siden ble åpnet. Last siden på nytt og prøv igjen.")
        )


@transaction.atomic
def do_decide_notice(
    actor: User,
    agreement: Agreement,
    outcome: str,
    comment: str = "",
    *,
    concerns_date: date | None,
    end_date: date | None = None,
    today: date | None = None,
) -> FollowUpDecision | None:
    """Record the owner's decision for the agreement's current end date (``concerns_date``).

    ``renew`` moves the end date on by the renewal period; ``terminate`` gives notice with the
    comment as reason, ending on ``end_date`` ("Oppsagt"); ``renegotiate`` only records the
    decision (the caller starts the amendment). Returns the decision row; ``None`` when a
    termination follows an earlier decision for the same date (a failed renegotiation).
    """
    agreement = Agreement.objects.locked(agreement.pk)
    today = today or timezone.localdate()
    if not permissions.may_follow_up(actor, agreement):
        raise PermissionDenied(_("Bare avtaleeieren kan beslutte dette."))
    if agreement.status not in (Status.SIGNED, Status.ACTIVE):
        raise ValidationError(_("Bare en signert eller aktiv avtale kan fornyes eller sies opp."))
    _check_concerns(agreement, concerns_date, agreement.end_date)
    if outcome == Outcome.TERMINATE:
        return _terminate(actor, agreement, comment, end_date, today)
    if agreement.end_date is None:
        raise ValidationError(_("Avtalen har ingen sluttdato å fornye eller reforhandle fra."))
    if outcome == Outcome.RENEW:
        return _renew(actor, agreement, comment)
    if outcome == Outcome.RENEGOTIATE:
        decision = _record(actor, agreement, Topic.NOTICE, outcome, agreement.end_date, comment)
        _note(actor, agreement, AuditEvent.Action.RENEGOTIATION_DECIDED, comment)
        deadlines.sync_agreement_deadlines(agreement)
        return decision
    raise ValidationError({"outcome": _("Velg en beslutning.")})


def _renew(actor, agreement, comment) -> FollowUpDecision:
    before = agreement.end_date
    after = add_months(before, agreement.renewal_months)
    decision = _record(actor, agreement, Topic.NOTICE, Outcome.RENEW, before, comment, after)
    agreement.end_date = after
    check_dates(agreement)
    agreement.save(update_fields=["end_date", "updated_at"])
    deadlines.sync_agreement_deadlines(agreement)
    text = _("Sluttdato flyttet fra %(before)s til %(after)s.") % {
        "before": f"{before:%d.%m.%Y}",
        "after": f"{after:%d.%m.%Y}",
    }
    _note(actor, agreement, AuditEvent.Action.RENEWED, f"{text} {comment.strip()}".strip())
    return decision


def _terminate(actor, agreement, reason, end_date, today) -> FollowUpDecision | None:
    ending.check_termination(agreement, reason, end_date, today)
    decision = None
    concerns = agreement.end_date or end_date
    already = agreement.follow_up_decisions.filter(topic=Topic.NOTICE, concerns_date=concerns)
    if not already.exists():
        decision = _record(
            actor, agreement, Topic.NOTICE, Outcome.TERMINATE, concerns, reason, end_date
        )
    ending.terminate(actor, agreement, reason, end_date)
    return decision


def _note(actor, agreement, action, message) -> None:
    lifecycle.record_task_event(actor, agreement, action, message.strip())


@transaction.atomic
def do_record_revision(
    actor: User, agreement: Agreement, comment: str, *, concerns_date: date | None
) -> FollowUpDecision:
    """Record this year's revision of the agreement (``concerns_date``: the revision's due date
    as shown); the next one falls due a year later."""
    agreement = Agreement.objects.locked(agreement.pk)
    if not permissions.may_follow_up(actor, agreement):
        raise PermissionDenied(_("Bare avtaleeieren kan registrere revisjonen."))
    due = deadlines.next_revision_date(agreement)
    if agreement.status != Status.ACTIVE or due is None:
        raise ValidationError(_("Avtalen har ingen årlig revisjon å registrere nå."))
    _check_concerns(agreement, concerns_date, due)
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv kort hva revisjonen kom fram til.")})
    decision = _record(actor, agreement, Topic.REVISION, Outcome.REVISED, due, comment)
    deadlines.sync_agreement_deadlines(agreement)
    text = _("Revisjon for %(date)s.") % {"date": f"{due:%d.%m.%Y}"}
    _note(actor, agreement, AuditEvent.Action.REVISED, f"{text} {comment.strip()}")
    return decision
