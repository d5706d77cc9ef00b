"""Each user's deadlines as an iCalendar feed at a secret, revocable address.

Calendar programs fetch ``/calendar/<token>.ics`` without a session, so the token is the only
credential: it is 256 random bits, shown once, and only its hash is stored. Each fetch rebuilds
the whole calendar from the open deadlines, so a deadline that moved shows its new date (same
UID, higher SEQUENCE) and one that closed is simply gone.
"""

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CalendarFeed, Deadline, Requirement, User
from .secret_tokens import new_secret_token, token_digest

# Deadlines overdue by more than this are left out; nobody plans by them any more.
PAST_DAYS = 180
# No user has this many open deadlines; the cap keeps one fetch's cost bounded all the same.
MAX_EVENTS = 1000


@transaction.atomic
def do_create_calendar_feed(user: User) -> str:
    """A new feed address for ``user``; any earlier one stops working. Returns the token."""
    do_revoke_calendar_feed(user)
    token = new_secret_token()
    CalendarFeed.objects.create(user=user, token_hash=token_digest(token))
    return token


@transaction.atomic
def do_revoke_calendar_feed(user: User) -> int:
    """Stop ``user``'s feed address; returns how many addresses were revoked (0 or 1)."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def active_calendar_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def access_calendar_feed(token: str) -> User:
    """The active user whose feed ``token`` opens; 404 for a wrong or revoked token."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    return feed.user


def feed_deadlines(user: User, today: date) -> QuerySet[Deadline]:
    """The open deadlines ``user`` answers for: their tasks and their agreements' dates.

    An agreement's target, notice and end dates move by closing the old row and opening a new
    one, so ``revision`` counts the earlier rows of the same agreement and kind: it becomes the
    event's SEQUENCE, and the UID is built from the agreement and kind, not the row.
    """
    earlier = (
        Deadline.objects.filter(
            agreement=OuterRef("agreement"),
            kind=OuterRef("kind"),
            task_id__isnull=True,
            pk__lt=OuterRef("pk"),
        )
        .order_by()
        .values("agreement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mine = Q(assignee=user) | Q(agreement__owner=user, task_id__isnull=True)
    return (
        Deadline.objects.filter(mine, closed_at__isnull=True)
        .filter(due_date__gte=today - timedelta(days=PAST_DAYS))
        .select_related("agreement")
        .annotate(revision=Coalesce(Subquery(earlier, output_field=IntegerField()), Value(0)))
        .order_by("due_date", "pk")[:MAX_EVENTS]
    )


def feed_requirements(user: User, today: date) -> QuerySet[Requirement]:
    """The unfinished OD requirements with a deadline that ``user`` is responsible for.

    Their history (django-simple-history) gives the moment of the last change and a revision
    count for SEQUENCE.
    """
    history = Requirement.history.model.objects.filter(id=OuterRef("pk")).order_by().values("id")
    return (
        Requirement.objects.filter(responsible=user, deadline__isnull=False)
        .exclude(status=Requirement.Status.DONE)
        .filter(deadline__gte=today - timedelta(days=PAST_DAYS))
        .annotate(
            revision=Coalesce(
                Subquery(history.annotate(n=Count("history_id")).values("n")) - 1, Value(0)
            ),
            modified=Subquery(history.annotate(at=Max("history_date")).values("at")),
        )
        .order_by("deadline", F("pk"))[:MAX_EVENTS]
    )


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _event(uid, summary, day, url, description, sequence, modified, now) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{_domain()}")
    event.add("dtstamp", now)
    event.add("summary", summary)
    # A deadline is a day, not a moment: an all-day event, the same date in every time zone.
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("sequence", max(0, sequence))
    event.add("last-modified", modified or now)
    event.add("url", settings.SITE_URL + url)
    event.add("description", f"{description}\n{settings.SITE_URL + url}")
    return event


def _deadline_event(deadline: Deadline, now: datetime) -> icalendar.Event:
    agreement = deadline.agreement
    if deadline.task_id is not None:
        # By URL name: the task page belongs to workflows, which agreements does not import.
        uid = f"task-{deadline.task_id}"
        url = reverse("workflows:task", kwargs={"task_pk": deadline.task_id})
    else:
        uid = f"agreement-{agreement.pk}-{deadline.kind}"
        url = reverse("agreements:detail", kwargs={"reference": agreement.reference})
    summary = f"{deadline.display_title}: {agreement.reference} {agreement.title}"
    description = f"{deadline.get_kind_display()} – {agreement.reference} {agreement.title}"
    return _event(
        uid,
        summary,
        deadline.due_date,
        url,
        description,
        deadline.revision,
        deadline.scheduled_from,
        now,
    )


def _requirement_event(requirement: Requirement, now: datetime) -> icalendar.Event:
    url = reverse("followup:detail", kwargs={"requirement_pk": requirement.pk})
    label = _("Frist for OD-krav")
    return _event(
        f"requirement-{requirement.pk}",
        f"{label}: {requirement}",
        requirement.deadline,
        url,
        f"{label} – {requirement}",
        requirement.revision,
        requirement.modified,
        now,
    )


def calendar_for(user: User, now: datetime | None = None) -> bytes:
    """The user's feed as iCalendar text."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Helse Nord IKT//Avtaleforvaltning//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Mine frister – avtaler"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Clients refresh subscriptions at their own pace; this asks for about once an hour.
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for deadline in feed_deadlines(user, today):
        calendar.add_component(_deadline_event(deadline, now))
    for requirement in feed_requirements(user, today):
        calendar.add_component(_requirement_event(requirement, now))
    return calendar.to_ical()
