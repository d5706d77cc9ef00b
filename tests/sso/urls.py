"""The app's URLs as they are with single sign-on configured (project.urls reads it at start)."""

from django.urls import path

from project import oidc
from project import urls as project_urls

urlpatterns = [
    path("accounts/logout/", oidc.logout_view, name="logout"),
    *oidc.urlpatterns,
    *project_urls.urlpatterns,
]
