"""Inbox, queue, archive and task pages. Thin: look up, call one use case, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.status import STATUS

from agreements import lifecycle
from agreements.forms.agreements import AgreementCreateForm
from agreements.models import Agreement
from agreements.permissions import may_create_agreement, parent_choices

from . import tasks
from .nodes import AgreementTask


def _overdue_only(request) -> bool:
    return request.GET.get("overdue") == "1"


def _task_list(request, tab: str, listing):
    overdue = _overdue_only(request)
    return render(
        request,
        "workflows/task_list.html",
        {
            "tasks": tasks.with_deadlines(listing(request.user, overdue=overdue)),
            "tab": tab,
            "overdue_only": overdue,
        },
    )


@login_required
def inbox(request):
    return _task_list(request, "inbox", tasks.inbox)


@login_required
def queue(request):
    return _task_list(request, "queue", tasks.queue)


@login_required
def archive(request):
    return render(
        request,
        "workflows/task_list.html",
        {"tasks": tasks.archive(request.user)[:200], "tab": "archive"},
    )


def _add_form_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def task_detail(request, task_pk):
    task = tasks.access_task(request.user, task_pk)
    agreement = tasks.agreement_of(task)
    flow_task = task.flow_task
    step = flow_task.step if isinstance(flow_task, AgreementTask) else None
    can_do = (
        step is not None
        and task.status == STATUS.ASSIGNED
        and flow_task.can_execute(request.user, task)
    )
    posted = request.method == "POST"
    form = (
        step.make_form(
            agreement, request.POST if posted else None, request.FILES if posted else None
        )
        if can_do
        else None
    )
    if request.method == "POST":
        if not can_do:
            messages.error(request, tasks._explain_unavailable(request.user, task))
            return redirect("workflows:task", task_pk=task.pk)
        if form.is_valid():
            try:
                tasks.do_complete_task(request.user, task, form.cleaned_data)
            except tasks.TaskUnavailable as exc:
                messages.error(request, str(exc))
                return redirect("workflows:task", task_pk=task.pk)
            except PermissionDenied as exc:
                messages.error(request, str(exc) or _("Du har ikke tilgang til dette."))
                return redirect("workflows:task", task_pk=task.pk)
            except ValidationError as exc:
                _add_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("«%(task)s» for %(ref)s er fullført.")
                    % {"task": flow_task, "ref": agreement.reference},
                )
                return redirect("workflows:inbox")
        messages.error(request, _("Skjemaet har feil. Se merknadene nedenfor."))
    return render(
        request,
        "workflows/task_detail.html",
        {
            "task": task,
            "deadline": tasks.with_deadlines([task])[0].deadline,
            "agreement": agreement,
            "step": step,
            "step_context": step.context(agreement) if step else {},
            "form": form,
            "can_do": can_do,
            "can_claim": task.status == STATUS.NEW and flow_task.can_assign(request.user, task),
            "can_release": task.status == STATUS.ASSIGNED
            and flow_task.can_unassign(request.user, task),
            "round_decisions": agreement.decisions.filter(
                review_round=agreement.review_round
            ).select_related("decided_by"),
        },
    )


@login_required
@require_POST
def claim_task(request, task_pk):
    task = tasks.access_task(request.user, task_pk)
    try:
        tasks.do_claim_task(request.user, task)
    except tasks.TaskUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("workflows:queue")
    messages.success(request, _("Oppgaven er nå din."))
    return redirect("workflows:task", task_pk=task.pk)


@login_required
@require_POST
def release_task(request, task_pk):
    task = tasks.access_task(request.user, task_pk)
    try:
        tasks.do_release_task(request.user, task)
    except tasks.TaskUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("workflows:task", task_pk=task.pk)
    messages.success(request, _("Oppgaven er lagt tilbake i køen."))
    return redirect("workflows:inbox")


@login_required
def new_agreement(request):
    if not may_create_agreement(request.user):
        raise PermissionDenied(_("Du har ikke rolle som avtaleeier."))
    form = AgreementCreateForm(
        request.POST or None,
        parent_choices=parent_choices(request.user, request.user.organisation_id),
        initial={"customer": request.user.organisation},
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.agreement_changes()
            applications = data.pop("applications")
            try:
                with transaction.atomic():
                    agreement = lifecycle.do_create_agreement(
                        request.user,
                        kind=form.cleaned_data["kind"],
                        customer=form.cleaned_data["customer"],
                        provider=form.cleaned_data["provider"],
                        applications=applications,
                        **data,
                    )
                    tasks.do_start_agreement_flow(agreement)
            except ValidationError as exc:
                _add_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Avtalen %(ref)s er opprettet. Utkastet ligger i innboksen din.")
                    % {"ref": agreement.reference},
                )
                return redirect("agreements:detail", reference=agreement.reference)
        messages.error(request, _("Skjemaet har feil. Se merknadene nedenfor."))
    return render(request, "workflows/new_agreement.html", {"form": form, "kinds": Agreement.Kind})
