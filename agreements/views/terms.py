"""The "Vilkår" page: the drafter enters the structured terms of the agreement's kind."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import checklist, terms
from ..forms.terms import TermsEditor
from ..permissions import access_agreement, may_edit_draft


@login_required
def terms_edit(request, reference):
    agreement = access_agreement(request.user, reference)
    can_edit = may_edit_draft(request.user, agreement)
    posted = request.method == "POST"
    if posted and not can_edit:
        raise PermissionDenied(
            _("Bare avtaleeieren kan endre vilkårene mens avtalen er et utkast.")
        )
    editor = TermsEditor(agreement, request.POST if posted else None)
    if posted and editor.is_valid() and _saved(request, agreement, editor):
        messages.success(request, _("Vilkårene er lagret."))
        return redirect("agreements:terms", reference=agreement.reference)
    if posted:
        messages.error(request, _("Skjemaet har feil. Se merknadene nedenfor."))
    context = {"agreement": agreement, "form": editor.form, "formsets": editor.formsets}
    context.update(can_edit=can_edit, missing=checklist.missing_items(agreement))
    return render(request, "agreements/terms_edit.html", context)


def _saved(request, agreement, editor: TermsEditor) -> bool:
    """Save through the use case; its refusal (e.g. a duplicate appendix) shows on the form."""
    try:
        terms.do_update_terms(request.user, agreement, editor.form.cleaned_data, editor.rows())
    except ValidationError as exc:
        editor.form.add_error(None, exc)
        return False
    return True
