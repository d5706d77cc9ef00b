"""Download of the tertial report from the requirement follow-up page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from agreements.followup.requirements import may_follow_up
from agreements.views.requirements import chosen_period

from .tertial_report import render_tertial_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def tertial_report(request):
    if not may_follow_up(request.user):
        raise Http404("No requirement follow-up for this user")
    year, period = chosen_period(request)
    docx, _pdf = render_tertial_report(year, period)
    response = HttpResponse(docx, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="tertialrapport-{year}-T{period}.docx"'
    return response
