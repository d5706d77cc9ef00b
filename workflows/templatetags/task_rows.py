"""The task lists' table rows and the "days left" text, written in Python.

``{% task_rows tasks tab %}`` draws the inbox, queue and archive tables: forty rows through the
template engine (three ``{% url %}``, a ``{% with %}``, date filters and an ``{% include %}`` of the
days-left text per row) were half of those pages' time. Each row is now one ``format_html``
with the markup the template had; the labels are translated once per page.
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

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


@register.simple_tag(takes_context=True)
def task_rows(context, tasks, tab: str) -> SafeString:
    """One ``<tr>`` per task of the ``tab`` ("inbox", "queue" or "archive"); ``tasks`` as
    ``inbox.with_deadlines`` gives them (each with ``.deadline``, its agreement and parties
    loaded)."""
    user_pk = context["user"].pk
    stand_in = gettext("Stedfortreder for %(name)s")
    # One token for the page, as {% csrf_token %} gives every form of a page the same one.
    csrf = CsrfTokenNode().render(context) if tab == "queue" else ""
    claim, open_task = gettext("Ta oppgaven"), gettext("Åpne")
    rows = []
    for task in tasks:
        agreement = agreement_of(task)
        deadline = task.deadline
        task_url = reverse("workflows:task", args=[task.pk])
        substitute = ""
        if task.owner_id and task.owner_id != user_pk:
            name = conditional_escape(task.owner)
            substitute = format_html(
                '<br><span class="muted">{}</span>',
                mark_safe(stand_in % {"name": name}),  # noqa: S308 - the name is escaped
            )
        due = ""
        if tab != "archive":
            due = format_html(
                "<td>{}</td>",
                format_html(
                    "{}<br>{}",
                    date_format(deadline.due_date, "SHORT_DATE_FORMAT"),
                    days_left(deadline.days_left, deadline.days_overdue),
                )
                if deadline
                else "–",
            )
        if tab == "queue":
            action = format_html(
                '<form method="post" action="{}">{}<button class="btn small" type="submit">{}'
                "</button></form>",
                reverse("workflows:claim", args=[task.pk]),
                csrf,
                claim,
            )
        elif tab == "inbox":
            action = format_html('<a class="btn small" href="{}">{}</a>', task_url, open_task)
        else:
            action = ""
        rows.append(
            format_html(
                _ROW,
                "overdue" if deadline and deadline.overdue else "",
                task_url,
                task.flow_task,
                substitute,
                reverse("agreements:detail", args=[agreement.reference]),
                agreement.reference,
                agreement.title,
                agreement.customer.display_name,
                agreement.provider.display_name,
                _when(task.finished if tab == "archive" else task.created),
                due,
                action,
            )
        )
    return format_html_join("\n  ", "{}", ((row,) for row in rows))
