from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpDecision(models.Model):
    """The contract owner's answer to a follow-up task of an agreement in force: before the
    notice date (renew, renegotiate or terminate) or at its yearly revision."""

    class Topic(models.TextChoices):
        NOTICE = "notice", _("Før oppsigelsesfristen")
        REVISION = "revision", _("Årlig revisjon")

    class Outcome(models.TextChoices):
        RENEW = "renew", _("Forny")
        RENEGOTIATE = "renegotiate", _("Reforhandle")
        TERMINATE = "terminate", _("Si opp")
        REVISED = "revised", _("Revisjon gjennomført")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="follow_up_decisions"
    )
    topic = models.CharField(_("gjelder"), max_length=20, choices=Topic.choices)
    outcome = models.CharField(_("beslutning"), max_length=20, choices=Outcome.choices)
    # The date the decision answers: the end date it was taken before (notice), or the revision's
    # due date. The next task is for a later date.
    concerns_date = models.DateField(_("gjelder dato"))
    # The end date after the decision: extended by a renewal, the termination date otherwise.
    new_end_date = models.DateField(_("ny sluttdato"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("besluttet av"), on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            # One answer per task: a second post of the same form is refused, not recorded twice.
            models.UniqueConstraint(
                fields=["agreement", "topic", "concerns_date"], name="follow_up_once_per_date"
            )
        ]
        verbose_name = _("oppfølgingsbeslutning")
        verbose_name_plural = _("oppfølgingsbeslutninger")

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.concerns_date:%d.%m.%Y})"
