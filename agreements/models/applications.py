from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Application(models.Model):
    """An IT system installed at one or more trusts (requirements 92 and 93).

    Every change is kept by django-simple-history, so ``Application.history.as_of(moment)`` gives
    the register as it stood then (the requirement follow-up reads it that way).
    """

    class InstalledOn(models.TextChoices):
        SERVER = "server", _("Server")
        CLIENT = "client", _("Klient")
        BOTH = "both", _("Server og klient")

    class Regional(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nei")
        UNDECIDED = "undecided", _("Ikke avklart")

    class Category(models.TextChoices):
        """NSM basic principles, measure 1.2.2. Its fourth point (how the rule is enforced) is a
        note, not a category."""

        NEEDED = "needed", _("Nødvendig")
        PERMITTED = "permitted", _("Tillatt, ikke nødvendig")
        UNWANTED = "unwanted", _("Uønsket")
        UNCATEGORISED = "uncategorised", _("Ikke kategorisert")

    class Management(models.TextChoices):
        TRUST = "trust", _("HF")
        IT_PROVIDER = "it_provider", _("Helse Nord IKT")

    name = models.CharField(_("navn"), max_length=200, db_index=True)
    supplier = models.ForeignKey(
        "agreements.Organisation",
        verbose_name=_("leverandør"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplied_applications",
    )
    version = models.CharField(_("versjon"), max_length=50, blank=True)
    # The service-management tool's id. Not unique here: its exports carry duplicates, and the
    # import is where a duplicate is refused.
    asset_id = models.CharField(_("asset-ID"), max_length=40, blank=True, db_index=True)
    installed_on = models.CharField(
        _("installert på"), max_length=10, choices=InstalledOn.choices, blank=True
    )
    used_by = models.ManyToManyField(
        "agreements.Organisation",
        verbose_name=_("brukes av"),
        related_name="applications_in_use",
        blank=True,
        through="agreements.ApplicationUse",
    )
    regional = models.CharField(
        _("regionalt system"), max_length=10, choices=Regional.choices, default=Regional.UNDECIDED
    )
    category = models.CharField(
        _("NSM-kategori"),
        max_length=15,
        choices=Category.choices,
        default=Category.UNCATEGORISED,
    )
    technical_management = models.CharField(
        _("teknisk forvaltning"), max_length=12, choices=Management.choices, default="trust"
    )
    technical_transferred_on = models.DateField(
        _("teknisk forvaltning overført"), null=True, blank=True
    )
    mercantile_management = models.CharField(
        _("merkantil forvaltning"), max_length=12, choices=Management.choices, default="trust"
    )
    mercantile_transferred_on = models.DateField(
        _("merkantil forvaltning overført"), null=True, blank=True
    )
    tool_agreement_number = models.CharField(
        _("avtalenummer i tjenestestyringsverktøyet"), max_length=60, blank=True
    )
    notes = models.TextField(_("merknad"), blank=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["category", "name"], name="app_category_name"),
            models.Index(fields=["regional", "name"], name="app_regional_name"),
            models.Index(
                fields=["technical_management", "mercantile_management"], name="app_management"
            ),
        ]
        verbose_name = _("applikasjon")
        verbose_name_plural = _("applikasjoner")

    def __str__(self):
        return self.name

    @property
    def management_transferred(self) -> bool:
        """Both technical and mercantile management are held by Helse Nord IKT (req. 89)."""
        return (
            self.technical_management == self.Management.IT_PROVIDER
            and self.mercantile_management == self.Management.IT_PROVIDER
        )


class ApplicationUse(models.Model):
    """One trust's use of an application, with the trust's system owner.

    The system owner is a user when they have a login, otherwise a name and an email address.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="uses", verbose_name=_("applikasjon")
    )
    organisation = models.ForeignKey(
        "agreements.Organisation",
        on_delete=models.PROTECT,
        related_name="application_uses",
        verbose_name=_("helseforetak"),
    )
    system_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("systemeier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_application_uses",
    )
    system_owner_name = models.CharField(_("systemeier (navn)"), max_length=200, blank=True)
    system_owner_email = models.EmailField(_("systemeier (e-post)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "application"], name="application_use_once_per_trust"
            )
        ]
        verbose_name = _("bruk av applikasjon")
        verbose_name_plural = _("bruk av applikasjoner")

    def __str__(self):
        return f"{self.application} – {self.organisation}"

    @property
    def system_owner_label(self) -> str:
        if self.system_owner_id:
            return str(self.system_owner)
        return self.system_owner_name


class ApplicationCoverage(models.Model):
    """An application's requirement-93 coverage state, stored so the register and the report
    read one narrow row per application instead of joining every agreement (issue 9 point 9).

    ``rank`` is the state on every day from ``valid_from`` up to (not including)
    ``valid_until``: the state changes by itself when an agreement starts or ends, so a row is
    only trusted inside its window. PostgreSQL triggers (migration
    ``0025_application_coverage``) create a row per application and mark it stale whenever an
    agreement, a link or the supplier it depends on changes; ``register.stored_coverage``
    recomputes stale rows before a read. Never read directly: go through
    ``register.coverage``, which falls back to computing the state on other dates and
    databases.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="coverage"
    )
    rank = models.PositiveSmallIntegerField()
    valid_from = models.DateField(db_index=True)
    valid_until = models.DateField(db_index=True)
    # Raised by every trigger that marks the row stale, so a refresh computed from an older
    # snapshot cannot overwrite a newer change (``stored_coverage.refresh``).
    version = models.BigIntegerField(default=0)
