from django.db import models
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    """An IT system installed at one or more trusts (requirements 92 and 93)."""

    name = models.CharField(_("navn"), max_length=200)
    supplier = models.ForeignKey(
        "agreements.Organisation",
        verbose_name=_("leverandør"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplied_applications",
    )
    version = models.CharField(_("versjon"), max_length=50, blank=True)
    used_by = models.ManyToManyField(
        "agreements.Organisation",
        verbose_name=_("brukes av"),
        related_name="applications_in_use",
        blank=True,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("applikasjon")
        verbose_name_plural = _("applikasjoner")

    def __str__(self):
        return self.name
