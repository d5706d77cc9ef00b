"""The appendix (bilag) page of an operating agreement: each SSA-D appendix with its text and
attached files, an upload per appendix for the drafter, and the files' download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import appendix_files
from ..forms.appendices import AppendixFileForm
from ..forms.binding import posted, posted_files
from ..models import OperatingAppendix
from ..permissions import access_agreement, may_edit_draft


@login_required
def appendices(request, reference):
    agreement = access_agreement(request.user, reference)
    if not appendix_files.has_appendices(agreement):
        raise Http404("No appendices")
    form = AppendixFileForm(posted(request), posted_files(request))
    if request.method == "POST" and _attached(request, agreement, form):
        return redirect("agreements:appendices", reference=agreement.reference)
    texts = {row.number: row.content for row in agreement.appendices.all()}
    files = appendix_files.files_by_number(agreement)
    rows = [
        {"number": n, "title": label, "content": texts.get(n, ""), "files": files[n]}
        for n, label in OperatingAppendix.Number.choices
    ]
    context = {"agreement": agreement, "rows": rows, "form": form}
    context["can_edit"] = may_edit_draft(request.user, agreement)
    return render(request, "agreements/appendices.html", context)


def _attached(request, agreement, form) -> bool:
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            appendix_files.do_attach_appendix_file(
                request.user,
                agreement,
                form.cleaned_data["number"],
                upload.read(),
                upload.content_type or "",
                upload.name,
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return False
        messages.success(request, _("Filen er lagt ved bilaget."))
        return True
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return False


@login_required
def appendix_file(request, file_pk):
    attached = appendix_files.access_appendix_file(request.user, file_pk)
    return FileResponse(
        attached.file.open("rb"),
        as_attachment=True,
        filename=attached.original_name,
        content_type="application/pdf",
    )
