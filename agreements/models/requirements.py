from django.db import models
from django.utils.translation import gettext_lazy as _


class Requirement(models.Model):
    """A numbered requirement (OD-krav) of one year's assignment document from Helse Nord RHF."""

    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("tittel"), max_length=200)
    text = models.TextField(_("tekst"))
    deadline = models.DateField(_("frist"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="requirement_unique_number")
        ]
        verbose_name = _("OD-krav")
        verbose_name_plural = _("OD-krav")

    def __str__(self):
        return f"OD {self.year}-{self.number}: {self.title}"
