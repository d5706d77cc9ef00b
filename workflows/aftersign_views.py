"""The follow-up pages after signing: renew, renegotiate or terminate; the yearly revision;
amend ("Endre avtale"); withdraw a draft. Thin: look up, call one use case, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements import amendments, deadlines, renewal
from agreements.forms.binding import posted
from agreements.models import Agreement
from agreements.permissions import access_agreement, may_follow_up

from . import aftersign
from .aftersign_forms import AmendForm, NoticeDecisionForm, RevisionForm, WithdrawForm
from .views import _add_form_errors


def _run(form, use_case):
    """``use_case(cleaned_data)`` for a valid ``form``; its ``ValidationError`` lands on the
    form. Returns ``(True, result)`` when done, ``(False, None)`` to show the form again."""
    if not form.is_valid():
        return False, None
    try:
        return True, use_case(form.cleaned_data)
    except ValidationError as exc:
        _add_form_errors(form, exc)
        return False, None


def _page(request, agreement, form, **text):
    if request.method == "POST":
        messages.error(request, _("Skjemaet har feil. Se merknadene nedenfor."))
    return render(
        request, "workflows/aftersign_form.html", {"agreement": agreement, "form": form, **text}
    )


def _detail(agreement: Agreement):
    return redirect("agreements:detail", reference=agreement.reference)


def _decide(user, agreement):
    return lambda data: aftersign.do_decide_notice(user, agreement, **data)


@login_required
def follow_up(request, reference):
    agreement = access_agreement(request.user, reference)
    if not renewal.may_decide_notice(request.user, agreement):
        raise PermissionDenied(_("Bare avtaleeieren kan fornye eller si opp avtalen."))
    initial = {"concerns_date": agreement.end_date, "end_date": agreement.end_date}
    form = NoticeDecisionForm(posted(request), initial=initial)
    if request.method == "POST":
        done, amendment = _run(form, _decide(request.user, agreement))
        if done:
            messages.success(request, _("Beslutningen er registrert."))
            return _detail(amendment or agreement)
    return _page(
        request,
        agreement,
        form,
        heading=_("Forny, reforhandle eller si opp"),
        intro=_("Bestem hva som skal skje med avtalen før oppsigelsesfristen."),
        submit_label=_("Registrer beslutningen"),
        due_date=deadlines.agreement_due_dates(agreement)[deadlines.Kind.NOTICE_DATE],
    )


@login_required
def revision(request, reference):
    agreement = access_agreement(request.user, reference)
    if not renewal.may_revise(request.user, agreement):
        raise PermissionDenied(_("Avtalen har ingen årlig revisjon du kan registrere."))
    due = deadlines.next_revision_date(agreement)
    form = RevisionForm(posted(request), initial={"concerns_date": due})
    record = lambda data: renewal.do_record_revision(request.user, agreement, **data)  # noqa: E731
    if request.method == "POST" and _run(form, record)[0]:
        messages.success(request, _("Den årlige revisjonen er registrert."))
        return _detail(agreement)
    return _page(
        request,
        agreement,
        form,
        heading=_("Årlig revisjon"),
        intro=_("Gå gjennom avtalen med den andre parten og skriv hva dere kom fram til."),
        submit_label=_("Registrer revisjonen"),
        due_date=due,
    )


@login_required
def withdraw(request, reference):
    agreement = access_agreement(request.user, reference)
    if not may_follow_up(request.user, agreement):
        raise PermissionDenied(_("Bare avtaleeieren kan trekke avtalen."))
    form = WithdrawForm(posted(request))
    act = lambda data: aftersign.do_withdraw_agreement(request.user, agreement, **data)  # noqa: E731
    if request.method == "POST" and _run(form, act)[0]:
        messages.success(request, _("Avtalen er trukket."))
        return _detail(agreement)
    return _page(
        request,
        agreement,
        form,
        heading=_("Trekk avtalen"),
        intro=_("En avtale som trekkes, går ikke videre, og oppgavene for den avsluttes."),
        submit_label=_("Trekk avtalen"),
    )


@login_required
@require_POST
def amend(request, reference):
    agreement = access_agreement(request.user, reference)
    if not amendments.may_amend(request.user, agreement):
        raise PermissionDenied(_("Du kan ikke endre denne avtalen."))
    form = AmendForm(request.POST)
    act = lambda data: aftersign.do_start_amendment(request.user, agreement, **data)  # noqa: E731
    done, amendment = _run(form, act)
    if not done:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return _detail(agreement)
    messages.success(
        request,
        _("Endringen %(ref)s er startet. Utkastet ligger i innboksen din.")
        % {"ref": amendment.reference},
    )
    return _detail(amendment)
