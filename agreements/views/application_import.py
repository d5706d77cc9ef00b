"""Import of the service-management tool's export: upload and preview, then confirm.

The parsed rows wait in the session under a one-time token between the two steps; nothing is
written until the confirm, which plans the rows again against the register as it is then.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms.applications import ImportUploadForm
from ..forms.binding import posted, posted_files
from ..register.applications import may_edit_register
from ..register.importing import do_import_applications, plan_import
from ..register.spreadsheet import UnreadableFile, read_rows

SESSION_KEY = "register_import"


def _check_editor(user):
    if not may_edit_register(user):
        raise Http404("No such page")


@login_required
def application_import(request):
    _check_editor(request.user)
    form = ImportUploadForm(posted(request), posted_files(request))
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_rows(upload.name, upload.read())
        except UnreadableFile as exc:
            form.add_error("file", str(exc))
        else:
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {"token": token, "name": upload.name, "rows": rows}
            plans = plan_import(rows)
            context.update(plans=plans, token=token, name=upload.name, counts=_counts(plans))
    return render(request, "agreements/register/import.html", context)


@login_required
@require_POST
def application_import_confirm(request):
    _check_editor(request.user)
    pending = request.session.get(SESSION_KEY)
    if not pending or not secrets.compare_digest(pending["token"], request.POST.get("token", "")):
        messages.error(request, _("Forhåndsvisningen er utløpt. Last opp filen på nytt."))
        return redirect("register:import")
    del request.session[SESSION_KEY]
    counts = _counts(do_import_applications(request.user, pending["rows"]))
    messages.success(
        request,
        _("Importert: %(create)s nye, %(update)s oppdatert, %(refuse)s avvist.") % counts,
    )
    return redirect("register:list")


def _counts(plans) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "refuse": 0, "skip": 0}
    for plan in plans:
        counts[plan.action] += 1
    return counts
