"""Inbox, queue, archive, task pages and the new-agreement form. Thin: look up, call one use
case, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements import draft_documents
from agreements.forms.agreements import AgreementCreateForm
from agreements.forms.binding import posted
from agreements.models import Agreement
from agreements.paging import bounded_page
from agreements.permissions import may_create_agreement, parent_choices
from agreements.prepared import prepared_page

from . import actions, inbox
from .aftersign_panel import inbox_follow_ups
from .nodes import AgreementTask


def _task_list(request, tab: str, listing):
    overdue = tab != "archive" and request.GET.get("overdue") == "1"
    tasks = listing(request.user, overdue=overdue) if tab != "archive" else listing(request.user)
    page = bounded_page(tasks, request.GET.get("page"))
    return render(
        request,
        "workflows/task_list.html",
        {
            "tasks": inbox.with_deadlines(page.object_list),
            "page": page,
            "tab": tab,
            "overdue_only": overdue,
            "query": "overdue=1&" if overdue else "",
            "follow_ups": inbox_follow_ups(request.user, overdue) if tab == "inbox" else [],
        },
    )


@login_required
def inbox_page(request):
    return _task_list(request, "inbox", inbox.inbox)


@login_required
def queue(request):
    return _task_list(request, "queue", inbox.queue)


@login_required
def archive(request):
    return _task_list(request, "archive", inbox.archive)


def _add_form_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _task_form(request, task):
    posted = request.method == "POST"
    return task.flow_task.step.make_form(
        inbox.agreement_of(task),
        request.POST if posted else None,
        request.FILES if posted else None,
    )


def _complete_task(request, task, form):
    """Complete ``task`` with the posted ``form``; a redirect, or None to show the form again."""
    if form.is_valid():
        try:
            actions.do_complete_task(request.user, task, form.cleaned_data)
        except actions.TaskUnavailable as exc:
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
                % {"task": task.flow_task, "ref": inbox.agreement_of(task).reference},
            )
            return redirect("workflows:inbox")
    messages.error(request, _("Skjemaet har feil. Se merknadene nedenfor."))
    return None


def _task_page(user, task, form, can_do: bool) -> dict:
    agreement = inbox.agreement_of(task)
    step = task.flow_task.step if isinstance(task.flow_task, AgreementTask) else None
    return {
        "task": task,
        "deadline": inbox.with_deadlines([task])[0].deadline,
        "agreement": agreement,
        "step": step,
        "step_context": step.context(agreement) if step else {},
        "form": form,
        "can_do": can_do,
        "can_claim": actions.may_claim_task(user, task),
        "can_release": actions.may_release_task(user, task),
        "round_decisions": agreement.decisions.filter(
            review_round=agreement.review_round
        ).select_related("decided_by"),
    }


@login_required
@prepared_page
def task_detail(request, task_pk):
    task = inbox.access_task(request.user, task_pk)
    can_do = actions.may_do_task(request.user, task)
    form = _task_form(request, task) if can_do else None
    if request.method == "POST":
        if not can_do:
            messages.error(request, actions.explain_unavailable(request.user, task))
            return redirect("workflows:task", task_pk=task.pk)
        response = _complete_task(request, task, form)
        if response is not None:
            return response
    return render(
        request, "workflows/task_detail.html", _task_page(request.user, task, form, can_do)
    )


@login_required
@require_POST
def claim_task(request, task_pk):
    task = inbox.access_task(request.user, task_pk)
    try:
        actions.do_claim_task(request.user, task)
    except actions.TaskUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("workflows:queue")
    messages.success(request, _("Oppgaven er nå din."))
    return redirect("workflows:task", task_pk=task.pk)


@login_required
@require_POST
def release_task(request, task_pk):
    task = inbox.access_task(request.user, task_pk)
    try:
        actions.do_release_task(request.user, task)
    except actions.TaskUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("workflows:task", task_pk=task.pk)
    messages.success(request, _("Oppgaven er lagt tilbake i køen."))
    return redirect("workflows:inbox")


@login_required
@require_POST
def order_draft(request, task_pk):
    """Order a draft document (UTKAST) of the task's agreement, then show the task again."""
    task = inbox.access_task(request.user, task_pk)
    try:
        draft_documents.do_request_draft(request.user, inbox.agreement_of(task))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Utkastet lages nå. Last siden på nytt om litt."))
    return redirect("workflows:task", task_pk=task.pk)


@login_required
def new_agreement(request):
    if not may_create_agreement(request.user):
        raise PermissionDenied(_("Du har ikke rolle som avtaleeier."))
    form = AgreementCreateForm(
        posted(request),
        parent_choices=parent_choices(request.user, request.user.organisation_id),
        initial={"customer": request.user.organisation},
        user=request.user,
    )
    if request.method == "POST":
        agreement = _open_agreement(form, request.user)
        if agreement is not None:
            messages.success(
                request,
                _("Avtalen %(ref)s er opprettet. Utkastet ligger i innboksen din.")
                % {"ref": agreement.reference},
            )
            return redirect("agreements:detail", reference=agreement.reference)
        messages.error(request, _("Skjemaet har feil. Se merknadene nedenfor."))
    return render(request, "workflows/new_agreement.html", {"form": form, "kinds": Agreement.Kind})


def _open_agreement(form, user):
    """The agreement opened from the valid ``form``, or None with the errors on the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return actions.do_open_agreement(
            user,
            kind=data["kind"],
            customer=data["customer"],
            provider=data["provider"],
            manager=data["manager"],
            **form.agreement_changes(),
        )
    except ValidationError as exc:
        _add_form_errors(form, exc)
        return None
