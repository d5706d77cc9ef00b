"""The root URL: those who follow up start on the overview, everyone else on their inbox."""

from django.contrib.auth.decorators import login_required

from agreements.followup.requirements import may_start_on_overview
from agreements.views.overview import overview

from . import views


@login_required
def start(request):
    if may_start_on_overview(request.user):
        return overview(request)
    return views.inbox_page(request)
