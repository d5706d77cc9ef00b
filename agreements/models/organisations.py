from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..orgnumbers import normalise_org_number, validate_org_number


class Organisation(models.Model):
    """A party to agreements: the regional authority, a trust (HF) or an external supplier."""

    class Kind(models.TextChoices):
        REGIONAL_AUTHORITY = "rhf", _("Regionalt helseforetak")
        TRUST = "hf", _("Helseforetak")
        SUPPLIER = "supplier", pgettext_lazy("organisation kind", "Leverandør")

    # Helse Nord IKT HF, the regional IT provider: its reviewers serve every agreement it is party to.
    IT_PROVIDER_CODE = "HNIKT"

    code = models.SlugField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("navn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnavn"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    org_number = models.CharField(
        _("organisasjonsnummer"), max_length=11, blank=True, validators=[validate_org_number]
    )
    # Who changed a supplier's name or organisation number, and when (the supplier page shows it).
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.org_number = normalise_org_number(self.org_number)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_it_provider(self) -> bool:
        return self.code == self.IT_PROVIDER_CODE

    @property
    def is_external(self) -> bool:
        """An external supplier: nobody there logs in, so it signs through an emailed link."""
        return self.kind == self.Kind.SUPPLIER


class SupplierContact(models.Model):
    """A person at an external supplier, without a login. One who ``may_sign`` receives the emailed
    signing link when the supplier's signature is needed (``agreements.signing``)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasjon"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"))
    may_sign = models.BooleanField(_("kan signere"), default=False)
    # The signing link goes to these addresses, so every change to them is kept with its author.
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="supplier_contact_email_once"
            )
        ]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self):
        return f"{self.name} <{self.email}>"
