"""Word templates and the document versions made from them (DESIGN.md: Documents are immutable)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..compiled import ByKey
from .agreements import Agreement


class ImmutableDocumentError(Exception):
    """Raised on any attempt to change the content of a finished document or template version."""


def _template_path(instance, filename):
    return f"templates/{instance.kind}/v{instance.number}-{filename}"


class TemplateVersion(models.Model):
    """One uploaded (or shipped) .docx template of an agreement kind.

    Only validated files become rows (``docs_templates.versions.do_upload_template``); exactly
    one version per kind is active and used for new documents.
    """

    kind = models.CharField(_("avtaletype"), max_length=20, choices=Agreement.Kind.choices)
    number = models.PositiveIntegerField(_("versjon"))
    file = models.FileField(_("fil"), upload_to=_template_path, max_length=300)
    original_name = models.CharField(_("filnavn"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lastet opp av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    is_active = models.BooleanField(_("aktiv"), default=False)

    class Meta:
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="template_version_number"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_active=True),
                name="one_active_template_per_kind",
            ),
        ]
        verbose_name = _("malversjon")
        verbose_name_plural = _("malversjoner")

    def __str__(self):
        return f"{self.get_kind_display()} v{self.number}"


class DocumentVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # The worker finishes a pending version with one conditional UPDATE; nothing may rewrite
        # the content of a version that is already ready.
        if CONTENT_FIELDS & kwargs.keys() and self.filter(status=DocumentVersion.Status.READY):
            raise ImmutableDocumentError("A ready document version cannot change.")
        return super().update(**kwargs)

    def signable_for(self, agreement):
        """The version the parties sign in the app: the newest generated one, once it is ready.

        None while the newest is still being made, so nobody signs an older draft meanwhile.
        Failed versions and drafts (marked UTKAST) do not count. New generated versions are
        refused once anyone has signed (``agreements.documents``), so every party signs the same file.
        """
        agreement_pk = getattr(agreement, "pk", agreement)
        if self.query.is_empty() or self.query.where:  # a narrowed queryset: built as it is
            latest = next(iter(_latest_signable(self, agreement_pk)), None)
        else:  # every signing step and page asks this: compiled once (``agreements.compiled``)
            latest = _LATEST_SIGNABLE.first(agreement_pk)
        return latest if latest is not None and latest.is_ready else None


def _latest_signable(versions, agreement_pk):
    return (
        versions.filter(agreement=agreement_pk, kind=DocumentVersion.Kind.GENERATED, is_draft=False)
        .exclude(status=DocumentVersion.Status.FAILED)
        .order_by("-number")[:1]
    )


_LATEST_SIGNABLE = ByKey(
    lambda agreement_pk: _latest_signable(DocumentVersion.objects, agreement_pk)
)


def _document_path(instance, filename):
    return f"documents/{instance.agreement.reference}/{filename}"


class DocumentVersion(models.Model):
    """One file of an agreement: a generated .docx (with a PDF when LibreOffice is installed)
    or an uploaded signed scan. Each is a new numbered version with the SHA-256 of its bytes.

    A generated version starts ``pending``; the worker writes the files and then flips the row to
    ``ready`` (or ``failed``) in one UPDATE. Once ready, the content never changes.
    """

    class Kind(models.TextChoices):
        GENERATED = "generated", _("Generert")
        UPLOADED_SCAN = "uploaded_scan", _("Opplastet signert skanning")

    class Status(models.TextChoices):
        PENDING = "pending", _("Lages")
        READY = "ready", _("Ferdig")
        FAILED = "failed", _("Feilet")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="documents"
    )
    number = models.PositiveIntegerField(_("versjon"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("fil"), upload_to=_document_path, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to=_document_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 for PDF"), max_length=64, blank=True)
    template_version = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("malversjon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("laget av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # True for the version the flow generates after approval: the one the parties sign.
    for_signing = models.BooleanField(_("til signering"), default=False)
    # A draft for reading during review and approval, marked UTKAST on every page; never signed.
    is_draft = models.BooleanField(_("utkast"), default=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    error = models.TextField(_("feil"), blank=True)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="document_version_number"),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(sha256=""),
                name="ready_document_has_hash",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "status"])]
        verbose_name = _("dokumentversjon")
        verbose_name_plural = _("dokumentversjoner")

    def __str__(self):
        return f"{self.agreement.reference} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values(*CONTENT_FIELDS, "status").first()
            if stored and stored["status"] == self.Status.READY:
                current = {name: _raw(getattr(self, name)) for name in CONTENT_FIELDS}
                if any(current[name] != _raw(stored[name]) for name in CONTENT_FIELDS) or (
                    self.status != self.Status.READY
                ):
                    raise ImmutableDocumentError("A ready document version cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.READY:
            raise ImmutableDocumentError("A ready document version cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY


CONTENT_FIELDS = frozenset(
    {"agreement", "number", "kind", "file", "sha256", "pdf_file", "pdf_sha256", "template_version"}
)


def _raw(value):
    """A field's stored form: file names for files, ids for related objects."""
    if hasattr(value, "name") and hasattr(value, "storage"):
        return value.name or ""
    if isinstance(value, models.Model):
        return value.pk
    return value
