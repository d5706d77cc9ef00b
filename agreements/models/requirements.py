from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Requirement(models.Model):
    """A numbered requirement (OD-krav) of one year's assignment document from Helse Nord RHF to
    Helse Nord IKT, followed up per tertial (``agreements.followup``)."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("I rute")
        AT_RISK = "at_risk", _("Risiko")
        LATE = "late", _("Forsinket")
        DONE = "done", _("Fullført")

    class Measure(models.TextChoices):
        """What the product computes for a requirement (``agreements.followup.progress``)."""

        AGREEMENTS_IN_FORCE = "agreements_in_force", _("Avtaler i kraft")
        MANAGEMENT_TRANSFERRED = "management_transferred", _("Forvaltning overført")
        APPLICATIONS_CATEGORISED = "applications_categorised", _("Applikasjoner kategorisert")
        APPLICATIONS_UNCOVERED = "applications_uncovered", _("Applikasjoner uten avtale")

    # The reporting line the RHF prints under each requirement of the assignment document.
    DEFAULT_CADENCE = "Alle tertialrapporter og årlig melding"

    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("tittel"), max_length=200)
    text = models.TextField(_("tekst"))
    deadline = models.DateField(_("frist"), null=True, blank=True)
    cadence = models.CharField(_("rapportering"), max_length=120, default=DEFAULT_CADENCE)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for_requirements",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ON_TRACK
    )
    measure = models.CharField(
        _("beregnet fremdrift"), max_length=30, choices=Measure.choices, blank=True
    )
    # Opens a delivery deadline on ``deadline`` that reminds Helse Nord IKT's service managers
    # until the delivery is recorded (``agreements.deadlines.sync_delivery_deadline``).
    delivers_to_rhf = models.BooleanField(
        _("leveranse til Helse Nord RHF"),
        default=False,
        help_text=_(
            "Kravet ber om at noe sendes Helse Nord RHF innen fristen. Tjenesteansvarlige i "
            "Helse Nord IKT får påminnelser til leveransen er registrert."
        ),
    )

    # Who changed the status or the responsible person, and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="requirement_unique_number")
        ]
        verbose_name = _("OD-krav")
        verbose_name_plural = _("OD-krav")

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"OD {self.year}-{self.number}"
