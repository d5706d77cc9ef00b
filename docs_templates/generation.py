"""Render a pending document version: what the Celery worker runs.

The job may run twice (a retry, a redelivered message after a crash), so it is idempotent:
a version that is no longer pending is left alone, the files are written under fresh names
first, and the row flips from pending to ready in one conditional UPDATE. A crash before the
flip leaves the row pending (the retry renders again) and at most an unreferenced file behind;
never a ready row without its file.
"""

from __future__ import annotations

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from agreements.documents import sha256_of
from agreements.models import Agreement, AuditEvent, DocumentVersion, TemplateVersion
from docs_templates.context_builder import build_context
from docs_templates.draft_marking import mark_draft
from docs_templates.pdf import PdfConversionError, docx_to_pdf, soffice_path
from docs_templates.rendering import TemplateRejected, render_docx
from docs_templates.versions import active_template

logger = logging.getLogger(__name__)

Status = DocumentVersion.Status


def render_agreement(
    agreement: Agreement, *, pdf: bool, template: TemplateVersion | None = None, draft=False
) -> tuple[bytes, bytes | None, TemplateVersion]:
    """Return (docx, pdf or None, template version used) for ``agreement``; writes nothing.
    ``draft``: marked UTKAST on every page (``draft_marking``).

    Raises ``TemplateRejected`` or ``PdfConversionError`` with a message for the user.
    """
    template = template or active_template(agreement.kind)
    with template.file.open("rb") as handle:
        template_bytes = handle.read()
    if sha256_of(template_bytes) != template.sha256:
        raise TemplateRejected(["Malfilen er endret etter at den ble lastet opp, og brukes ikke."])
    docx = render_docx(template_bytes, build_context(agreement))
    if draft:
        docx = mark_draft(docx)
    return docx, (docx_to_pdf(docx) if pdf else None), template


def do_render_document(version_id: int, *, pdf: bool = True) -> DocumentVersion:
    """Render pending version ``version_id`` and mark it ready (or failed, with the reason).

    ``pdf``: also make a PDF when LibreOffice is installed. Returns the version as stored
    afterwards; a version that is not pending is returned untouched.
    """
    version = DocumentVersion.objects.select_related("agreement").get(pk=version_id)
    if version.status != Status.PENDING:
        return version
    agreement = version.agreement
    try:
        docx, pdf_bytes, template = render_agreement(
            agreement, pdf=pdf and soffice_path() is not None, draft=version.is_draft
        )
    except (TemplateRejected, PdfConversionError) as exc:
        _mark_failed(version, "; ".join(getattr(exc, "errors", None) or [str(exc)]))
        return DocumentVersion.objects.get(pk=version_id)

    stem = f"documents/{agreement.reference}/v{version.number}-{uuid.uuid4().hex[:8]}"
    written = [default_storage.save(f"{stem}.docx", ContentFile(docx))]
    changes = {"file": written[0], "sha256": sha256_of(docx)}
    if pdf_bytes is not None:
        written.append(default_storage.save(f"{stem}.pdf", ContentFile(pdf_bytes)))
        changes.update(pdf_file=written[1], pdf_sha256=sha256_of(pdf_bytes))
    with transaction.atomic():
        flipped = DocumentVersion.objects.filter(pk=version_id, status=Status.PENDING).update(
            status=Status.READY,
            template_version=template,
            finished_at=timezone.now(),
            error="",
            **changes,
        )
        if flipped:
            AuditEvent.objects.create(
                agreement=agreement,
                actor=None,
                action=AuditEvent.Action.DOCUMENT_READY,
                message=f"Versjon {version.number} ({template}), SHA-256 {changes['sha256']}",
            )
    if not flipped:
        # Another run finished it first; its files are the ones on record.
        for name in written:
            default_storage.delete(name)
    return DocumentVersion.objects.get(pk=version_id)


def _mark_failed(version: DocumentVersion, reason: str) -> None:
    logger.warning("document %s failed: %s", version.pk, reason)
    with transaction.atomic():
        failed = DocumentVersion.objects.filter(pk=version.pk, status=Status.PENDING).update(
            status=Status.FAILED, error=reason[:2000], finished_at=timezone.now()
        )
        if failed:
            AuditEvent.objects.create(
                agreement=version.agreement,
                actor=None,
                action=AuditEvent.Action.DOCUMENT_FAILED,
                message=f"Versjon {version.number}: {reason}"[:2000],
            )
