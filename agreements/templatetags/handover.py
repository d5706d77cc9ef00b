"""The admin start page's list of open tasks that deactivated users left behind."""

from django import template

from ..handover import SHOWN, deactivated_users_open_deadlines

register = template.Library()


@register.inclusion_tag("agreements/admin/deactivated_tasks.html", takes_context=True)
def deactivated_users_tasks(context):
    deadlines = deactivated_users_open_deadlines(context["request"].user)
    return {"deadlines": deadlines[:SHOWN], "total": deadlines.count(), "shown": SHOWN}
