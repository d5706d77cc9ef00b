"""The REST API of the workflow: tasks (inbox, queue, claim, release, complete) and opening a
draft agreement, over ``workflows.actions`` and ``workflows.inbox`` like the task pages."""
