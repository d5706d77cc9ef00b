"""The task lists' table rows and the "days left" text, written in Python.

``{% task_rows tasks tab %}`` draws the inbox, queue and archive tables: forty rows through the
template engine (three ``{% url %}``, a ``{% with %}``, date filters and an ``{% include %}`` of the
days-left text per row) were half of those pages' time. Each row is now one ``format_html``
with the markup the template had; the labels are translated and the links reversed once per
page (``agreements.links.url_for``).
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from agreements.links import url_for

from ..inbox import agreement_of

register = template.Library()


@register.simple_tag
def days_left(left: int, overdue: int) -> SafeString:
    """Working days left until a deadline: "3 arbeidsdager igjen", a warning on the day, or the
    days overdue in a red badge."""
    if left > 0:
        return mark_safe(  # noqa: S308 - a trusted catalogue string and a number
            ngettext("%(n)s arbeidsdag igjen", "%(n)s arbeidsdager igjen", left) % {"n": left}
        )
    if left == 0:
        return format_html('<span class="badge warn">{}</span>', gettext("Fristen er i dag"))
    text = ngettext("%(n)s arbeidsdag på overtid", "%(n)s arbeidsdager på overtid", overdue)
    return format_html('<span class="badge bad">{}</span>', text % {"n": overdue})


def _when(value) -> str:
    """What ``{{ value|date:"SHORT_DATETIME_FORMAT" }}`` shows: local time, or nothing."""
    return date_format(template_localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


_ROW = (
    '<tr class="{}">\n    <td><a href="{}">{}</a>{}</td>\n'
    '    <td><a href="{}">{}</a><br><span class="muted">{}</span></td>\n'
    "    <td>{} / {}</td>\n    <td>{}</td>\n    {}<td>{}</td>\n  </tr>"
)


def _due(deadline) -> SafeString:
    """The deadline cell of the inbox and the queue: its date and the days left, or a dash."""
    if deadline is None:
        return format_html("<td>{}</td>", "–")
    return format_html(
        "<td>{}<br>{}</td>",
        date_format(deadline.due_date, "SHORT_DATE_FORMAT"),
        days_left(deadline.days_left, deadline.days_overdue),
    )


class _Page:
    """What every row of one page shares: labels, links reversed once, the CSRF token."""

    def __init__(self, context, tab: str):
        self.tab, self.user_pk = tab, context["user"].pk
        self.stand_in = gettext("Stedfortreder for %(name)s")
        self.claim, self.open = gettext("Ta oppgaven"), gettext("Åpne")
        # One token for the page, as {% csrf_token %} gives every form of a page the same one.
        self.csrf = CsrfTokenNode().render(context) if tab == "queue" else ""
        self.task_page, self.claim_page = url_for("workflows:task"), url_for("workflows:claim")
        self.agreement_page = url_for("agreements:detail")

    def substitute(self, task) -> str:
        """ "Stedfortreder for <owner>" under a task the user holds for someone away."""
        if not task.owner_id or task.owner_id == self.user_pk:
            return ""
        name = conditional_escape(task.owner)
        text = mark_safe(self.stand_in % {"name": name})  # noqa: S308 - the name is escaped
        return format_html('<br><span class="muted">{}</span>', text)

    def action(self, task) -> str:
        if self.tab == "queue":
            return format_html(
                '<form method="post" action="{}">{}<button class="btn small" type="submit">{}'
                "</button></form>",
                self.claim_page(task.pk),
                self.csrf,
                self.claim,
            )
        if self.tab == "inbox":
            url = self.task_page(task.pk)
            return format_html('<a class="btn small" href="{}">{}</a>', url, self.open)
        return ""

    def row(self, task) -> SafeString:
        agreement, deadline, archive = agreement_of(task), task.deadline, self.tab == "archive"
        return format_html(
            _ROW,
            "overdue" if deadline and deadline.overdue else "",
            self.task_page(task.pk),
            task.flow_task,
            self.substitute(task),
            self.agreement_page(agreement.reference),
            agreement.reference,
            agreement.title,
            agreement.customer.display_name,
            agreement.provider.display_name,
            _when(task.finished if archive else task.created),
            "" if archive else _due(deadline),
            self.action(task),
        )


@register.simple_tag(takes_context=True)
def task_rows(context, tasks, tab: str) -> SafeString:
    """One ``<tr>`` per task of the ``tab`` ("inbox", "queue" or "archive"); ``tasks`` as
    ``inbox.with_deadlines`` gives them (each with ``.deadline``, its agreement and parties
    loaded)."""
    page = _Page(context, tab)
    return format_html_join("\n  ", "{}", ((page.row(task),) for task in tasks))
