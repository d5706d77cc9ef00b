"""The page where a user says they are away and who stands in for them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..absence import do_set_absence
from ..forms.absence import AbsenceForm
from ..forms.binding import posted


@login_required
def absence(request):
    user = request.user
    form = AbsenceForm(
        posted(request),
        user=user,
        initial={"substitute": user.substitute, "away_until": user.away_until},
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_set_absence(
                user,
                form.cleaned_data["substitute"],
                form.cleaned_data["away_until"],
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(request, _("Fraværet er lagret."))
            return redirect("absence")
    return render(request, "agreements/absence.html", {"form": form})
