"""The application register's pages: list (filtered, paginated, exported), detail, create, edit.
Views parse input, look up through ``register.applications.access_*``, call one use case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms.applications import ApplicationFilter, ApplicationForm, UseFormSet, use_initial
from ..forms.binding import posted
from ..permissions import visible_agreements
from ..register import exporting
from ..register.applications import (
    access_application,
    access_editable_application,
    do_create_application,
    do_update_application,
    may_edit_register,
    visible_applications,
)
from ..register.coverage import in_force_q, with_coverage
from ..register.history import history_lines
from ..register.report import listed
from .coverage_pages import coverage_page

PAGE_SIZE = 50


def filtered_applications(request):
    """(the filter, the user's applications it selects, annotated with coverage)."""
    # The list shows whether an application is covered and whether that lasts, not the gap.
    base = with_coverage(visible_applications(request.user), timezone.localdate(), gap=False)
    app_filter = ApplicationFilter(request.GET or None, queryset=base)
    if not app_filter.is_bound:
        return app_filter, base
    return app_filter, (app_filter.qs if app_filter.is_valid() else base.none())


@login_required
def application_list(request):
    app_filter, applications = filtered_applications(request)
    page = coverage_page(listed(applications), request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": app_filter, "page": page, "query": query.urlencode()}
    context["can_edit"] = may_edit_register(request.user)
    return render(request, "agreements/register/application_list.html", context)


@login_required
def application_export_csv(request):
    _filter, applications = filtered_applications(request)
    response = StreamingHttpResponse(
        exporting.csv_chunks(exporting.export_rows(applications)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="applikasjoner.csv"'
    return response


@login_required
def application_export_xlsx(request):
    _filter, applications = filtered_applications(request)
    response = HttpResponse(
        exporting.xlsx_bytes(exporting.export_rows(applications)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="applikasjoner.xlsx"'
    return response


@login_required
def application_detail(request, pk):
    application = access_application(request.user, pk)
    today = timezone.localdate()
    agreements = (
        visible_agreements(request.user)
        .filter(applications=application)
        .select_related("customer", "provider")
        .order_by("-start_date", "reference")
    )
    current = set(agreements.filter(in_force_q(today)).values_list("pk", flat=True))
    covered = with_coverage(visible_applications(request.user).filter(pk=pk), today).get()
    context = {
        "application": application,
        "coverage": covered,
        "uses": application.uses.select_related("organisation", "system_owner"),
        "agreements": [(a, a.pk in current) for a in agreements],
        "history": history_lines(application),
        "can_edit": may_edit_register(request.user),
    }
    return render(request, "agreements/register/application_detail.html", context)


@login_required
def application_new(request):
    if not may_edit_register(request.user):
        raise Http404("No such page")
    form = ApplicationForm(posted(request))
    uses = UseFormSet(posted(request), prefix="uses")
    if request.method == "POST" and form.is_valid() and uses.is_valid():
        application = do_create_application(request.user, uses.uses(), **form.cleaned_data)
        messages.success(request, _("Applikasjonen er registrert."))
        return redirect("register:detail", pk=application.pk)
    return render(
        request, "agreements/register/application_form.html", {"form": form, "uses": uses}
    )


@login_required
def application_edit(request, pk):
    application = access_editable_application(request.user, pk)
    form = ApplicationForm(posted(request), instance=application)
    uses = UseFormSet(posted(request), prefix="uses", initial=use_initial(application))
    if request.method == "POST" and form.is_valid() and uses.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        do_update_application(request.user, application, uses=uses.uses(), **fields)
        messages.success(request, _("Endringene er lagret."))
        return redirect("register:detail", pk=application.pk)
    context = {"form": form, "uses": uses, "application": application}
    return render(request, "agreements/register/application_form.html", context)
