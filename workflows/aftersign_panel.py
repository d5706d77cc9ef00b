"""The follow-up section of the agreement page: what its owner can do after signing (renew,
renegotiate or terminate; revise; amend) or with a draft (withdraw)."""

from django.urls import reverse
from django.utils import timezone

from agreements import amendments, deadlines, renewal
from agreements.dates import default_calendar
from agreements.models import Agreement, Deadline
from agreements.permissions import may_follow_up


def follow_up_panel_context(request, agreement):
    user = request.user
    follows_up = may_follow_up(user, agreement)
    due = deadlines.agreement_due_dates(agreement) if follows_up else {}
    return {
        "can_decide": follows_up and renewal.may_decide_notice(user, agreement),
        "notice_date": due.get(deadlines.Kind.NOTICE_DATE),
        "can_revise": follows_up and renewal.may_revise(user, agreement),
        "revision_date": due.get(deadlines.Kind.REVISION_DATE),
        "can_amend": follows_up
        and amendments.may_amend(user, agreement)
        and amendments.open_amendment(agreement) is None,
        "can_withdraw": follows_up and agreement.status in Agreement.WITHDRAWABLE_STATUSES,
    }


def inbox_follow_ups(user, overdue: bool = False) -> list:
    """The follow-up tasks of ``user``'s inbox (``renewal.follow_up_tasks``), each deadline with
    its days left and the page that answers it (``.url``)."""
    now, calendar = timezone.now(), default_calendar()
    rows = renewal.follow_up_tasks(user, timezone.localdate(now))
    if overdue:
        rows = rows.filter(due_at__lte=now)
    result = []
    for deadline in rows[:100]:
        deadline.days_left = deadline.working_days_left(timezone.localdate(now), calendar)
        deadline.days_overdue = -deadline.days_left
        deadline.overdue = deadline.is_overdue(now)
        page = "workflows:follow_up"
        if deadline.kind == Deadline.Kind.REVISION_DATE:
            page = "workflows:revision"
        deadline.url = reverse(page, args=[deadline.agreement.reference])
        result.append(deadline)
    return result
