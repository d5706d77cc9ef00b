"""Use cases on an agreement's document versions: order a generated one, read one back with its
hash checked, and store a signed scan.

The rendering itself happens in a Celery worker (``docs_templates.generation``); this module only
creates the pending row and enqueues the job by name (``agreements.jobs``), so ``agreements``
needs no import of the packages that build on it.
"""

import hashlib
import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import locking, permissions
from .compiled import ByKey
from .jobs import GENERATE_DOCUMENT, enqueue_after_commit
from .models import Agreement, AuditEvent, DocumentVersion, Organisation, Signature, User
from .row_writes import create_row

# The national signing service takes PDFs up to 10 MB; a scan is held to the same limit.
MAX_SCAN_BYTES = 10 * 1024 * 1024

_NO_NEW_VERSIONS = {
    Agreement.Status.CANCELLED,
    Agreement.Status.ENDED,
    Agreement.Status.REPLACED,
}


class TamperedDocument(Exception):  # noqa: N818 - the name says what was found
    """The stored bytes of a document no longer match the SHA-256 recorded when it was made."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _next_number(agreement: Agreement) -> int:
    # Called under the agreement's row lock, so two requests cannot take the same number.
    last = _LAST_VERSION.first(agreement.pk)
    return (last.number if last else 0) + 1


# Every approval orders a document: its look-ups compiled once (``compiled``).
_LAST_VERSION = ByKey(
    lambda agreement_pk: (
        DocumentVersion.objects.filter(agreement=agreement_pk)
        .only("number")
        .order_by("-number")[:1]
    )
)
_A_SIGNATURE = ByKey(lambda agreement_pk: Signature.objects.filter(agreement=agreement_pk)[:1])


@locking.use_case
def do_request_document(
    actor: User | None, agreement: Agreement, *, for_signing: bool = False
) -> DocumentVersion:
    """Create a pending generated version and enqueue its rendering once the transaction commits.

    ``actor`` is None when the workflow orders the document to be signed after approval. Refused
    once a party has signed: a newer version would leave the signatures on an outdated file.
    """
    agreement = locking.locked(agreement)
    if actor is not None and not permissions.may_generate_documents(actor, agreement):
        raise PermissionDenied(_("Bare jurister og administratorer kan generere dokumenter."))
    if agreement.status in _NO_NEW_VERSIONS:
        raise ValidationError(_("Avtalen er avsluttet; det lages ingen nye dokumenter."))
    if _A_SIGNATURE.first(agreement.pk) is not None:
        raise ValidationError(
            _("Avtalen er allerede signert av minst én part, så dokumentet kan ikke lages på nytt.")
        )
    return order_generated_version(
        agreement, actor, _("Versjon %(number)s"), for_signing=for_signing
    )


def order_generated_version(agreement: Agreement, actor, message: str, **fields) -> DocumentVersion:
    """A new pending generated version of the (locked) ``agreement``, its audit event (``message``
    with ``%(number)s``) and its rendering job after commit; ``fields`` set the version's flags."""
    version = create_row(  # DocumentVersion.save adds nothing to a new version
        DocumentVersion,
        agreement=agreement,
        number=_next_number(agreement),
        kind=DocumentVersion.Kind.GENERATED,
        created_by=actor,
        **fields,
    )
    AuditEvent.objects.create(
        agreement=agreement,
        actor=actor,
        action=AuditEvent.Action.DOCUMENT_REQUESTED,
        message=message % {"number": version.number},
    )
    # A pending row whose job is lost (broker down) is sent again by the beat.
    enqueue_after_commit(GENERATE_DOCUMENT, version.pk)
    return version


def pending_document_ids(now, older_than_seconds: int) -> list[int]:
    """Versions still pending ``older_than_seconds`` after they were ordered, oldest first."""
    cutoff = now - timedelta(seconds=older_than_seconds)
    return list(
        DocumentVersion.objects.filter(status=DocumentVersion.Status.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def verified_bytes(version: DocumentVersion, *, pdf: bool = False) -> bytes:
    """Return the stored bytes of the version's file (or its PDF) after checking the SHA-256.

    Raises ``TamperedDocument`` when the bytes differ from the recorded hash or the file is gone,
    and ``ValidationError`` when the version has no such file.
    """
    field, expected = (
        (version.pdf_file, version.pdf_sha256) if pdf else (version.file, version.sha256)
    )
    if not version.is_ready or not field.name or not expected:
        raise ValidationError(_("Dokumentversjonen har ingen slik fil."))
    try:
        with field.storage.open(field.name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise TamperedDocument(field.name) from None
    if sha256_of(data) != expected:
        raise TamperedDocument(field.name)
    return data


def scan_errors(
    data: bytes, content_type: str, filename: str, wrong_type: str | None = None
) -> list[str]:
    """Return Norwegian messages for what is wrong with an uploaded signed scan (empty: fine).

    Only PDF is accepted: the name, the browser's content type, the ``%PDF-`` header and the
    ``%%EOF`` trailer must all agree, within the size limit of the signing service. The same
    checks hold for other uploaded PDFs (appendix files); ``wrong_type`` is then their message
    for a file that is not a PDF.
    """
    errors = []
    if len(data) > MAX_SCAN_BYTES:
        errors.append(
            _("Filen er for stor (%(size)s MB). Grensen er 10 MB.")
            % {"size": round(len(data) / 1024 / 1024, 1)}
        )
    if not filename.lower().endswith(".pdf") or content_type not in (
        "application/pdf",
        "application/x-pdf",
    ):
        errors.append(wrong_type or _("Bare PDF-filer kan lastes opp som signert avtale."))
    if not data.startswith(b"%PDF-"):
        errors.append(_("Filen er ikke en PDF (den begynner ikke med %PDF-)."))
    elif b"%%EOF" not in data[-2048:] or b"obj" not in data:
        errors.append(_("PDF-filen er ufullstendig eller skadet."))
    return errors


@transaction.atomic
def do_upload_signed_scan(
    actor: User,
    agreement: Agreement,
    party: Organisation,
    data: bytes,
    content_type: str,
    filename: str,
) -> DocumentVersion:
    """Store a party's signed scan as a new, ready version; the caller then records the signature.

    Raises ``ValidationError`` with every problem of the file; nothing is stored then.
    """
    agreement = Agreement.objects.locked(agreement.pk)
    if agreement.status != Agreement.Status.AWAITING_SIGNATURE:
        raise ValidationError(_("Avtalen venter ikke på signering."))
    if not permissions.may_sign(actor, agreement, party):
        raise PermissionDenied(_("Du kan ikke signere for denne parten."))
    errors = scan_errors(data, content_type, filename)
    if errors:
        raise ValidationError({"scan": errors})
    number = _next_number(agreement)
    version = DocumentVersion(
        agreement=agreement,
        number=number,
        kind=DocumentVersion.Kind.UPLOADED_SCAN,
        created_by=actor,
        sha256=sha256_of(data),
        status=DocumentVersion.Status.READY,
        finished_at=timezone.now(),
    )
    # A unique name: a stored file is never overwritten, not even by a retried request.
    version.file.save(
        f"v{number}-signert-{party.code}-{uuid.uuid4().hex[:8]}.pdf", ContentFile(data), save=False
    )
    version.save()
    AuditEvent.objects.create(
        agreement=agreement,
        actor=actor,
        action=AuditEvent.Action.DOCUMENT_UPLOADED,
        message=_("Versjon %(number)s for %(party)s") % {"number": number, "party": party.name},
    )
    return version
