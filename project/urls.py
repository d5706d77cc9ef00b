from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from agreements.api import urls as agreements_api
from agreements.views.absence import absence
from agreements.views.calendar import calendar_feed, calendar_settings
from agreements.views.language import set_language
from agreements.views.preferences import reminder_preferences
from agreements.views.tokens import api_tokens
from docs_templates.report_views import tertial_report
from worker.views import health
from workflows.api import urls as workflows_api

from .login import LoginView


def logout_view():
    if settings.OIDC_ENABLED:
        from . import oidc

        return oidc.logout_view
    return auth_views.LogoutView.as_view()


def redoc_view():
    """ReDoc under the policy, with two exceptions on this page only: it builds its styles in the
    browser (styled-components; a bundled style sheet is inserted as the script loads, before
    ReDoc's ``nonce`` option can reach it), so styles may be inline here, and its search index
    runs in a worker made from a ``blob:`` URL. Scripts stay this site's files only."""
    view = SpectacularRedocView.as_view(url_name="api_schema", template_name="api/redoc.html")
    return csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(view)


def sso_urlpatterns():
    """Single sign-on's pages, only when it is configured (tests build them on demand)."""
    if not settings.OIDC_ENABLED:
        return []
    from . import oidc

    return oidc.urlpatterns


urlpatterns = [
    path("accounts/logout/", logout_view(), name="logout"),
    *sso_urlpatterns(),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/away/", absence, name="absence"),
    path("accounts/reminders/", reminder_preferences, name="reminder_preferences"),
    path("accounts/calendar/", calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("accounts/tokens/", api_tokens, name="api_tokens"),
    path("admin/", admin.site.urls),
    # The REST API: its own authentication (token or session) answers 401, not the login page.
    path(
        "api/v1/",
        include((workflows_api.urlpatterns + agreements_api.urlpatterns, "api"), namespace="api"),
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="api/swagger_ui.html"
        ),
        name="api_docs",
    ),
    path("api/redoc/", redoc_view(), name="api_redoc"),
    path("health/", health, name="health"),
    # Before agreements: workflows owns ``agreements/new/``, which ``agreements/<reference>/``
    # would otherwise take for a reference.
    path("", include("workflows.urls")),
    path("agreements/", include("agreements.urls")),
    path("templates/", include("docs_templates.urls")),
    path("suppliers/", include("agreements.suppliers.urls")),
    path("requirements/report.docx", tertial_report, name="tertial_report"),
    path("requirements/", include("agreements.followup.urls")),
    path("reports/", include("docs_templates.report_urls")),
    path("", include("agreements.register.urls")),
]
