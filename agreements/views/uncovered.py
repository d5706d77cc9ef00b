"""The requirement-93 report page: applications without a current supplier agreement."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..register import exporting, report
from ..register.applications import visible_applications
from ..register.coverage import ending_soon, uncovered

PAGE_SIZE = 50


def _page(qs, count: int, number):
    """A page of ``qs``, whose length the summary has already counted: a second COUNT would
    be another pass over the register."""
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = count
    return paginator.get_page(number)


@login_required
def uncovered_report(request):
    today = timezone.localdate()
    mine = visible_applications(request.user)
    missing = report.listed(uncovered(mine, today), today)
    soon = report.with_last_end(report.listed(ending_soon(mine, today), today), today)
    summary = report.summarise(mine, today)
    context = {
        "summary": summary,
        "page": _page(missing, summary.total, request.GET.get("page")),
        "soon": _page(soon, summary.ending_soon, request.GET.get("soon_page")),
        "gap_labels": report.Gap.LABELS,
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
