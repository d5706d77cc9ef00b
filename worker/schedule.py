"""The beat schedule: one beat process runs these periodically."""

BEAT_SCHEDULE = {
    "fire-workflow-timers": {"task": "worker.fire_due_timers", "schedule": 60.0},
}
