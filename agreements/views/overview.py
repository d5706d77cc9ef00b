"""The start page of those who follow up rather than do tasks (the root URL sends them here)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..followup.overview import overview_data
from ..followup.requirements import period_of


@login_required
def overview(request):
    today = timezone.localdate()
    return render(
        request,
        "agreements/followup/overview.html",
        {**overview_data(request.user, today), "period": period_of(today), "today": today},
    )
