"""Indexes on viewflow's task table for the inbox, the queue and the archive.

viewflow indexes ``status``, ``created`` and ``owner_id`` one column at a time; none serves a
list that filters on one and sorts on another. The EXPLAIN output that justifies each is in
docs/performance.md ("Pages at 1M tasks").
"""

from django.db import migrations

from agreements.pgindexes import create_index_concurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("workflows", "0001_initial"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        # The queue: new tasks of the user's role permissions, oldest first (workflows.inbox.queue).
        create_index_concurrently(
            "task_new_permission_created",
            "viewflow_task (owner_permission, created, id) WHERE status = 'NEW'",
        ),
        # The inbox: assigned tasks of the user and of those they stand in for, oldest first.
        create_index_concurrently(
            "task_owner_status_created", "viewflow_task (owner_id, status, created, id)"
        ),
        # The archive: the user's finished tasks, newest first.
        create_index_concurrently(
            "task_owner_finished",
            "viewflow_task (owner_id, finished DESC, id DESC) WHERE finished IS NOT NULL",
        ),
    ]
