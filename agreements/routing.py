"""Where an agreement's work goes, and the check that someone is there to do it.

An agreement's manager (``Agreement.manager``, requirement 89) defaults from the register: Helse
Nord IKT when it holds the mercantile management of a covered application, else the customer.

Before the flow hands work on (submission, each review, approval), ``check_route`` makes sure every
role the following steps need has an active holder in the organisation the step goes to (and, for
an external supplier, a contact person who may sign), so no task is ever created that nobody can
take. It raises one ``ValidationError`` naming each missing role and organisation.
"""

import functools

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from .kinds import kind_spec
from .models import Agreement, Application, Decision, Organisation, SupplierContact, User
from .permissions import drafter_ids
from .roles import Role

REVIEW_ROLE = {
    Decision.Area.LEGAL: Role.LEGAL,
    Decision.Area.PRIVACY: Role.PRIVACY,
    Decision.Area.SECURITY: Role.SECURITY,
}

# The steps after the draft, in order; ``check_route(agreement, from_step)`` checks that step and
# every one after it.
REVIEW, APPROVAL, SIGNING = "review", "approval", "signing"
STEPS = (REVIEW, APPROVAL, SIGNING)


def default_manager(customer: Organisation, applications=()) -> Organisation:
    """Helse Nord IKT when the mercantile management of any of ``applications`` lies with it,
    otherwise ``customer``."""
    ids = [getattr(app, "pk", app) for app in applications]
    managed = Application.objects.filter(
        pk__in=ids, mercantile_management=Application.Management.IT_PROVIDER
    )
    if ids and managed.exists():
        it_provider = Organisation.objects.filter(code=Organisation.IT_PROVIDER_CODE).first()
        if it_provider is not None:
            return it_provider
    return customer


def check_manager(agreement: Agreement) -> None:
    """The manager is Helse Nord IKT or a party that is not an external supplier."""
    manager = agreement.manager
    if manager.is_it_provider:
        return
    if manager.pk not in (agreement.customer_id, agreement.provider_id) or manager.is_external:
        raise ValidationError(
            {
                "manager": _(
                    "Forvalter må være Helse Nord IKT eller en av partene (ikke en ekstern "
                    "leverandør)."
                )
            }
        )


def needed_roles(agreement: Agreement, step: str) -> list[tuple[Role, Organisation]]:
    """The (role, organisation) pairs whose holders do ``step`` of ``agreement``.

    External suppliers sign through an emailed link and need no role (see ``missing_signatories``).
    """
    if step == REVIEW:
        reviewer = agreement.reviewing_organisation()
        return [(REVIEW_ROLE[area], reviewer) for area in kind_spec(agreement.kind).review_areas]
    if step == APPROVAL:
        return [(Role.APPROVER, agreement.customer)]
    return [(Role.APPROVER, party) for party in agreement.parties() if not party.is_external]


def _held(pairs: list[tuple[Role, Organisation]], excluded_ids) -> set[tuple[int, str]]:
    """The (organisation id, role) of ``pairs`` that an active user outside ``excluded_ids``
    holds, in one query."""
    if not pairs:
        return set()
    if connection.vendor == "postgresql":
        return _held_on_postgresql(pairs, excluded_ids)
    wanted = Q(pk__in=[])
    for role, organisation in pairs:
        wanted |= Q(organisation=organisation, groups__name=role)
    holders = User.objects.filter(wanted, is_active=True).exclude(pk__in=excluded_ids)
    return set(holders.values_list("organisation_id", "groups__name").distinct())


def _held_on_postgresql(pairs, excluded_ids) -> set[tuple[int, str]]:
    """``_held`` with the pairs and the excluded ids as arrays: one statement of fixed text,
    which PostgreSQL can keep prepared, where Django would build a new OR of pairs each time (it
    took more time than running it, on every review and approval)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _held_sql(),
            [
                [organisation.pk for _role, organisation in pairs],
                [str(role) for role, _organisation in pairs],
                list(excluded_ids),
            ],
        )
        return {(organisation_id, role) for organisation_id, role in cursor.fetchall()}


@functools.cache
def _held_sql() -> str:
    quote = connection.ops.quote_name
    membership = User.groups.through
    user_column = quote(membership._meta.get_field("user").column)
    group_column = quote(membership._meta.get_field("group").column)
    organisation = quote(User._meta.get_field("organisation").column)
    # Only names from the models' metadata go into the text; every value is a parameter.
    return (
        f"SELECT DISTINCT u.{organisation}, g.name "  # noqa: S608
        f"FROM {quote(User._meta.db_table)} u "
        f"JOIN {quote(membership._meta.db_table)} m ON m.{user_column} = u.id "
        f"JOIN {quote(Group._meta.db_table)} g ON g.id = m.{group_column} "
        "JOIN unnest(%s::bigint[], %s::text[]) AS wanted(organisation_id, role) "
        f"ON wanted.organisation_id = u.{organisation} "
        "AND wanted.role = g.name "
        "WHERE u.is_active AND u.id <> ALL(%s::bigint[])"
    )


def route_problems(agreement: Agreement, from_step: str) -> list[str]:
    """Messages for each role without a holder in the steps from ``from_step`` on (empty: fine).

    The drafters do not count: they may not review, approve or sign their own agreement.
    """
    pairs = [
        pair for step in STEPS[STEPS.index(from_step) :] for pair in needed_roles(agreement, step)
    ]
    held = _held(pairs, drafter_ids(agreement))
    problems = [
        _("Ingen i %(organisation)s har rollen %(role)s.")
        % {"organisation": organisation.name, "role": Role(role).label}
        for role, organisation in pairs
        if (organisation.pk, str(role)) not in held
    ]
    for party in agreement.parties():
        if party.is_external and not signatories(party).exists():
            problems.append(
                _("Ingen kontaktperson hos %(organisation)s har signaturrett.")
                % {"organisation": party.name}
            )
    return list(dict.fromkeys(problems))


def check_route(agreement: Agreement, from_step: str) -> None:
    """Raise ``ValidationError`` with ``route_problems`` unless there are none."""
    problems = route_problems(agreement, from_step)
    if problems:
        raise ValidationError(problems)


def signatories(party: Organisation):
    """The contact persons of an external ``party`` who may sign for it."""
    return SupplierContact.objects.filter(organisation=party, may_sign=True)
