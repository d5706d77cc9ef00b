"""The requirement-93 report page: applications without a current supplier agreement."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..register import exporting, report
from ..register.applications import visible_applications
from ..register.coverage import ending_soon, uncovered
from .coverage_pages import coverage_page

PAGE_SIZE = 50


@login_required
def uncovered_report(request):
    today = timezone.localdate()
    mine = visible_applications(request.user)

    # The summary counts both lists (their pages need no COUNT of their own), after refreshing
    # the stored coverage states the lists then read.
    summary = report.summarise(mine, today)
    missing = report.listed(uncovered(mine, today, refresh=False))
    soon = report.with_last_end(report.listed(ending_soon(mine, today, refresh=False)), today)

    context = {
        "summary": summary,
        "page": coverage_page(missing, request.GET.get("page"), PAGE_SIZE, summary.total),
        "soon": coverage_page(soon, request.GET.get("soon_page"), PAGE_SIZE, summary.ending_soon),
    }
    return render(request, "agreements/register/uncovered.html", context)


@login_required
def uncovered_xlsx(request):
    today = timezone.localdate()
    rows = report.report_rows(visible_applications(request.user), today)
    response = HttpResponse(
        exporting.xlsx_bytes(rows, title="Uten leverandøravtale"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="applikasjoner-uten-avtale-{today:%Y-%m-%d}.xlsx"'
    )
    return response
