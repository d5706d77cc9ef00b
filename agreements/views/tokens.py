"""The page where a user makes and revokes personal API tokens. A new token's text is shown in
the answer to the POST that made it, and never again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..api.tokens import do_create_api_token, do_revoke_api_token, user_tokens
from ..forms.tokens import NewTokenForm, RevokeTokenForm


@login_required
def api_tokens(request):
    form, new_token = NewTokenForm(), None
    if request.method == "POST" and "revoke" in request.POST:
        revoke = RevokeTokenForm(request.POST)
        if revoke.is_valid():
            token = do_revoke_api_token(request.user, revoke.cleaned_data["revoke"])
            messages.success(
                request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token}
            )
        else:
            messages.error(request, _("Velg nøkkelen som skal trekkes tilbake."))
        return redirect("api_tokens")
    if request.method == "POST":
        form = NewTokenForm(request.POST)
        if form.is_valid():
            _token, new_token = do_create_api_token(
                request.user, form.cleaned_data["name"], form.cleaned_data["days"]
            )
            form = NewTokenForm()
    context = {"form": form, "new_token": new_token, "tokens": user_tokens(request.user)}
    return render(request, "agreements/api_tokens.html", context)
