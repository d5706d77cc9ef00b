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
from agreements.views.language import set_language
from agreements.views.tokens import api_tokens
from docs_templates.report_views import tertial_report
from worker.views import health
from workflows.api import urls as workflows_api

from .login import LoginView

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/away/", absence, name="absence"),
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
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="api_schema", template_name="api/redoc.html"),
        name="api_redoc",
    ),
    path("health/", health, name="health"),
    # Before agreements: workflows owns ``agreements/new/``, which ``agreements/<reference>/``
    # would otherwise take for a reference.
    path("", include("workflows.urls")),
    path("agreements/", include("agreements.urls")),
    path("templates/", include("docs_templates.urls")),
    path("requirements/report.docx", tertial_report, name="tertial_report"),
    path("requirements/", include("agreements.followup.urls")),
    path("reports/", include("docs_templates.report_urls")),
    path("", include("agreements.register.urls")),
]
