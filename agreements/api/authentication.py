"""How an API request says who it is: ``Authorization: Bearer <personal token>``."""

from contextlib import nullcontext

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..models import ApiToken
from ..models.tokens import acting_through
from .tokens import token_for


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A personal token from /accounts/tokens/. ``request.auth`` is the ``ApiToken``.

    A request with no ``Authorization`` header falls through to the session; one with a header
    that is not a usable token is refused, never treated as anonymous.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Ugyldig Authorization-header."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Ugyldig API-nøkkel.")) from None
        token = token_for(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("API-nøkkelen er ukjent, utløpt eller trukket tilbake.")
            )
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


def acting_as(request):
    """A context in which audit events name the request's API token (none for a session)."""
    token = request.auth if isinstance(request.auth, ApiToken) else None
    return acting_through(token) if token is not None else nullcontext()


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token created at /accounts/tokens/.",
        }
