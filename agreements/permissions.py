"""Who may see and do what. Every lookup of an agreement for a user goes through ``access_*``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from . import locking
from .kinds import parent_kinds
from .models import (
    Agreement,
    AgreementCount,
    AuditEvent,
    Decision,
    DocumentVersion,
    Organisation,
    User,
)
from .roles import Role, role_permission


class OrganisationRoleBackend:
    """Grants ``role:<role>@org:<id>`` pseudo-permissions for the roles a user holds.

    viewflow keeps a task's required permission as a string and builds its queue with
    ``owner_permission__in=user.get_all_permissions()``; with these strings a UNN approver
    matches only UNN approval tasks.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not user_obj.organisation_id:
            return set()
        return {role_permission(role, user_obj.organisation_id) for role in user_obj.role_names()}

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj)


def _scoped(user: User, qs: QuerySet) -> QuerySet:
    """``qs`` (of rows with ``customer``, ``provider`` and ``manager``) cut to those where the
    user's organisation is one of the three; all for administrators."""
    if not user.is_authenticated:
        return qs.none()
    if user.sees_everything:
        return qs
    if not user.organisation_id:
        return qs.none()
    org = user.organisation_id
    return qs.filter(Q(customer_id=org) | Q(provider_id=org) | Q(manager_id=org))


def visible_agreements(user: User) -> QuerySet[Agreement]:
    """Agreements where the user's organisation is customer, provider or manager; all for
    administrators."""
    return _scoped(user, Agreement.objects.all())


def visible_agreement_counts(user: User) -> QuerySet[AgreementCount]:
    """The count rows of exactly the agreements ``visible_agreements`` gives (same rule)."""
    return _scoped(user, AgreementCount.objects.all())


# Withdrawn, ended and replaced agreements take no new agreements under them.
_NO_LONGER_PARENTS = [
    Agreement.Status.CANCELLED,
    Agreement.Status.ENDED,
    Agreement.Status.REPLACED,
]


def parent_choices(user: User, customer: Organisation | int | None) -> QuerySet[Agreement]:
    """The agreements ``user`` may hang a new or drafted agreement of ``customer`` under: the
    customer's own framework agreements that the user can see (never another trust's)."""
    customer_id = customer.pk if isinstance(customer, Organisation) else customer
    return (
        visible_agreements(user)
        .filter(customer_id=customer_id, kind__in=parent_kinds())
        .exclude(status__in=_NO_LONGER_PARENTS)
    )


def is_plausible_reference(reference: str) -> bool:
    """False for text no reference can be (and PostgreSQL cannot even compare: NUL bytes)."""
    return 0 < len(reference) <= 30 and reference.isprintable()


def access_agreement(user: User, reference: str) -> Agreement:
    """The agreement with ``reference`` if the user may see it; otherwise ``Http404``."""
    if not is_plausible_reference(reference):
        raise Http404("No such agreement")
    try:
        return (
            visible_agreements(user)
            .select_related("customer", "provider", "manager", "owner", "parent", "requirement")
            .get(reference=reference)
        )
    except Agreement.DoesNotExist:
        raise Http404("No such agreement") from None


def can_see_agreement(user: User, agreement: Agreement) -> bool:
    if user.sees_everything:
        return True
    return bool(user.organisation_id) and user.organisation_id in involved_ids(agreement)


def involved_ids(agreement: Agreement) -> tuple[int, int, int]:
    """The organisations that see the agreement: both parties and its manager."""
    return (agreement.customer_id, agreement.provider_id, agreement.manager_id)


def drafter_ids(agreement: Agreement) -> frozenset[int]:
    """Everyone who drafted the agreement: its owner and whoever submitted a draft for review.
    Read once per step while the agreement's lock is held (``locking.remember``)."""

    def read():
        submitters = AuditEvent.objects.filter(
            agreement=agreement, action=AuditEvent.Action.SUBMITTED, actor__isnull=False
        ).values_list("actor_id", flat=True)
        return frozenset({agreement.owner_id, *submitters})

    return locking.remember(agreement, DRAFTERS, read)


# The key under which ``drafter_ids`` is remembered; a new submission forgets it.
DRAFTERS = "drafter_ids"


def submitter_ids_column(agreement_id: str) -> dict:
    """On PostgreSQL, an annotation ``submitter_ids`` (the actors of the SUBMITTED events of the
    agreement whose id is at the path ``agreement_id``) for a query that loads the agreement
    anyway, so ``keep_drafters`` saves the statement ``drafter_ids`` would cost; {} elsewhere."""
    if connection.vendor != "postgresql":
        return {}
    from django.contrib.postgres.expressions import ArraySubquery

    submitters = AuditEvent.objects.filter(
        agreement_id=OuterRef(agreement_id),
        action=AuditEvent.Action.SUBMITTED,
        actor__isnull=False,
    ).values("actor_id")
    return {"submitter_ids": ArraySubquery(submitters)}


def keep_drafters(agreement: Agreement, submitter_ids) -> None:
    """Let ``drafter_ids`` answer from ``submitter_ids`` (``submitter_ids_column``) while
    ``agreement`` is held (``locking.holding``)."""
    if submitter_ids is not None:
        ids = frozenset({agreement.owner_id, *submitter_ids})
        locking.remember(agreement, DRAFTERS, lambda: ids)


def may_edit_draft(user: User, agreement: Agreement) -> bool:
    """Whether ``user`` may change the agreement's fields and terms now: it is being drafted and
    they are one of its drafters. Pages ask this to show the edit controls; use cases call
    ``check_may_edit_draft`` for a message per reason."""
    return agreement.is_editable and user.pk in drafter_ids(agreement)


def check_may_edit_draft(user: User, agreement: Agreement, not_editable: str, not_drafter: str):
    """Raise ``ValidationError(not_editable)`` or ``PermissionDenied(not_drafter)`` unless
    ``may_edit_draft``."""
    if not agreement.is_editable:
        raise ValidationError(not_editable)
    if user.pk not in drafter_ids(agreement):
        raise PermissionDenied(not_drafter)


def holds_role_in(user: User, role: Role, organisation: Organisation) -> bool:
    return user.is_active and user.organisation_id == organisation.pk and user.has_role(role)


def may_review(user: User, agreement: Agreement, role: Role) -> bool:
    """Reviewers hold the role in the reviewing organisation and never review their own draft."""
    return holds_role_in(
        user, role, agreement.reviewing_organisation()
    ) and user.pk not in drafter_ids(agreement)


def may_approve(user: User, agreement: Agreement) -> bool:
    """An approver of the customer organisation who did not draft the agreement."""
    return holds_role_in(user, Role.APPROVER, agreement.customer) and user.pk not in drafter_ids(
        agreement
    )


def may_sign(user: User, agreement: Agreement, party: Organisation) -> bool:
    """A signatory (approver role) of ``party`` who did not draft the agreement."""
    return (
        party.pk in (agreement.customer_id, agreement.provider_id)
        and holds_role_in(user, Role.APPROVER, party)
        and user.pk not in drafter_ids(agreement)
    )


def approver_who_may_sign(agreement: Agreement) -> User | None:
    """The customer's approver who approved the agreement in its current round, if they may
    also sign for the customer (``may_sign``); the customer's signing task goes straight to them.
    None when nobody approved it yet or the approver may not sign."""
    decision = (
        agreement.decisions.filter(
            area=Decision.Area.APPROVAL,
            outcome=Decision.Outcome.APPROVED,
            review_round=agreement.review_round,
        )
        .select_related("decided_by")
        .order_by("-pk")
        .first()
    )
    if decision is None or decision.decided_by is None:
        return None
    approver = decision.decided_by
    return approver if may_sign(approver, agreement, agreement.customer) else None


def may_create_agreement(user: User) -> bool:
    return (
        user.is_active
        and bool(user.organisation_id)
        and (user.has_role(Role.CONTRACT_OWNER) or user.has_role(Role.SERVICE_MANAGER))
    )


def access_document(user: User, pk: int) -> DocumentVersion:
    """The document version ``pk`` if its agreement is visible to ``user``; otherwise ``Http404``."""
    try:
        return DocumentVersion.objects.select_related("agreement").get(
            pk=pk, agreement__in=visible_agreements(user)
        )
    except DocumentVersion.DoesNotExist:
        raise Http404("No such document") from None


def may_generate_documents(user: User, agreement: Agreement) -> bool:
    """Legal staff of either party or of the manager, and administrators, generate agreement
    documents."""
    if not user.is_active:
        return False
    if user.sees_everything:
        return True
    return user.has_role(Role.LEGAL) and user.organisation_id in involved_ids(agreement)


def may_view_templates(user: User) -> bool:
    """Legal staff (jurist) of any organisation, and administrators, see the template versions."""
    return user.is_active and (user.sees_everything or user.has_role(Role.LEGAL))


def may_manage_templates(user: User) -> bool:
    """Only legal staff of Helse Nord IKT, which owns the templates every organisation's
    documents are made from, and administrators upload (and so activate) template versions."""
    if not user.is_active:
        return False
    if user.sees_everything:
        return True
    return (
        user.has_role(Role.LEGAL)
        and user.organisation_id is not None
        and user.organisation.is_it_provider
    )


def may_follow_up(user: User, agreement: Agreement) -> bool:
    """Whether ``user`` answers for the agreement after it is drafted: renews, terminates,
    amends, revises or withdraws it. Its owner, the owner's stand-in while they are away, and
    administrators (who see everything)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk == agreement.owner_id or user.sees_everything:
        return True
    return agreement.owner.reminder_stand_in(timezone.localdate()) == user
