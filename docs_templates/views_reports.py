"""Report documents generated from templates: the requirement-93 letter to Helse Nord RHF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import override

from agreements.register.applications import visible_applications

from .letters import render_uncovered_letter

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def uncovered_letter(request):
    today = timezone.localdate()
    with override("nb"):
        data = render_uncovered_letter(visible_applications(request.user), today, request.user)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="brev-applikasjoner-uten-avtale-{today:%Y-%m-%d}.docx"'
    )
    return response
