"""Use cases that move an agreement through its life. The only writer of ``Agreement.status``.

Each ``do_*`` function checks who is acting and the current state, writes inside one transaction
and leaves an audit event. Errors meant for the user are ``ValidationError`` (message in the
user's language) or ``PermissionDenied``; nothing is written when either is raised.
"""

import logging
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import approval_binding, checklist, deadlines, permissions, review_rounds, routing
from .draft_rules import check_dates, check_parent
from .kinds import kind_spec
from .locking import forget, insert_guard, locked, use_case
from .models import Agreement, AuditEvent, Decision, DocumentVersion, Organisation, Signature, User
from .references import next_reference
from .row_writes import create_row, save_locked_row

Status = Agreement.Status
logger = logging.getLogger(__name__)

# Which status may follow which. Anything not listed is a programming error or a stale request.
ALLOWED_TRANSITIONS: dict[str, set[str]] = Agreement.TRANSITIONS

# Fields the owner may change while drafting; anything else is set by the lifecycle itself.
EDITABLE_FIELDS = (
    "title",
    "description",
    "parent",
    "requirement",
    "target_date",
    "start_date",
    "end_date",
    "notice_months",
    "renewal_months",
)


def _move(
    agreement: Agreement, to_status: str, actor: User | None, action: str, message="", also=()
):
    """Set the status and record the change: the one place a status is written. ``also``: more
    fields the caller set, saved in the same UPDATE."""
    if to_status not in ALLOWED_TRANSITIONS[agreement.status]:
        raise ValidationError(
            _("Avtalen kan ikke gå fra «%(from)s» til «%(to)s».")
            % {"from": agreement.get_status_display(), "to": Status(to_status).label}
        )
    from_status = agreement.status
    agreement.status = to_status
    # In a workflow step, whose lock holds the agreement's row, written at the step's end.
    save_locked_row(agreement, ["status", "review_round", "updated_at", *also])
    logger.info(
        "status %s -> %s by %s",
        from_status,
        to_status,
        actor or "system",
        extra={"agreement": agreement.reference},
    )
    deadlines.sync_agreement_deadlines(agreement)
    return AuditEvent.objects.create(
        agreement=agreement,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        message=message,
    )


# For the use cases after signing (``renewal``, ``ending``, ``amendments``): they validate, then
# write the status through this one function.
move_status = _move


def required_review_areas(agreement: Agreement) -> list[str]:
    """The reviews of the agreement's kind (``agreements.kinds``): legal always, and for a data
    processor agreement also privacy and information security."""
    return list(kind_spec(agreement.kind).review_areas)


@transaction.atomic
def do_create_agreement(
    actor: User,
    *,
    title: str,
    kind: str,
    customer: Organisation,
    provider: Organisation,
    applications=(),
    manager: Organisation | None = None,
    today: date | None = None,
    **fields,
) -> Agreement:
    """Create a draft agreement owned by ``actor``, with the next free reference. Without a
    ``manager``, the register decides (``routing.default_manager``)."""
    if not permissions.may_create_agreement(actor):
        raise PermissionDenied(_("Du har ikke rolle som avtaleeier."))
    if customer == provider:
        raise ValidationError(
            {"provider": _("Kunde og leverandør må være to forskjellige organisasjoner.")}
        )
    if not actor.sees_everything and actor.organisation_id not in (customer.pk, provider.pk):
        raise ValidationError(_("Din organisasjon må være kunde eller leverandør i avtalen."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    today = today or timezone.localdate()
    agreement = Agreement(
        reference=next_reference(today.year),
        title=title,
        kind=kind,
        customer=customer,
        provider=provider,
        manager=manager or routing.default_manager(customer, applications),
        owner=actor,
        **fields,
    )
    if agreement.target_date is None:
        agreement.target_date = deadlines.default_target_date(agreement)
    check_dates(agreement)
    check_parent(actor, agreement)
    routing.check_manager(agreement)
    agreement.save()
    deadlines.sync_agreement_deadlines(agreement)
    agreement.applications.set(applications)
    AuditEvent.objects.create(
        agreement=agreement,
        actor=actor,
        action=AuditEvent.Action.CREATED,
        to_status=agreement.status,
        message=agreement.title,
    )
    return agreement


@use_case
def do_update_agreement(actor: User, agreement: Agreement, applications=None, **changes):
    """Change draft fields; only the drafter while the agreement is being drafted."""
    agreement = locked(agreement)
    permissions.check_may_edit_draft(
        actor,
        agreement,
        _("Avtalen kan bare endres mens den er under utarbeiding."),
        _("Bare avtaleeieren kan endre utkastet."),
    )
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(agreement, name) != value]
    for name in changed:
        setattr(agreement, name, changes[name])
    if agreement.target_date is None and agreement.requirement_id:
        agreement.target_date = deadlines.default_target_date(agreement)
        if "target_date" not in changed:
            changed.append("target_date")
    check_dates(agreement)
    if "parent" in changed:
        check_parent(actor, agreement)
    if applications is not None:
        before = set(agreement.applications.values_list("pk", flat=True))
        after = {app.pk for app in applications}
        if before != after:
            agreement.applications.set(applications)
            changed.append("applications")
    if changed:
        agreement.save()
        deadlines.sync_agreement_deadlines(agreement)
        AuditEvent.objects.create(
            agreement=agreement,
            actor=actor,
            action=AuditEvent.Action.UPDATED,
            message=", ".join(str(_field_label(name)) for name in changed),
        )
    return agreement


def _field_label(name: str):
    return Agreement._meta.get_field(name).verbose_name


@use_case
def do_submit_for_review(actor: User, agreement: Agreement) -> Agreement:
    """Send a draft to review; starts a new review round."""
    agreement = locked(agreement)
    if actor.pk not in permissions.drafter_ids(agreement):  # the owner is always a drafter
        raise PermissionDenied(_("Bare avtaleeieren kan sende utkastet til gjennomgang."))
    missing = checklist.missing_items(agreement)
    if missing:
        raise ValidationError(
            [
                _(
                    "Databehandleravtalen kan ikke sendes til gjennomgang før hvert punkt er "
                    "fylt ut eller merket «ikke aktuelt» under Vilkår."
                )
            ]
            + [_("Mangler: %(item)s") % {"item": item} for item in missing]
        )
    routing.check_route(agreement, routing.REVIEW)
    review_rounds.open_next_round(agreement)  # the terms as sent, and who reviews them
    _move(agreement, Status.IN_REVIEW, actor, AuditEvent.Action.SUBMITTED)
    forget(agreement, permissions.DRAFTERS)  # the actor is a drafter now too
    return agreement


@use_case
def do_record_review(
    actor: User, agreement: Agreement, area: str, outcome: str, comment: str = "", task_id=None
) -> Decision:
    """Record one reviewer's verdict for the current round. Asking for changes needs a comment."""
    agreement = locked(agreement)
    if agreement.status != Status.IN_REVIEW:
        raise ValidationError(_("Avtalen er ikke til gjennomgang."))
    if area not in required_review_areas(agreement):
        raise ValidationError(_("Denne avtalen skal ikke ha denne typen gjennomgang."))
    if not permissions.may_review(actor, agreement, routing.REVIEW_ROLE[area]):
        raise PermissionDenied(_("Du kan ikke gjennomgå denne avtalen."))
    comment = comment.strip()
    if outcome == Decision.Outcome.CHANGES_REQUESTED and not comment:
        raise ValidationError({"comment": _("Skriv hva som må endres.")})
    if outcome == Decision.Outcome.APPROVED:
        routing.check_route(agreement, routing.APPROVAL)
    decision = _create_decision(actor, agreement, area, outcome, comment, task_id)
    AuditEvent.objects.create(
        agreement=agreement,
        actor=actor,
        action=AuditEvent.Action.REVIEWED,
        message=f"{Decision.Area(area).label}: {Decision.Outcome(outcome).label}. {comment}".strip(),
    )
    return decision


def _create_decision(actor, agreement, area, outcome, comment, task_id, document=None):
    try:
        with insert_guard(agreement):
            return create_row(
                Decision,
                agreement=agreement,
                review_round=agreement.review_round,
                area=area,
                outcome=outcome,
                comment=comment,
                decided_by=actor,
                task_id=task_id,
                document_version=document,
                document_sha256=getattr(document, "sha256", ""),
            )
    except IntegrityError:
        raise ValidationError(_("Denne beslutningen er allerede registrert.")) from None


@use_case
def do_conclude_review_round(agreement: Agreement) -> Agreement:
    """When the areas asked this round have answered: on to approval, or back to the owner."""
    agreement = locked(agreement)
    decisions, asked = review_rounds.round_decisions(agreement)
    missing = set(asked) - {d.area for d in decisions}
    if missing:
        raise ValidationError(_("Gjennomgangen er ikke ferdig."))
    objections = [d for d in decisions if d.outcome == Decision.Outcome.CHANGES_REQUESTED]
    if objections:
        _move(
            agreement,
            Status.CHANGES_REQUESTED,
            None,
            AuditEvent.Action.REVIEWS_CONCLUDED,
            "\n".join(f"{d.get_area_display()}: {d.comment}" for d in objections),
        )
    else:
        _move(agreement, Status.AWAITING_APPROVAL, None, AuditEvent.Action.REVIEWS_CONCLUDED)
    return agreement


@use_case
def do_decide_approval(
    actor: User, agreement: Agreement, outcome: str, comment: str = "", task_id=None, document=None
) -> Decision:
    """The customer's approver approves (on to signing) or sends the agreement back for changes.
    An approval records ``document``, the draft shown (``approval_binding.check_shown_draft``)."""
    agreement = locked(agreement)
    if agreement.status != Status.AWAITING_APPROVAL:
        raise ValidationError(_("Avtalen venter ikke på godkjenning."))
    if not permissions.may_approve(actor, agreement):
        raise PermissionDenied(_("Du kan ikke godkjenne denne avtalen."))
    comment = comment.strip()
    if outcome == Decision.Outcome.CHANGES_REQUESTED and not comment:
        raise ValidationError({"comment": _("Skriv hva som må endres.")})
    if outcome == Decision.Outcome.APPROVED:
        routing.check_route(agreement, routing.SIGNING)
        document = approval_binding.check_shown_draft(agreement, document)
    decision = _create_decision(
        actor, agreement, Decision.Area.APPROVAL, outcome, comment, task_id, document
    )
    to_status = (
        Status.AWAITING_SIGNATURE
        if outcome == Decision.Outcome.APPROVED
        else Status.CHANGES_REQUESTED
    )
    _move(agreement, to_status, actor, AuditEvent.Action.APPROVAL_DECIDED, comment)
    return decision


@use_case
def do_sign_agreement(
    actor: User,
    agreement: Agreement,
    party: Organisation,
    method: str = Signature.Method.IN_APP,
    document: DocumentVersion | None = None,
) -> Signature:
    """Record ``actor``'s signature on behalf of ``party`` on one exact document version.

    In the app a party signs the version made for signing (``DocumentVersion.objects.signable_for``); a
    signed scan is its own uploaded version. The signature keeps the version and its SHA-256.
    Each party signs once.
    """
    agreement = locked(agreement)
    if agreement.status != Status.AWAITING_SIGNATURE:
        raise ValidationError(_("Avtalen venter ikke på signering."))
    if not permissions.may_sign(actor, agreement, party):
        raise PermissionDenied(_("Du kan ikke signere for denne parten."))
    _check_signed_document(agreement, method, document)
    try:
        with insert_guard(agreement):
            signature = create_row(
                Signature,
                agreement=agreement,
                party=party,
                signed_by=actor,
                method=method,
                document_version=document,
                document_sha256=document.sha256,
            )
    except IntegrityError:
        raise ValidationError(_("%(party)s har allerede signert.") % {"party": party}) from None
    AuditEvent.objects.create(
        agreement=agreement,
        actor=actor,
        action=AuditEvent.Action.SIGNED,
        message=_("Signert for %(party)s, dokumentversjon %(number)s (SHA-256 %(sha)s)")
        % {"party": party.name, "number": document.number, "sha": document.sha256},
    )
    return signature


def _check_signed_document(agreement, method, document) -> None:
    if document is None or document.agreement_id != agreement.pk or not document.is_ready:
        raise ValidationError(_("Det finnes ikke noe ferdig dokument å signere ennå."))
    if method == Signature.Method.UPLOADED_SCAN:
        if document.kind != DocumentVersion.Kind.UPLOADED_SCAN:
            raise ValidationError(_("En opplastet signatur må peke på den opplastede filen."))
        return
    if document != approval_binding.signable_version(agreement):
        raise ValidationError(
            _(
                "Dokumentet du signerer er ikke lenger den gjeldende versjonen. Åpne oppgaven "
                "på nytt og les den nye versjonen."
            )
        )


@use_case
def do_activate_agreement(agreement: Agreement, today: date | None = None) -> Agreement:
    """Once every party has signed: "Signert" until a start date still to come, otherwise
    "Aktiv" (an agreement without a start date starts today)."""
    agreement = locked(agreement)
    signed = set(agreement.signatures.values_list("party_id", flat=True))
    if not {agreement.customer_id, agreement.provider_id} <= signed:
        raise ValidationError(_("Begge parter må signere før avtalen blir aktiv."))
    today = today or timezone.localdate()
    if agreement.start_date and agreement.start_date > today:
        _move(agreement, Status.SIGNED, None, AuditEvent.Action.FULLY_SIGNED)
        return agreement
    if agreement.start_date is None and (agreement.end_date or today) >= today:
        agreement.start_date = today  # the yearly revision counts from here
        _move(agreement, Status.ACTIVE, None, AuditEvent.Action.ACTIVATED, also=["start_date"])
        return agreement
    _move(agreement, Status.ACTIVE, None, AuditEvent.Action.ACTIVATED)
    return agreement


@use_case
def do_reopen_approval(agreement: Agreement, message: str) -> Agreement:
    """Back to approval: a newer document replaced the approved one (``approval_binding``)."""
    agreement = locked(agreement)
    review_rounds.open_next_round(agreement)  # same terms: the reviews stand, approval again
    _move(agreement, Status.AWAITING_APPROVAL, None, AuditEvent.Action.APPROVAL_REOPENED, message)
    return agreement


def record_task_event(actor: User, agreement: Agreement, action: str, message: str) -> AuditEvent:
    """Note a claim or release of a task on the agreement's trail."""
    return AuditEvent.objects.create(
        agreement=agreement, actor=actor, action=action, message=message
    )
