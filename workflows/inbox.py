"""Where a user finds workflow tasks: the inbox, the queue, the archive, and one task by id.

Every read is scoped to what the user may see: ``access_task`` is the one permission-checked
lookup of a single task, and the lists are filtered in SQL before they reach a page.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from agreements.compiled import ByKey
from agreements.dates import default_calendar
from agreements.models import Deadline, User
from agreements.permissions import OrganisationRoleBackend, can_see_agreement
from agreements.prepared import prepared_statements

from .flows import AgreementFlow
from .nodes import TASK_AGREEMENT, AgreementTask


def agreement_tasks():
    """The flow's tasks with their agreement and its parties loaded in the same query (a list
    page shows them for every row; ``agreement_of`` then reads them without a query)."""
    return Task.objects.filter(process__flow_class=AgreementFlow).select_related(
        "owner", f"{TASK_AGREEMENT}__customer", f"{TASK_AGREEMENT}__provider"
    )


# The columns a task list shows (``templatetags.task_rows``, the API's ``TaskSerializer``): 30 of
# the 82 the joined rows have. Sending and converting the rest (the flow's data, the agreement's
# description, the owner's password hash, a dozen timestamps) cost about a tenth of the page
# (the queue of 40 rows: 43.3 ms median with them, 39.2 without; docs/performance.md).
_A = TASK_AGREEMENT
LISTED_COLUMNS = (
    *("id", "flow_task", "flow_task_type", "status", "created", "finished", "owner_id"),
    *("process_id", "owner_permission", "process__id", "process__flow_class"),
    *("process__agreementprocess__process_ptr_id", "process__agreementprocess__agreement_id"),
    *(f"{_A}__{f}" for f in ("id", "reference", "title", "customer_id", "provider_id")),
    f"{_A}__manager_id",
    *(f"{_A}__{party}__{f}" for party in ("customer", "provider") for f in ("id", "name")),
    *(f"{_A}__{party}__short_name" for party in ("customer", "provider")),
    *(f"owner__{f}" for f in ("id", "username", "first_name", "last_name")),
)


def listed(tasks):
    """A task list's queryset narrowed to ``LISTED_COLUMNS``."""
    return tasks.only(*LISTED_COLUMNS)


def agreement_of(task: Task):
    return task.process.coerced.agreement


# Compiled to SQL once per process (``agreements.compiled``): every task page and POST runs it.
_HUMAN_TASK = ByKey(lambda pk: agreement_tasks().filter(pk=pk, flow_task_type="HUMAN")[:1])


def access_task(user: User, task_pk: int) -> Task:
    """The human task ``task_pk`` if its agreement is visible to ``user``; otherwise ``Http404``."""
    with prepared_statements():
        task = _HUMAN_TASK.first(task_pk)
    if task is None:
        raise Http404("No such task")
    if not can_see_agreement(user, agreement_of(task)) and not AgreementTask.is_substitute(
        user, task
    ):
        raise Http404("No such task")
    return task


def inbox(user: User, overdue: bool = False):
    """Tasks waiting for ``user``, oldest first: their own, and those of anyone they stand in
    for today (``User.substitute`` while ``away_until`` has not passed).

    ``overdue`` keeps only tasks whose deadline has passed.
    """
    # ``owner_id IN (...)`` rather than an OR over a join to the owner: the list is served by
    # the index on (owner_id, status) (workflows/migrations/0002_task_indexes).
    absent = User.objects.filter(substitute=user, away_until__gte=timezone.localdate())
    owners = [user.pk, *absent.values_list("pk", flat=True)]
    tasks = listed(agreement_tasks()).filter(owner_id__in=owners, status=STATUS.ASSIGNED)
    if overdue:
        tasks = only_overdue(tasks)
    return tasks.order_by("created", "pk")


def only_overdue(tasks):
    """Narrow a task queryset to those whose open deadline has passed (one probe of the unique
    ``task_id`` per candidate, so a page stops reading once it is full)."""
    late = Deadline.objects.filter(
        task_id=OuterRef("pk"), closed_at__isnull=True, due_at__lte=timezone.now()
    )
    return tasks.filter(Exists(late))


def with_deadlines(tasks) -> list[Task]:
    """The tasks as a list, each with ``.deadline`` (its ``Deadline`` row or ``None``)."""
    tasks = list(tasks)
    by_task = {d.task_id: d for d in Deadline.objects.filter(task_id__in=[t.pk for t in tasks])}
    now, calendar = timezone.now(), default_calendar()
    today = timezone.localtime(now).date()
    for task in tasks:
        deadline = task.deadline = by_task.get(task.pk)
        if deadline is not None:
            deadline.days_left = deadline.working_days_left(today, calendar)
            deadline.days_overdue = -deadline.days_left
            deadline.overdue = deadline.is_overdue(now)
    return tasks


def claim_candidates(task_id: int) -> list[User]:
    """Everyone who may claim the unclaimed task ``task_id`` now: its role in its organisation,
    narrowed by the node's guard (the same test as viewflow's queue and ``do_claim_task``)."""
    task = agreement_tasks().filter(pk=task_id, status=STATUS.NEW).first()
    if task is None or not isinstance(task.flow_task, AgreementTask):
        return []
    node = task.flow_task
    party = node.party(agreement_of(task))
    users = User.objects.filter(organisation=party, groups__name=node.role, is_active=True)
    return [user for user in users if node.can_assign(user, task)]


def claimable_by(user: User) -> Q:
    """The condition on ``viewflow.Task`` rows that ``may_claim_task(user, task)`` checks in
    Python: unclaimed, a role the user holds in the task's party (its ``owner_permission``), and
    each node's guard (``AgreementTask.guard_sql``)."""
    # Only the role strings: a superuser's ``has_perm`` says yes to any task, but every node's
    # guard still asks for the role in the party, so the rest of their permissions match nothing.
    roles = OrganisationRoleBackend().get_all_permissions(user) if user.is_authenticated else ()
    guards = Q(pk__in=[])
    by_rule: dict = {}
    for node in AgreementFlow.instance.nodes():
        if isinstance(node, AgreementTask):
            by_rule.setdefault(node.guard_sql, []).append(node)
    for guard_sql, nodes in by_rule.items():
        guards |= Q(flow_task__in=nodes) & guard_sql(user)
    return Q(
        guards,
        status=STATUS.NEW,
        owner_id__isnull=True,
        flow_task_type="HUMAN",
        owner_permission__in=sorted(roles),
    )


def queue(user: User, overdue: bool = False):
    """Unclaimed tasks ``user`` may claim, oldest first, filtered in SQL (``claimable_by``).

    Served by the partial index on (owner_permission, created) of new tasks
    (workflows/migrations/0002_task_indexes).
    """
    tasks = listed(agreement_tasks()).filter(claimable_by(user))
    if overdue:
        tasks = only_overdue(tasks)
    return tasks.order_by("created", "pk")


def archive(user: User):
    return (
        listed(agreement_tasks())
        .filter(owner=user, finished__isnull=False, flow_task_type="HUMAN")
        .order_by("-finished", "-pk")
    )
