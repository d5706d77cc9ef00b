from django.db import models
from viewflow.workflow.models import Process


class AgreementProcess(Process):
    """The workflow instance of one agreement; the domain data stays on ``Agreement``."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="processes"
    )

    class Meta:
        verbose_name = "agreement process"
