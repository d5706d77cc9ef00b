"""Requirement follow-up pages (/requirements/). Thin: parse, access, one use case, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..followup import requirements as uc
from ..followup.overview import latest_year
from ..followup.progress import agreements_not_in_force, figures_for
from ..forms.followup import AsOfForm, DeliveryForm, ReportingTextForm, RequirementStatusForm
from ..models import Period, Requirement


def chosen_period(request) -> tuple[int, int]:
    """The year and tertial asked for in the query string; otherwise the current tertial of the
    newest year with requirements (its last tertial when that year is over)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
        period = int(request.GET.get("period", ""))
    except ValueError:
        year = period = 0
    if 2000 <= year <= 2100 and period in Period.values:
        return year, period
    year = latest_year(today) or today.year
    return year, uc.period_of(today) if year == today.year else 3


@login_required
def requirement_list(request):
    if not uc.may_follow_up(request.user):
        raise Http404("No requirement follow-up for this user")
    year, period = chosen_period(request)
    day = min(uc.period_end(year, period), timezone.localdate())
    requirements = uc.latest_texts(uc.requirements_for(request.user, year), period)
    cards = [(r, figures_for(r, day)) for r in requirements]
    return render(
        request,
        "agreements/followup/requirement_list.html",
        {"cards": cards, "year": year, "period": period, "day": day, "periods": Period.choices},
    )


@login_required
def requirement_detail(request, requirement_pk):
    requirement = uc.access_requirement(request.user, requirement_pk)
    as_of_form = AsOfForm(request.GET or None)
    day = as_of_form.cleaned_data["as_of"] if as_of_form.is_valid() else timezone.localdate()
    not_done = None
    if requirement.measure == Requirement.Measure.AGREEMENTS_IN_FORCE:
        not_done = Paginator(agreements_not_in_force(requirement, day), 25).get_page(
            request.GET.get("page")
        )
    context = {"requirement": requirement, "figures": figures_for(requirement, day), "day": day}
    context.update(as_of_form=as_of_form, not_done=not_done)
    context.update(_reporting_context(request.user, requirement, day))
    return render(request, "agreements/followup/requirement_detail.html", context)


def _reporting_context(user, requirement, day) -> dict:
    """The texts per period with their history, and the forms that write them."""
    return {
        "texts": [(p, label, uc.text_history(requirement, p)) for p, label in Period.choices],
        "text_form": ReportingTextForm(initial={"period": uc.period_of(day)}),
        "status_form": RequirementStatusForm(
            initial={"status": requirement.status, "responsible": requirement.responsible}
        ),
        "delivery_form": DeliveryForm(),
        "deliveries": requirement.deliveries.select_related("sent_by"),
        "can_report": uc.may_report(user, requirement),
        "can_manage": uc.may_manage_requirements(user),
    }


def _refused(request, requirement, form, error=None):
    messages.error(request, error or _("Ikke lagret: %(e)s") % {"e": form.errors.as_text()})
    return redirect("followup:detail", requirement.pk)


@require_POST
@login_required
def write_text(request, requirement_pk):
    requirement = uc.access_requirement(request.user, requirement_pk)
    form = ReportingTextForm(request.POST)
    if not form.is_valid():
        return _refused(request, requirement, form)
    try:
        uc.do_write_reporting_text(request.user, requirement, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, requirement, form, " ".join(exc.messages))
    messages.success(request, _("Rapporteringsteksten er lagret som en ny versjon."))
    return redirect("followup:detail", requirement.pk)


@require_POST
@login_required
def update_status(request, requirement_pk):
    requirement = uc.access_requirement(request.user, requirement_pk)
    form = RequirementStatusForm(request.POST)
    if not form.is_valid():
        return _refused(request, requirement, form)
    uc.do_update_requirement(request.user, requirement, **form.cleaned_data)
    messages.success(request, _("Status og ansvarlig er lagret."))
    return redirect("followup:detail", requirement.pk)


@require_POST
@login_required
def record_delivery(request, requirement_pk):
    requirement = uc.access_requirement(request.user, requirement_pk)
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        return _refused(request, requirement, form)
    uc.do_record_delivery(request.user, requirement, **form.cleaned_data)
    messages.success(request, _("Leveransen er registrert."))
    return redirect("followup:detail", requirement.pk)
