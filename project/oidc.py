"""Single sign-on with OpenID Connect (mozilla-django-oidc), wired in when ``OIDC_*`` is set.

The rules for who may in and with which organisation and roles are ``agreements.sso``; this
module only connects them to the library: the backend, the provider logout address and the
refusal page.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import path, reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from agreements.sso import SsoRefused, do_sign_in_with_sso

REFUSAL_KEY = "sso_refusal"


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """Matches users on the subject claim and maps their groups at every login."""

    def get_or_create_user(self, access_token, id_token, payload):
        # Entra ID puts ``oid`` and ``groups`` in the ID token; the userinfo endpoint, where
        # there is one, adds names and email.
        claims = dict(payload)
        if settings.OIDC_OP_USER_ENDPOINT:
            claims = {**self.get_userinfo(access_token, id_token, payload), **claims}
        try:
            user = do_sign_in_with_sso(
                claims,
                subject_claim=settings.OIDC_SUBJECT_CLAIM,
                groups_claim=settings.OIDC_GROUPS_CLAIM,
                group_map=settings.OIDC_GROUP_MAP,
            )
        except SsoRefused as refusal:
            self.request.session[REFUSAL_KEY] = str(refusal)
            return None
        self.request.session.pop(REFUSAL_KEY, None)
        return user


class NoPasswordModelBackend(ModelBackend):
    """Django's permissions without its password check, for ``PASSWORD_LOGIN=false``."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None


def provider_logout_url(request) -> str:
    """The provider's end-session address, so signing out here signs out there too."""
    query = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": settings.SITE_URL + reverse("login"),
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        query["id_token_hint"] = id_token
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(query)}"


@login_not_required
def sso_refused(request):
    reason = request.session.get(REFUSAL_KEY, "")
    return render(request, "registration/sso_refused.html", {"reason": reason}, status=403)


urlpatterns = [
    path(
        "oidc/authenticate/",
        login_not_required(OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        login_not_required(OIDCAuthenticationCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    path("accounts/sso/refused/", sso_refused, name="sso_refused"),
]
logout_view = OIDCLogoutView.as_view()
