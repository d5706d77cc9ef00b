"""A small, real OpenID Connect provider (django-oidc-provider) that the SSO tests start.

It plays the hospital's identity provider: its own process, port, SQLite database, users and
groups. Cookie names differ from the app's, since browsers do not keep cookies apart by port.
"""

import os
from pathlib import Path

DEBUG = True
SECRET_KEY = "test-provider-only"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.sso.provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PROVIDER_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
SESSION_COOKIE_NAME = "provider_session"
CSRF_COOKIE_NAME = "provider_csrf"
SITE_URL = os.environ["PROVIDER_URL"]
OIDC_USERINFO = "tests.sso.provider.claims.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.sso.provider.claims.GroupsClaims"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True
OIDC_AFTER_END_SESSION_HOOK = "tests.sso.provider.claims.record_end_session"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
