"""Files attached to the SSA-D appendices (bilag) of an operating agreement.

A drafter attaches a file (a price list, a solution description) to one appendix while the
agreement is being drafted; the generated document lists it under that appendix. Files pass the
same checks and limits as a signed scan (``documents.scan_errors``: PDF, at most 10 MB) and keep
their SHA-256.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from . import permissions
from .documents import scan_errors, sha256_of
from .kinds import kind_spec
from .models import Agreement, AppendixFile, AuditEvent, OperatingAppendix, User


def has_appendices(agreement: Agreement) -> bool:
    """Operating agreements (and main ones) have SSA-D appendices; other kinds do not."""
    return OperatingAppendix in kind_spec(agreement.kind).row_models.values()


def files_by_number(agreement: Agreement) -> dict[int, list[AppendixFile]]:
    """The agreement's appendix files per appendix number, every number 1 to 10 present."""
    files = {number: [] for number in OperatingAppendix.Number.values}
    for attached in agreement.appendix_files.all():
        files[attached.number].append(attached)
    return files


def access_appendix_file(user: User, pk: int) -> AppendixFile:
    """The appendix file ``pk`` if its agreement is visible to ``user``; otherwise ``Http404``."""
    try:
        return AppendixFile.objects.select_related("agreement").get(
            pk=pk, agreement__in=permissions.visible_agreements(user)
        )
    except AppendixFile.DoesNotExist:
        raise Http404("No such file") from None


@transaction.atomic
def do_attach_appendix_file(
    actor: User, agreement: Agreement, number: int, data: bytes, content_type: str, filename: str
) -> AppendixFile:
    """Store ``data`` as a file of appendix ``number``. Only a drafter, only while drafting;
    ``ValidationError`` with every problem of the file (nothing stored then)."""
    agreement = Agreement.objects.locked(agreement.pk)
    permissions.check_may_edit_draft(
        actor,
        agreement,
        _("Bilag kan bare endres mens avtalen er under utarbeiding."),
        _("Bare avtaleeieren kan legge ved filer til bilagene."),
    )
    if not has_appendices(agreement) or number not in OperatingAppendix.Number.values:
        raise ValidationError(_("Avtalen har ikke noe slikt bilag."))
    errors = scan_errors(data, content_type, filename, _("Bare PDF-filer kan legges ved et bilag."))
    if errors:
        raise ValidationError({"file": errors})
    attached = AppendixFile(
        agreement=agreement,
        number=number,
        original_name=filename[:200],
        sha256=sha256_of(data),
        uploaded_by=actor,
    )
    # A unique stored name, so a file is never overwritten; the original name is kept apart.
    attached.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
    attached.save()
    AuditEvent.objects.create(
        agreement=agreement,
        actor=actor,
        action=AuditEvent.Action.UPDATED,
        message=_("Bilag %(number)s: %(name)s lagt ved (SHA-256 %(sha)s)")
        % {"number": number, "name": attached.original_name, "sha": attached.sha256},
    )
    return attached
