"""Follow-up of the OD requirements: reporting texts per tertial, deliveries, risk assessments."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Period(models.IntegerChoices):
    """The reporting periods of a year: the tertials; the third is also the annual report."""

    T1 = 1, _("1. tertial")
    T2 = 2, _("2. tertial")
    T3 = 3, _("3. tertial og årlig melding")


class ReportingText(models.Model):
    """One saved version of a requirement's reporting text for one period.

    Never updated: every save is a new row, so the latest row is the text and the older rows are
    its history (who wrote what, when).
    """

    requirement = models.ForeignKey(
        "agreements.Requirement", on_delete=models.PROTECT, related_name="reporting_texts"
    )
    period = models.PositiveSmallIntegerField(_("periode"), choices=Period.choices)
    text = models.TextField(_("rapporteringstekst"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skrevet av"), on_delete=models.PROTECT
    )
    written_at = models.DateTimeField(_("skrevet"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["requirement", "period", "-written_at"])]
        verbose_name = _("rapporteringstekst")
        verbose_name_plural = _("rapporteringstekster")

    def __str__(self):
        return f"{self.requirement} {self.get_period_display()}"


class Delivery(models.Model):
    """Something a requirement asks to be sent to the RHF, recorded as sent (req. 93)."""

    requirement = models.ForeignKey(
        "agreements.Requirement", on_delete=models.PROTECT, related_name="deliveries"
    )
    sent_on = models.DateField(_("sendt"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sendt av"), on_delete=models.PROTECT
    )
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("registrert"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("levert oversikt")
        verbose_name_plural = _("leverte oversikter")


class RiskAssessment(models.Model):
    """A risk assessment (section 13 of the report) linked to a requirement, as put before one
    trust's board."""

    class Level(models.TextChoices):
        LOW = "low", _("Lav")
        MEDIUM = "medium", _("Middels")
        HIGH = "high", _("Høy")

    # The upper bound of each band of probability × consequence (1–25).
    LOW_MAX = 4
    MEDIUM_MAX = 12

    requirement = models.ForeignKey(
        "agreements.Requirement",
        verbose_name=_("OD-krav"),
        on_delete=models.PROTECT,
        related_name="risk_assessments",
    )
    organisation = models.ForeignKey(
        "agreements.Organisation",
        verbose_name=_("helseforetak"),
        on_delete=models.PROTECT,
        related_name="risk_assessments",
    )
    title = models.CharField(_("tittel"), max_length=200)
    assessed_on = models.DateField(_("dato"))
    description = models.TextField(_("beskrivelse"), blank=True)
    probability = models.PositiveSmallIntegerField(
        _("sannsynlighet"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    consequence = models.PositiveSmallIntegerField(
        _("konsekvens"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    board_date = models.DateField(_("behandlet i styret"), null=True, blank=True)
    board_case_number = models.CharField(_("styresak"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=1, probability__lte=5),
                name="risk_probability_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(consequence__gte=1, consequence__lte=5),
                name="risk_consequence_1_to_5",
            ),
        ]
        verbose_name = _("risikovurdering")
        verbose_name_plural = _("risikovurderinger")

    def __str__(self):
        return self.title

    @property
    def risk(self) -> int:
        """Probability × consequence, 1–25."""
        return self.probability * self.consequence

    @classmethod
    def level_of(cls, risk: int) -> "RiskAssessment.Level":
        """The band of a risk value: up to 4 low, up to 12 medium, above that high."""
        if risk <= cls.LOW_MAX:
            return cls.Level.LOW
        if risk <= cls.MEDIUM_MAX:
            return cls.Level.MEDIUM
        return cls.Level.HIGH

    @property
    def level(self) -> "RiskAssessment.Level":
        return self.level_of(self.risk)


class RiskMeasure(models.Model):
    """A measure that reduces a risk, with who owns it and by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Gjennomført")

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="measures"
    )
    description = models.CharField(_("tiltak"), max_length=300)
    owner = models.CharField(_("ansvarlig"), max_length=120)
    due_date = models.DateField(_("frist"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")

    def __str__(self):
        return self.description
