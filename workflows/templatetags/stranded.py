from django import template

from ..inbox import agreement_of
from ..signing import stranded_tasks

register = template.Library()

# The admin's start page shows at most this many; /health/ has the full count.
SHOWN = 20


@register.simple_tag
def tasks_without_candidate():
    """The oldest open tasks nobody can take, each with ``.agreement``, for the admin index."""
    tasks = list(stranded_tasks()[:SHOWN])
    for task in tasks:
        task.agreement = agreement_of(task)
    return tasks
