from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningRequest(models.Model):
    """One signing link sent to an external signatory for one exact document version.

    Only the SHA-256 of the link's token is stored, so the table alone cannot be used to sign.
    The link works once, until ``expires_at``, and only while its version is still the one to
    sign; a newer version revokes it and a new request goes out (``agreements.signing``).
    """

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="signing_requests"
    )
    party = models.ForeignKey(
        "agreements.Organisation", verbose_name=_("part"), on_delete=models.PROTECT
    )
    document_version = models.ForeignKey(
        "agreements.DocumentVersion",
        verbose_name=_("dokumentversjon"),
        on_delete=models.PROTECT,
        related_name="signing_requests",
    )
    # Copied from the supplier's contact, so a later edit of the contact does not change the proof.
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"))
    provider = models.CharField(_("signeringstjeneste"), max_length=40, default="emailed_link")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    expires_at = models.DateTimeField(_("utløper"))
    used_at = models.DateTimeField(_("brukt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agreement", "party"], name="signing_request_party")]
        verbose_name = _("signeringslenke")
        verbose_name_plural = _("signeringslenker")

    def __str__(self):
        return f"{self.agreement_id}: {self.name} <{self.email}>"

    def is_open(self, now) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at
