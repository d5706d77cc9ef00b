from django.conf import settings
from django.db import models
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from .. import step_writes
from .tokens import acting_token


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only.")


class AuditEvent(models.Model):
    """An append-only record of something that happened to an agreement."""

    class Action(models.TextChoices):
        CREATED = "created", _("Opprettet")
        UPDATED = "updated", _("Endret")
        SUBMITTED = "submitted", _("Sendt til gjennomgang")
        REVIEWED = "reviewed", _("Gjennomgått")
        REVIEWS_CONCLUDED = "reviews_concluded", _("Gjennomgang avsluttet")
        APPROVAL_DECIDED = "approval_decided", _("Godkjenning besluttet")
        SIGNED = "signed", _("Signert")
        ACTIVATED = "activated", _("Aktivert")
        TASK_CLAIMED = "task_claimed", _("Oppgave tatt")
        TASK_RELEASED = "task_released", _("Oppgave lagt tilbake")
        REMINDER_SENT = "reminder_sent", _("Påminnelse sendt")
        TERMS_UPDATED = "terms_updated", _("Vilkår endret")
        DOCUMENT_REQUESTED = "document_requested", _("Dokument bestilt")
        DOCUMENT_READY = "document_ready", _("Dokument laget")
        DOCUMENT_FAILED = "document_failed", _("Dokument feilet")
        DOCUMENT_UPLOADED = "document_uploaded", _("Signert skanning lastet opp")
        SIGNING_REQUESTED = "signing_requested", _("Signeringslenke sendt")
        FULLY_SIGNED = "fully_signed", _("Signert av alle parter")
        RENEWED = "renewed", _("Fornyet")
        RENEGOTIATION_DECIDED = "renegotiation", _("Reforhandling besluttet")
        REVISED = "revised", _("Årlig revisjon gjennomført")
        TERMINATED = "terminated", _("Sagt opp")
        ENDED = "ended", _("Avsluttet")
        AMENDMENT_STARTED = "amendment_started", _("Endring startet")
        REPLACED = "replaced", _("Erstattet")
        WITHDRAWN = "withdrawn", _("Trukket")
        APPROVAL_REOPENED = "approval_reopened", _("Tilbake til godkjenning")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utført av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    action = models.CharField(_("hendelse"), max_length=30, choices=Action.choices)
    from_status = models.CharField(_("fra status"), max_length=20, blank=True)
    to_status = models.CharField(_("til status"), max_length=20, blank=True)
    message = models.TextField(_("melding"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("revisjonshendelse")
        verbose_name_plural = _("revisjonshendelser")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only.")
        token = acting_token()
        if token is not None:
            # Written through the API: the trail names the token, not just the person.
            via = gettext_now("via API-nøkkel «%(name)s»") % {"name": token.name}
            self.message = f"{self.message} ({via})" if self.message else via
        # Nothing in a workflow step reads its own events back: written at the step's end.
        if not step_writes.keep(self):
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def get_action_display(self) -> str:
        """The action's label in the active language (the value itself if it is no action).

        Django's own builds a dict of all 27 labels, translating each, on every call; the
        agreement page asks once per event in its log and timeline, the CSV export once per row.
        """
        try:
            return str(self.Action(self.action).label)
        except ValueError:
            return self.action

    def _status_label(self, value):
        from .agreements import Agreement

        return Agreement.Status(value).label if value else ""

    @property
    def from_status_label(self):
        return self._status_label(self.from_status)

    @property
    def to_status_label(self):
        return self._status_label(self.to_status)
