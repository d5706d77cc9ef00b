"""The page where a user chooses how often reminder emails come (List-Unsubscribe leads here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms.binding import posted
from ..forms.preferences import ReminderPreferencesForm
from ..preferences import do_set_reminder_frequency


@login_required
def reminder_preferences(request):
    user = request.user
    form = ReminderPreferencesForm(
        posted(request), initial={"reminder_frequency": user.reminder_frequency}
    )
    if request.method == "POST" and form.is_valid():
        do_set_reminder_frequency(user, form.cleaned_data["reminder_frequency"])
        messages.success(request, _("Valget ditt er lagret."))
        return redirect("reminder_preferences")
    return render(request, "agreements/reminder_preferences.html", {"form": form})
