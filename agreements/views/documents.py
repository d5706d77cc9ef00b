"""Document pages: order a generated version, download a version with its hash checked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import documents
from ..models import DocumentVersion
from ..permissions import access_agreement, access_document, may_generate_documents

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def document_panel_context(request, agreement):
    versions = list(
        agreement.documents.select_related("created_by", "template_version").prefetch_related(
            "signatures__party"
        )
    )
    return {
        "versions": versions,
        "pending": any(v.status == DocumentVersion.Status.PENDING for v in versions),
        "can_generate": may_generate_documents(request.user, agreement),
    }


@login_required
@require_POST
def generate_document(request, reference):
    agreement = access_agreement(request.user, reference)
    try:
        version = documents.do_request_document(request.user, agreement)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Versjon %(number)s lages nå. Siden viser den når den er ferdig.")
            % {"number": version.number},
        )
    return redirect("agreements:detail", reference=agreement.reference)


def _download(request, pk, *, pdf: bool):
    version = access_document(request.user, pk)
    try:
        data = documents.verified_bytes(version, pdf=pdf)
    except documents.TamperedDocument:
        # The stored file differs from what was made or signed: never hand it out.
        return render(
            request, "agreements/document_tampered.html", {"version": version}, status=409
        )
    except ValidationError:
        return render(
            request,
            "agreements/document_tampered.html",
            {"version": version, "absent": True},
            status=404,
        )
    field = version.pdf_file if pdf else version.file
    extension = field.name.rsplit(".", 1)[-1].lower()
    response = HttpResponse(
        data, content_type=CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    filename = f"{version.agreement.reference}-v{version.number}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-SHA256"] = version.pdf_sha256 if pdf else version.sha256
    return response


@login_required
def document_file(request, document_pk):
    return _download(request, document_pk, pdf=False)


@login_required
def document_pdf(request, document_pk):
    return _download(request, document_pk, pdf=True)
