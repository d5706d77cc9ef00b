"""The calendar feed itself and the page where a user makes or stops its address."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..calendar_feed import (
    access_calendar_feed,
    active_calendar_feed,
    calendar_for,
    do_create_calendar_feed,
    do_revoke_calendar_feed,
)


@login_not_required
@require_GET
def calendar_feed(request, token):
    # Calendar programs cannot sign in: the secret address is the credential.
    user = access_calendar_feed(token)
    response = HttpResponse(calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="frister.ics"'
    return response


@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    context = {"feed": active_calendar_feed(request.user)}
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            do_revoke_calendar_feed(request.user)
            return redirect("calendar_settings")
        token = do_create_calendar_feed(request.user)
        # Shown this once: only the token's hash is stored, so it cannot be shown again.
        path = reverse("calendar_feed", kwargs={"token": token})
        context = {
            "feed": active_calendar_feed(request.user),
            "new_url": request.build_absolute_uri(path),
        }
        context["message"] = _("Ny adresse laget. Den forrige virker ikke lenger.")
    return render(request, "agreements/calendar_settings.html", context)
