"""The agreement workflow: draft, reviews, approval, signing, active."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.status import STATUS

from agreements import (
    amendments,
    documents,
    lifecycle,
    locking,
    permissions,
    review_rounds,
    routing,
    signing,
)
from agreements.models import Agreement, Decision
from agreements.roles import Role

from . import engine
from .models import AgreementProcess
from .nodes import AgreementTask, drafted_by
from .steps import ApprovalStep, DraftStep, ReviewStep, SignStep


def _owner_organisation(agreement):
    return agreement.owner.organisation


def _reviewer(area: str):
    role = routing.REVIEW_ROLE[area]
    return lambda user, agreement: permissions.may_review(user, agreement, role)


def _review_task(area: str, title):
    """A review by the reviewing organisation's holder of the area's role, 5 working days."""
    return (
        AgreementTask(
            ReviewStep(area),
            sla_days=5,
            role=routing.REVIEW_ROLE[area],
            party=Agreement.reviewing_organisation,
            guard=_reviewer(area),
        )
        .Annotation(title=title)
        .Next(this.join_reviews)
    )


def _drafting_task(step, title):
    """The owner's draft (or its revision after a change request), 10 working days."""
    return (
        AgreementTask(
            step,
            sla_days=10,
            role=Role.CONTRACT_OWNER,
            party=_owner_organisation,
            guard=lambda user, agreement: user.pk in permissions.drafter_ids(agreement),
            guard_sql=drafted_by,
            # The draft is the owner's own work: assigned to them, never back in a queue.
            releasable=False,
        )
        .Annotation(title=title)
        .Assign(this.assign_to_owner)
        .Next(this.check_review_round)
    )


def _sign_task(party_field: str, title):
    """A signature for one party ("customer" or "provider") by one of its approvers who may sign
    for it, 5 working days."""

    step = SignStep(party_field)
    return (
        AgreementTask(
            step,
            sla_days=5,
            role=Role.APPROVER,
            party=step.party,
            guard=lambda user, agreement: permissions.may_sign(
                user, agreement, step.party(agreement)
            ),
        )
        .Annotation(title=title)
        .Next(this.join_signing)
    )


class AgreementFlow(flow.Flow):
    """Avtale

    Each human task has a service level in Norwegian working days (``sla_days``): its deadline
    is the creation day plus that, never later than the agreement's target date.
    """

    process_class = AgreementProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Avtaleløp")

    start = flow.StartHandle(this.start_for_agreement).Next(this.draft)

    # --- contract owner -------------------------------------------------------------------
    draft = _drafting_task(DraftStep(), _("Utarbeid utkast"))
    revise = _drafting_task(DraftStep(revise=True), _("Revider utkast"))

    # --- reviewers, in parallel: the areas asked this round (``agreements.review_rounds``) --
    check_review_round = (
        engine.If(this.any_review_asked).Then(this.split_reviews).Else(this.conclude_reviews)
    )
    split_reviews = (
        engine.Split()
        .Next(this.legal_review, case=this.asks_legal)
        .Next(this.privacy_review, case=this.asks_privacy)
        .Next(this.security_review, case=this.asks_security)
    )
    legal_review = _review_task(Decision.Area.LEGAL, _("Juridisk gjennomgang"))
    privacy_review = _review_task(Decision.Area.PRIVACY, _("Personverngjennomgang"))
    security_review = _review_task(Decision.Area.SECURITY, _("Sikkerhetsgjennomgang"))
    join_reviews = engine.Join().Next(this.conclude_reviews)
    conclude_reviews = engine.Function(this.conclude_review_round).Next(this.check_reviews)
    check_reviews = engine.If(this.awaits_approval).Then(this.approve).Else(this.revise)

    # --- the customer's approver ----------------------------------------------------------
    approve = (
        AgreementTask(
            ApprovalStep(),
            sla_days=3,
            role=Role.APPROVER,
            party=lambda agreement: agreement.customer,
            guard=permissions.may_approve,
        )
        .Annotation(title=_("Godkjenning"))
        .Next(this.check_approval)
    )
    check_approval = engine.If(this.awaits_signature).Then(this.make_document).Else(this.revise)

    # --- the document to sign: a Celery worker renders it, then completes the Handle ------
    make_document = engine.Function(this.request_signing_document).Next(this.await_document)
    await_document = engine.Handle().Next(this.watch_and_sign)

    # Beside the signing, ``watch_document`` waits for a version ordered after the approval
    # (``agreements.approval_binding``); ``workflows.actions`` then cancels the signing and
    # completes the watch, back to approval. It is no branch of the signing join, so that join
    # ends when both parties have signed, and activation ends the watch.
    watch_and_sign = engine.Split().Next(this.split_signing).Next(this.watch_document)
    watch_document = engine.Handle().Next(this.approve)

    # --- one signatory per party, in parallel ---------------------------------------------
    # A party with users signs in the app (or uploads a signed scan); an external supplier's
    # signatory gets an emailed link, and the wait ends when ``workflows.signing`` records it.
    split_signing = (
        engine.Split()
        .Next(this.sign_customer, case=this.customer_signs_in_app)
        .Next(this.request_customer_signature, case=this.customer_signs_externally)
        .Next(this.sign_provider, case=this.provider_signs_in_app)
        .Next(this.request_provider_signature, case=this.provider_signs_externally)
    )
    # The approver who may also sign gets the customer's signature at once, not via the queue.
    sign_customer = _sign_task("customer", _("Signering for kunden")).Assign(
        this.approver_who_signs
    )
    sign_provider = _sign_task("provider", _("Signering for leverandøren"))
    request_customer_signature = engine.Function(this.send_customer_request).Next(
        this.await_customer_signature
    )
    await_customer_signature = (
        engine.Handle().Annotation(title=_("Venter på ekstern signatur")).Next(this.join_signing)
    )
    request_provider_signature = engine.Function(this.send_provider_request).Next(
        this.await_provider_signature
    )
    await_provider_signature = (
        engine.Handle().Annotation(title=_("Venter på ekstern signatur")).Next(this.join_signing)
    )
    join_signing = engine.Join().Next(this.activate)
    activate = engine.Function(this.activate_agreement).Next(this.end)
    end = engine.End()

    def has_view_permission(self, user, obj=None):
        # Every signed-in user takes part in some agreement's flow; which tasks and agreements
        # they see is scoped by organisation in ``workflows.inbox`` and ``agreements.permissions``.
        return user.is_authenticated and user.is_active

    # --- callbacks: read the agreement, call lifecycle services ---------------------------
    def start_for_agreement(self, activation, agreement):
        activation.process.agreement = agreement
        return activation.process

    def assign_to_owner(self, activation):
        return activation.process.agreement.owner

    def approver_who_signs(self, activation):
        return permissions.approver_who_may_sign(activation.process.agreement)

    def _asks(self, activation, area):
        return area in review_rounds.asked_areas(activation.process.agreement)

    def any_review_asked(self, activation):
        return bool(review_rounds.asked_areas(activation.process.agreement))

    def asks_legal(self, activation):
        return self._asks(activation, Decision.Area.LEGAL)

    def asks_privacy(self, activation):
        return self._asks(activation, Decision.Area.PRIVACY)

    def asks_security(self, activation):
        return self._asks(activation, Decision.Area.SECURITY)

    def conclude_review_round(self, activation):
        lifecycle.do_conclude_review_round(activation.process.agreement)

    def _status(self, activation) -> str:
        agreement = activation.process.agreement
        # A held agreement is the instance the lifecycle just moved (``agreements.locking``);
        # any other copy may be older than the status the step wrote.
        if not locking.is_held(agreement):
            agreement.refresh_from_db(fields=["status"])
        return agreement.status

    def awaits_approval(self, activation):
        return self._status(activation) == Agreement.Status.AWAITING_APPROVAL

    def awaits_signature(self, activation):
        return self._status(activation) == Agreement.Status.AWAITING_SIGNATURE

    def request_signing_document(self, activation):
        documents.do_request_document(None, activation.process.agreement, for_signing=True)

    def customer_signs_externally(self, activation):
        return activation.process.agreement.customer.is_external

    def customer_signs_in_app(self, activation):
        return not self.customer_signs_externally(activation)

    def provider_signs_externally(self, activation):
        return activation.process.agreement.provider.is_external

    def provider_signs_in_app(self, activation):
        return not self.provider_signs_externally(activation)

    def send_customer_request(self, activation):
        agreement = activation.process.agreement
        signing.do_request_signature(agreement, agreement.customer)

    def send_provider_request(self, activation):
        agreement = activation.process.agreement
        signing.do_request_signature(agreement, agreement.provider)

    def activate_agreement(self, activation):
        agreement = lifecycle.do_activate_agreement(activation.process.agreement)
        # A signed amendment takes the place of the agreement it amends.
        amendments.do_replace_amended(agreement)
        # Signed: no newer version can come now, so the watch for one ends (one UPDATE).
        self.task_class.objects.filter(
            process=activation.process, flow_task=self.watch_document, status=STATUS.NEW
        ).update(status=STATUS.CANCELED, finished=timezone.now())
