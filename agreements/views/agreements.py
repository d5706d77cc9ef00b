"""Agreement pages. Views parse input, look up through ``permissions.access_*`` and render."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists
from django.http import HttpResponse
from django.shortcuts import render

from ..audit_export import audit_csv
from ..compiled import ByKey
from ..forms.agreements import AgreementFilter, overdue_deadlines
from ..models import Agreement, Application, AuditEvent, Signature
from ..paging import bounded_page
from ..panels import detail_panels
from ..permissions import access_agreement, visible_agreements
from ..prepared import prepared_page

# The agreement page's lists by the agreement's id, compiled once per process
# (``agreements.compiled``): compiling its statements took longer than running them.
_APPLICATIONS = ByKey(
    lambda pk: Application.objects.filter(agreements=pk).select_related("supplier")
)
_SIGNATURES = ByKey(
    lambda pk: Signature.objects.filter(agreement=pk).select_related(
        "party", "signed_by", "document_version"
    )
)
_AUDIT_EVENTS = ByKey(lambda pk: AuditEvent.objects.filter(agreement=pk).select_related("actor"))


@login_required
def agreement_list(request):
    base = (
        visible_agreements(request.user)
        .select_related("customer", "provider", "owner")
        .annotate(has_overdue=Exists(overdue_deadlines()))
    )
    agreement_filter = AgreementFilter(request.GET or None, queryset=base)
    agreements = agreement_filter.qs if agreement_filter.is_bound else base
    if agreement_filter.is_bound and not agreement_filter.is_valid():
        agreements = base.none()
    # Newest first, served by the index on created_at (agreements/migrations/0011_list_indexes).
    page = bounded_page(agreements.order_by("-created_at", "-pk"), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agreements/agreement_list.html",
        {"filter": agreement_filter, "page": page, "query": query.urlencode() + "&" * bool(query)},
    )


@login_required
@prepared_page
def agreement_detail(request, reference):
    agreement = access_agreement(request.user, reference)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "applications": _APPLICATIONS.all(agreement.pk),
            "children": visible_agreements(request.user).filter(parent=agreement),
            "signatures": _SIGNATURES.all(agreement.pk),
            "audit_events": _AUDIT_EVENTS.all(agreement.pk),
            "panels": detail_panels(request, agreement),
            "status": Agreement.Status,
        },
    )


@login_required
def agreement_audit_csv(request, reference):
    agreement = access_agreement(request.user, reference)
    response = HttpResponse(audit_csv(agreement), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{agreement.reference}-hendelser.csv"'
    return response
