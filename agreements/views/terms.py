"""The "Vilkår" page: the drafter enters the structured terms of the agreement's kind."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import checklist, terms
from ..forms.terms import make_row_formsets, make_terms_form
from ..permissions import access_agreement, may_edit_draft


@login_required
def terms_edit(request, reference):
    agreement = access_agreement(request.user, reference)
    can_edit = may_edit_draft(request.user, agreement)
    data = request.POST if request.method == "POST" else None
    if data is not None and not can_edit:
        raise PermissionDenied(
            _("Bare avtaleeieren kan endre vilkårene mens avtalen er et utkast.")
        )
    form = make_terms_form(agreement, data)
    formsets = make_row_formsets(agreement, data)
    if data is not None:
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            try:
                terms.do_update_terms(
                    request.user,
                    agreement,
                    form.cleaned_data,
                    {name: fs.rows() for name, fs in formsets.items()},
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Vilkårene er lagret."))
                return redirect("agreements:terms", reference=agreement.reference)
        messages.error(request, _("Skjemaet har feil. Se merknadene nedenfor."))
    return render(
        request,
        "agreements/terms_edit.html",
        {
            "agreement": agreement,
            "form": form,
            "formsets": formsets,
            "can_edit": can_edit,
            "missing": checklist.missing_items(agreement),
        },
    )
