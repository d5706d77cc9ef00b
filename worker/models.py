from django.db import models


class Heartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task; ``/health/`` reads it."""

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()
