"""Agreement pages. Views parse input, look up through ``permissions.access_*`` and render."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists
from django.http import HttpResponse
from django.shortcuts import render

from ..audit_export import audit_csv
from ..forms.agreements import AgreementFilter, overdue_deadlines
from ..models import Agreement
from ..paging import bounded_page
from ..panels import detail_panels
from ..permissions import access_agreement, visible_agreements
from ..prepared import prepared_page


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
            "applications": agreement.applications.select_related("supplier"),
            "children": visible_agreements(request.user).filter(parent=agreement),
            "decisions": agreement.decisions.select_related("decided_by"),
            "signatures": agreement.signatures.select_related(
                "party", "signed_by", "document_version"
            ),
            "audit_events": agreement.audit_events.select_related("actor"),
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
