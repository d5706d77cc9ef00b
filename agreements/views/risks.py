"""Risk assessment pages (/requirements/risks/): list with the risk matrix, read, create, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..followup import requirements as uc
from ..followup.risk import matrix_size, risk_matrix
from ..forms.followup import MeasureFormSet, RiskAssessmentForm, measure_rows
from ..models import RiskAssessment


@login_required
def risk_list(request):
    assessments = uc.visible_risk_assessments(request.user)
    page = Paginator(assessments.order_by("-assessed_on", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "agreements/followup/risk_list.html",
        {
            "page": page,
            "matrix": risk_matrix(assessments),
            "size": matrix_size(),
            "can_create": uc.may_edit_risk(request.user),
        },
    )


@login_required
def risk_detail(request, risk_pk):
    assessment = uc.access_risk_assessment(request.user, risk_pk)
    return render(
        request,
        "agreements/followup/risk_detail.html",
        {
            "assessment": assessment,
            "measures": assessment.measures.all(),
            "can_edit": uc.may_edit_risk(request.user, assessment.organisation),
        },
    )


@login_required
def risk_new(request):
    if not uc.may_edit_risk(request.user):
        raise PermissionDenied(_("Du kan ikke registrere risikovurderinger."))
    return _risk_form(request, RiskAssessment())


@login_required
def risk_edit(request, risk_pk):
    assessment = uc.access_risk_assessment(request.user, risk_pk)
    if not uc.may_edit_risk(request.user, assessment.organisation):
        raise PermissionDenied(_("Du kan ikke endre denne risikovurderingen."))
    return _risk_form(request, assessment)


def _risk_form(request, assessment):
    posted = request.POST if request.method == "POST" else None
    organisations = uc.risk_organisations(request.user)
    form = RiskAssessmentForm(posted, instance=assessment, organisations=organisations)
    measures = MeasureFormSet(posted, instance=assessment, prefix="measures")
    if posted is not None and form.is_valid() and measures.is_valid():
        try:
            saved = uc.do_save_risk_assessment(request.user, form.instance, measure_rows(measures))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Risikovurderingen er lagret."))
            return redirect("followup:risk", saved.pk)
    return render(
        request,
        "agreements/followup/risk_form.html",
        {"form": form, "measures": measures, "assessment": assessment},
    )
