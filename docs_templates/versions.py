"""Template versions: the shipped .docx files are version 1 of each kind; legal staff and
administrators upload newer ones, which become active only after ``validate_template`` passes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agreements.models import Agreement, TemplateVersion, User
from agreements.permissions import may_manage_templates
from docs_templates.kinds import document_kind
from docs_templates.package import MAX_TEMPLATE_BYTES
from docs_templates.validation import validate_template

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def shipped_template_bytes(kind: str) -> bytes:
    return (TEMPLATES_DIR / document_kind(kind).template_file).read_bytes()


def active_template(kind: str) -> TemplateVersion:
    """The active template version of ``kind``; seeds version 1 from the shipped file if none.

    Seeding here rather than in a migration keeps it working after a test flush, and the unique
    constraints make two workers seeding at once harmless (the loser reads the winner's row).
    """
    version = TemplateVersion.objects.filter(kind=kind, is_active=True).first()
    if version is not None:
        return version
    data = shipped_template_bytes(kind)
    file_name = document_kind(kind).template_file
    try:
        with transaction.atomic():
            version = TemplateVersion(
                kind=kind,
                number=1,
                original_name=file_name,
                sha256=hashlib.sha256(data).hexdigest(),
                is_active=True,
            )
            version.file.save(file_name, ContentFile(data), save=False)
            version.save()
            return version
    except IntegrityError:
        return TemplateVersion.objects.get(kind=kind, is_active=True)


def ensure_shipped_templates() -> list[TemplateVersion]:
    return [active_template(kind) for kind in Agreement.Kind.values]


@transaction.atomic
def do_upload_template(actor: User, kind: str, data: bytes, filename: str) -> TemplateVersion:
    """Validate an uploaded .docx and, if it is usable, store it as the new active version.

    Raises ``ValidationError`` with ``validate_template``'s Norwegian messages; a rejected file
    is neither stored nor used.
    """
    if not may_manage_templates(actor):
        raise PermissionDenied(_("Bare jurister og administratorer kan laste opp maler."))
    if kind not in Agreement.Kind.values:
        raise ValidationError({"kind": _("Ukjent avtaletype.")})
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ValidationError(
            {
                "file": _("Filen er for stor. Grensen er %(mb)s MB.")
                % {"mb": MAX_TEMPLATE_BYTES // 2**20}
            }
        )
    errors = validate_template(data, kind, filename=filename)
    if errors:
        raise ValidationError({"file": errors})
    active_template(kind)
    # Lock the kind's versions so two uploads cannot take the same number.
    current = list(TemplateVersion.objects.select_for_update().filter(kind=kind))
    number = max((v.number for v in current), default=0) + 1
    TemplateVersion.objects.filter(kind=kind, is_active=True).update(is_active=False)
    version = TemplateVersion(
        kind=kind,
        number=number,
        original_name=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        is_active=True,
    )
    version.file.save(filename.rsplit("/", 1)[-1], ContentFile(data), save=False)
    version.save()
    return version
