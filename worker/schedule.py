"""The beat schedule: one beat process runs these periodically.

Running two beats by mistake is harmless for reminders: the sweep's ledger rows are unique and
the send task sends only rows it holds locked (see ``agreements.reminders``).
"""


def beat_schedule(
    timers_every: float = 60.0, sweep_every: float = 300.0, requeue_every: float = 120.0
) -> dict:
    """Celery beat's schedule; intervals come from settings (environment)."""
    return {
        "fire-workflow-timers": {"task": "worker.fire_due_timers", "schedule": timers_every},
        "worker-heartbeat": {"task": "worker.heartbeat", "schedule": 30.0},
        "sweep-reminders": {"task": "worker.sweep_reminders", "schedule": sweep_every},
        "requeue-stale-reminders": {
            "task": "worker.requeue_stale_reminders",
            "schedule": requeue_every,
        },
        "requeue-pending-documents": {
            "task": "worker.requeue_pending_documents",
            "schedule": requeue_every,
        },
    }
