from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.Model):
    """The outcome of one review or approval task: who decided what, with which comment."""

    class Area(models.TextChoices):
        LEGAL = "legal", _("Juridisk gjennomgang")
        PRIVACY = "privacy", _("Personvern")
        SECURITY = "security", _("Informasjonssikkerhet")
        APPROVAL = "approval", _("Godkjenning")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Godkjent")
        CHANGES_REQUESTED = "changes_requested", _("Endringer etterspurt")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="decisions"
    )
    review_round = models.PositiveSmallIntegerField(_("runde"))
    area = models.CharField(_("område"), max_length=20, choices=Area.choices)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("besluttet av"), on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    # The workflow task that asked for this decision (a viewflow Task id; no FK: agreements does
    # not depend on the workflow package).
    task_id = models.BigIntegerField(null=True, blank=True, unique=True)
    # An approval is bound to the draft document the approver was shown (its number and SHA-256);
    # empty for reviews and for an approval given before any draft was made.
    document_version = models.ForeignKey(
        "agreements.DocumentVersion",
        verbose_name=_("dokumentversjon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "review_round", "area"], name="decision_once_per_round"
            )
        ]
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")


class ReviewRound(models.Model):
    """One review round: the terms as they were sent to review, and the areas asked to review.

    Written when the draft is submitted (``agreements.review_rounds``). ``terms`` is the
    snapshot of ``agreements.snapshots``; the next round's changes are the difference between two
    snapshots. ``areas`` lists the review areas asked this round; the others' approvals stand.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="review_rounds"
    )
    number = models.PositiveSmallIntegerField(_("runde"))
    terms = models.JSONField(_("vilkår ved innsending"), default=dict)
    areas = models.JSONField(_("områder som gjennomgår"), default=list)
    submitted_at = models.DateTimeField(_("sendt til gjennomgang"), auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="review_round_once")
        ]
        verbose_name = _("gjennomgangsrunde")
        verbose_name_plural = _("gjennomgangsrunder")


class Signature(models.Model):
    """One party's signature on an agreement."""

    class Method(models.TextChoices):
        IN_APP = "in_app", _("Signert i løsningen")
        UPLOADED_SCAN = "uploaded_scan", _("Opplastet signert skanning")
        EXTERNAL = "external", _("Ekstern signeringstjeneste")
        EMAILED_LINK = "emailed_link", _("Enkel elektronisk signatur via e-postlenke")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.ForeignKey(
        "agreements.Organisation", verbose_name=_("part"), on_delete=models.PROTECT
    )
    # A user for a signature in the app; empty for an external signatory, who has no login and is
    # recorded by name, email, address and browser instead.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signert av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    signer_name = models.CharField(_("navn på signatar"), max_length=200, blank=True)
    signer_email = models.EmailField(_("e-post til signatar"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    user_agent = models.CharField(_("nettleser"), max_length=500, blank=True)
    signing_request = models.OneToOneField(
        "agreements.SigningRequest",
        verbose_name=_("signeringslenke"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signature",
    )
    signed_at = models.DateTimeField(_("signert"), auto_now_add=True)
    method = models.CharField(_("metode"), max_length=20, choices=Method.choices)
    # The exact file signed and its SHA-256, copied so the proof survives on the signature row.
    document_version = models.ForeignKey(
        "agreements.DocumentVersion",
        verbose_name=_("dokumentversjon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="signature_once_per_party"),
            models.CheckConstraint(
                condition=models.Q(signed_by__isnull=False)
                | (~models.Q(signer_name="") & ~models.Q(signer_email="")),
                name="signature_has_signer",
            ),
        ]
        verbose_name = _("signatur")
        verbose_name_plural = _("signaturer")

    @property
    def signer_label(self) -> str:
        """Who signed, as shown on pages and in documents."""
        if self.signed_by_id:
            return str(self.signed_by)
        return f"{self.signer_name} <{self.signer_email}>"
