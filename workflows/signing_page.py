"""The page an external signatory reaches from the emailed link: no login, the token in the URL.

The token opens this page and its document download, nothing else. A link that does not work is a
clear page with 404 (never existed) or 410 (used, expired, replaced); too many of those from one
address within an hour, and the page answers 429 for a while.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from agreements import documents
from agreements.forms.binding import posted
from agreements.signing import links

from .forms import ExternalSignForm
from .signing import do_sign_external

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _no_leaks(response):
    # The token is in the address: never pass it on in a Referer header to another site. Not
    # "no-referrer": with it browsers send "Origin: null" with the form, and Django's CSRF check
    # refuses the signature (403).
    response["Referrer-Policy"] = "same-origin"
    return response


def _open(request, token):
    """The open signing request, or the page to answer with instead."""
    ip = request.META.get("REMOTE_ADDR")
    if links.attempts_exhausted(ip):
        return None, render(request, "workflows/external_link_unusable.html", status=429)
    try:
        return links.open_signing_request(token), None
    except links.LinkUnusable as exc:
        return None, _unusable(request, exc)


def _unusable(request, exc: links.LinkUnusable):
    links.note_failed_attempt(request.META.get("REMOTE_ADDR"))
    page = {"message": str(exc)}
    return render(request, "workflows/external_link_unusable.html", page, status=exc.status)


def _sign(request, token, form):
    """The signed page, or None with the refusal on the form; a link that stopped working in the
    meantime raises ``LinkUnusable``."""
    try:
        signature = do_sign_external(
            token,
            signer_name=form.cleaned_data["signer_name"],
            confirmed=form.cleaned_data["confirm"],
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    return render(request, "workflows/external_signed.html", {"s": signature})


@login_not_required
@never_cache
@csrf_protect
def external_sign(request, token):
    signing_request, refusal = _open(request, token)
    if refusal is not None:
        return _no_leaks(refusal)
    form = ExternalSignForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            signed = _sign(request, token, form)
        except links.LinkUnusable as exc:
            return _no_leaks(_unusable(request, exc))
        if signed is not None:
            return _no_leaks(signed)
    page = {"form": form, "r": signing_request, "agreement": signing_request.agreement}
    return _no_leaks(render(request, "workflows/external_sign.html", page))


@login_not_required
@never_cache
def external_document(request, token):
    signing_request, refusal = _open(request, token)
    if refusal is not None:
        return _no_leaks(refusal)
    version = signing_request.document_version
    try:
        data = documents.verified_bytes(version)
    except documents.TamperedDocument:
        return render(request, "agreements/document_tampered.html", {"version": version}, 409)
    response = HttpResponse(data, content_type=DOCX)
    name = f"{version.agreement.reference}-v{version.number}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-SHA256"] = version.sha256
    return _no_leaks(response)
