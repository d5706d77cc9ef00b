"""What a reminder digest says: one line per deadline, in its state at the moment of sending."""

from dataclasses import dataclass
from datetime import date, datetime
from email.utils import format_datetime

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..dates import default_calendar
from ..models import Deadline, ReminderDelivery, User
from ..models.deadlines import OSLO
from .mime import DigestEmail


@dataclass
class DigestItem:
    title: str
    agreement: object
    due_date: date
    days_left: int
    days_text: str
    url: str
    note: str
    escalation: bool


def days_text(days_left: int) -> str:
    if days_left > 0:
        return ngettext("%(n)s arbeidsdag igjen", "%(n)s arbeidsdager igjen", days_left) % {
            "n": days_left
        }
    if days_left == 0:
        return _("Fristen er i dag")
    return ngettext("%(n)s arbeidsdag på overtid", "%(n)s arbeidsdager på overtid", -days_left) % {
        "n": -days_left
    }


def _note(rows: list[ReminderDelivery]) -> str:
    deadline = rows[0].deadline
    stand_in = [r for r in rows if r.addressee_id != r.recipient_id]
    if stand_in and len(stand_in) == len(rows):
        return _("Du får denne som stedfortreder for %(name)s.") % {"name": stand_in[0].addressee}
    if any(r.rule.is_escalation for r in rows):
        who = deadline.assignee or _("ingen (ikke tatt)")
        return _("Eskalert til deg: oppgaven er på overtid. Ansvarlig: %(who)s.") % {"who": who}
    return ""


# The pages that answer an agreement's follow-up deadlines (``agreements.renewal``).
_DECISION_PAGES = {
    Deadline.Kind.NOTICE_DATE: "workflows:follow_up",
    Deadline.Kind.REVISION_DATE: "workflows:revision",
}


def digest_items(rows: list[ReminderDelivery], now: datetime) -> list[DigestItem]:
    """One item per deadline (however many rules or occurrences a catch-up sweep wrote for it),
    with the working days left counted from ``now``: the email says what is true when read."""
    calendar = default_calendar()
    today = timezone.localtime(now, OSLO).date()
    by_deadline: dict[int, list[ReminderDelivery]] = {}
    for row in rows:
        by_deadline.setdefault(row.deadline_id, []).append(row)
    items = []
    for group in by_deadline.values():
        deadline = group[0].deadline
        if deadline.task_id:
            # By URL name: the task page belongs to workflows, which agreements does not import.
            path = reverse("workflows:task", kwargs={"task_pk": deadline.task_id})
        elif deadline.requirement_id:
            path = reverse("followup:detail", kwargs={"requirement_pk": deadline.requirement_id})
        elif deadline.kind in _DECISION_PAGES:
            # The owner's follow-up task: straight to the page that answers it (workflows').
            path = reverse(_DECISION_PAGES[deadline.kind], args=[deadline.agreement.reference])
        else:
            path = reverse("agreements:detail", kwargs={"reference": deadline.agreement.reference})
        days_left = deadline.working_days_left(today, calendar)
        items.append(
            DigestItem(
                # Task titles are stored as written when the task was made; the catalogue has them.
                title=_(deadline.title) if deadline.title else str(deadline.get_kind_display()),
                # The agreement, or the OD requirement a delivery deadline belongs to.
                agreement=deadline.subject,
                due_date=deadline.due_date,
                days_left=days_left,
                days_text=days_text(days_left),
                url=settings.SITE_URL + path,
                note=_note(group),
                escalation=any(r.rule.is_escalation for r in group),
            )
        )
    return sorted(items, key=lambda i: (i.due_date, i.title))


def _subject(items: list[DigestItem]) -> str:
    subject = ngettext("Påminnelse: %(n)s frist", "Påminnelse: %(n)s frister", len(items)) % {
        "n": len(items)
    }
    overdue = sum(1 for i in items if i.days_left < 0)
    if overdue:
        subject += " – " + ngettext("%(n)s på overtid", "%(n)s på overtid", overdue) % {
            "n": overdue
        }
    return subject


_TEMPLATES = ("agreements/email/reminder_digest.txt", "agreements/email/reminder_digest.html")


def warm_up(now: datetime) -> None:
    """Load once what the first digest in a process would otherwise load inside its task: the
    URLconf (``reverse`` of the links imports the whole site), this year's and next year's
    holidays, each language's catalogue and both templates (about 1 s of CPU). Workers call it
    when they start (``project/celery.py``)."""
    reverse("absence")
    today = timezone.localtime(now, OSLO).date()
    default_calendar().working_days_between(today, date(today.year + 1, 12, 31))
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in _TEMPLATES:
                get_template(name)


def build_digest(
    recipient: User, rows: list[ReminderDelivery], message_id: str, now: datetime
) -> DigestEmail:
    """One email (text + HTML) in the recipient's language listing every deadline in ``rows``."""
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(OSLO):
        items = digest_items(rows, now)
        context = {
            "recipient": recipient,
            "items": items,
            "lang": language,
            "away_url": settings.SITE_URL + reverse("absence"),
            "preferences_url": settings.SITE_URL + reverse("reminder_preferences"),
        }
        subject = _subject(items)
        text, html = (render_to_string(name, context) for name in _TEMPLATES)
    return DigestEmail(
        subject=subject,
        text=text,
        html=html,
        to=recipient.email,
        headers={
            "Message-ID": message_id,
            "Date": format_datetime(timezone.localtime(now, OSLO)),
            # RFC 3834: no vacation replies or loops from automatic senders.
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{context['preferences_url']}>",
            # The ledger rows this email carries: lets an operator (and the tests) trace every
            # reminder to the one message that delivered it.
            "X-Avtaleflyt-Reminders": ",".join(str(r.pk) for r in rows),
        },
    )
