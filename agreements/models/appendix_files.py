"""Files attached to an appendix (bilag) of an operating agreement, e.g. a price list as PDF."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .terms import OperatingAppendix


def _appendix_path(instance, filename):
    return f"appendices/{instance.agreement.reference}/bilag-{instance.number}/{filename}"


class AppendixFile(models.Model):
    """One uploaded file of one SSA-D appendix of an operating agreement, with its SHA-256.

    Stored by ``agreements.appendix_files.do_attach_appendix_file`` after the same checks and
    limits as a signed scan; the agreement's document lists it under its appendix.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="appendix_files"
    )
    number = models.PositiveSmallIntegerField(_("bilag"), choices=OperatingAppendix.Number.choices)
    file = models.FileField(_("fil"), upload_to=_appendix_path, max_length=300)
    original_name = models.CharField(_("filnavn"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lastet opp av"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)

    class Meta:
        ordering = ["number", "created_at", "pk"]
        indexes = [models.Index(fields=["agreement", "number"], name="appendix_file_number")]
        verbose_name = _("bilagsfil")
        verbose_name_plural = _("bilagsfiler")

    def __str__(self):
        return f"Bilag {self.number}: {self.original_name}"
