"""The login page and how failed logins are throttled (django-axes)."""

from urllib.parse import unquote, urlsplit

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Sum


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a user name longer than any user's before it is tried:
    Django only sets the field's ``max_length`` (no validator), and django-axes would store the
    failed name in a 255-character column (a longer one was a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginView(auth_views.LoginView):
    """Django's login page; a signed-in user is sent on, never back to this page."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso=settings.OIDC_ENABLED, password_login=settings.PASSWORD_LOGIN, **kwargs
        )

    def get_redirect_url(self):
        url = super().get_redirect_url()
        # ?next= naming this page would send a signed-in user round in a loop (Django raises on
        # it); the start page is where they were going anyway.
        if url and unquote(urlsplit(url).path) == self.request.path:
            return ""
        return url


class NameAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a second limit: failures from one address over all names.

    Axes counts failures per user name at an address (``AXES_LOCKOUT_PARAMETERS``) against
    ``AXES_FAILURE_LIMIT``. That alone lets one password be tried against any number of names,
    so an address is also locked out once ``AXES_IP_FAILURE_LIMIT`` failures from it, whatever
    the names, fall inside the cool-off period. A successful login clears only its own name's
    failures, so an attacker's own account cannot wipe the address count.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        from_address = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (from_address or 0) >= settings.AXES_IP_FAILURE_LIMIT:
            # Axes compares this one count with the per-name limit.
            return max(failures, get_failure_limit(request, credentials))
        return failures
