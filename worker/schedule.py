"""The beat schedule: one beat process runs these periodically."""


def beat_schedule(timers_every: float = 60.0) -> dict:
    """Celery beat's schedule; intervals come from settings (environment)."""
    return {
        "fire-workflow-timers": {"task": "worker.fire_due_timers", "schedule": timers_every},
        "worker-heartbeat": {"task": "worker.heartbeat", "schedule": 30.0},
    }
