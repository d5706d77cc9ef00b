"""Settings for the agreement workflow engine.

Every deployment-specific value comes from the environment through django-environ. The defaults
are the *embedded* set-up: a SQLite file and a filesystem Celery broker under ``var/``, emails
written to files under ``var/mail/``. Nothing here needs an external service.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .api_settings import SPECTACULAR_SETTINGS, rest_framework_settings  # noqa: F401

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)

DEBUG = env("DEBUG")
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or DEBUG=true for local use)."
        )
    # Only for local development: a fixed key so sessions survive restarts.
    SECRET_KEY = "insecure-local-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    # Not "rest_framework": its translations would replace Django's own form messages on the
    # pages, and nothing of it needs the app registry (no browsable API, no authtoken).
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "viewflow",
    "viewflow.workflow",
    "agreements",
    "workflows",
    "docs_templates",
    "worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "agreements.views.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "agreements.context_processors.agreement_permissions",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# A web worker keeps its connection for a minute: a new PostgreSQL connection per request cost
# about 7 ms here (p95 10 ms), a seventh of the page budget (docs/performance.md). Each is
# health-checked before it is reused, so a restarted server costs one reconnect, not an error.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Parameters bound on the server; the workflow's steps prepare their statements after 5 runs
# (workflows.task_lock; docs/performance.md). False behind a pooler in transaction mode.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
# The role the app runs as when another role owns the schema and migrates (README: Operating it).
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="")
# SQLITE_CONCURRENCY=off leaves SQLite's own defaults (tests/reminders/test_embedded_live.py
# shows what then goes wrong); never set it otherwise.
_sqlite_concurrency = env.bool("SQLITE_CONCURRENCY", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and _sqlite_concurrency:
    # Web, worker and beat share the file. WAL lets readers go on while one writes; a writer
    # waits up to 20 s for another (busy timeout) instead of failing "database is locked"; and
    # IMMEDIATE transactions take the write lock at BEGIN, so a transaction that read first
    # never fails to upgrade its lock halfway (the error that sent digests three times).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "agreements.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "agreements.permissions.OrganisationRoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflows:home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with OpenID Connect (project/oidc.py, rules in agreements/sso.py): on when a
# client id is set. PASSWORD_LOGIN=false then leaves single sign-on as the only way in.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
PASSWORD_LOGIN = env.bool("PASSWORD_LOGIN", default=True) or not OIDC_ENABLED
if OIDC_ENABLED:
    from agreements.group_map import parse_group_map

    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
    OIDC_SUBJECT_CLAIM = env.str("OIDC_SUBJECT_CLAIM", default="sub")
    OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
    OIDC_GROUP_MAP = parse_group_map(env.str("OIDC_GROUP_MAP", default=""))
    OIDC_USE_PKCE = True
    OIDC_STORE_ID_TOKEN = True
    OIDC_OP_LOGOUT_URL_METHOD = "project.oidc.provider_logout_url"
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/sso/refused/"
    LOGOUT_REDIRECT_URL = "login"
    AUTHENTICATION_BACKENDS.insert(1, "project.oidc.OrganisationOIDCBackend")
if not PASSWORD_LOGIN:
    # Django's backend still answers permission questions (the admin) but takes no password.
    AUTHENTICATION_BACKENDS[
        AUTHENTICATION_BACKENDS.index("django.contrib.auth.backends.ModelBackend")
    ] = "project.oidc.NoPasswordModelBackend"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "project" / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: EMAIL_URL=smtp://user:pass@host:587 in production; files under var/mail/ by default.
EMAIL_FILE_PATH = VAR_DIR / "mail"
_email = env.email_url("EMAIL_URL", default="filemail://")
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
else:
    vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="avtaler@helsenord-ikt.example")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: a broker that needs no server by default (kombu's filesystem transport).
_broker_dir = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _sub in ("in", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
# Every task gets SoftTimeLimitExceeded after the soft limit and its worker process is killed
# after the hard one (the message is then redelivered: acks_late). The longest task renders a
# document (TEMPLATE_RENDER_SECONDS) and converts it to PDF (up to 120 s in docs_templates.pdf).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_TASK_SOFT_TIME_LIMIT must be positive and below CELERY_TASK_TIME_LIMIT."
    )
# Keep our structured log format in the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
# How often beat runs each periodic job, in seconds (tests shorten them); the schedule itself is
# built in project/celery.py.
WORKFLOW_TIMERS_EVERY = env.float("WORKFLOW_TIMERS_EVERY", default=60.0)
REMINDER_SWEEP_EVERY = env.float("REMINDER_SWEEP_EVERY", default=300.0)
REQUEUE_EVERY = env.float("REQUEUE_EVERY", default=120.0)
# Start and end agreements whose start or end date has come (hourly: a date changes once a day).
AGREEMENT_DATES_EVERY = env.float("AGREEMENT_DATES_EVERY", default=3600.0)
# A document still pending after this many seconds is sent to the workers again (its first job
# may have been lost while the broker was down); rendering is idempotent.
DOCUMENT_REQUEUE_AFTER_SECONDS = env.int("DOCUMENT_REQUEUE_AFTER_SECONDS", default=120)
# Filling in one template (an upload's trial rendering in the web request, or a document in the
# worker) runs in a child process with this much CPU time and this much memory beyond the
# parent's; a template that needs more is refused (docs_templates.confinement).
TEMPLATE_RENDER_SECONDS = env.int("TEMPLATE_RENDER_SECONDS", default=10)
TEMPLATE_RENDER_MEMORY_MB = env.int("TEMPLATE_RENDER_MEMORY_MB", default=512)

# Working-day policy (see DOMAIN.md): 24 and 31 December are non-working unless configured.
WORKDAYS_CHRISTMAS_EVE_OFF = env.bool("WORKDAYS_CHRISTMAS_EVE_OFF", default=True)
WORKDAYS_NEW_YEARS_EVE_OFF = env.bool("WORKDAYS_NEW_YEARS_EVE_OFF", default=True)

# Reminders go out at this hour (Oslo time) on their day; a send task that holds no lock on its
# rows for this many minutes is re-enqueued by worker.requeue_stale_reminders.
REMINDER_HOUR = env.int("REMINDER_HOUR", default=8)
REMINDER_STALE_MINUTES = env.int("REMINDER_STALE_MINUTES", default=10)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# A digest the mail server refuses for a while (4xx, no connection) is tried this many times in
# all, with backoff, then marked dead for the administrators.
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=8)
# The sweep hands the workers this many recipients per send task, sent on one SMTP connection.
REMINDER_SEND_BATCH = env.int("REMINDER_SEND_BATCH", default=50)
# Celery's Django fix-up closes the database connection around every task unless this is set: a
# worker keeps its connection for this many tasks (a broken one is dropped before the next task,
# project/celery.py).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=500)
# Tests give their live worker a queue of its own so no other worker on the same Redis takes it.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")

# The prefix of human agreement references, e.g. HNIKT-2026-0007.
AGREEMENT_REFERENCE_PREFIX = env.str("AGREEMENT_REFERENCE_PREFIX", default="HNIKT")

# A monitor sending "Authorization: Bearer <HEALTH_TOKEN>" gets each check of /health/ (staff
# users too); everyone else gets the overall status only. Empty: no token is accepted.
HEALTH_TOKEN = env.str("HEALTH_TOKEN", default="")

# Repeated failed logins are throttled (django-axes): per user name at an address, and per
# address over all names, so one password cannot be tried against every user name.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "project.login.NameAndAddressHandler"
# Behind reverse proxies every request comes from a proxy's address; the client's is the one the
# nearest proxy adds to X-Forwarded-For. A client can write anything into that header, so it is
# read only when TRUSTED_PROXY_COUNT says how many proxies stand in front of the app, and counted
# from the right (django-ipware, non-strict): the nearest proxy is REMOTE_ADDR, each further one
# is one entry, and what the client wrote further left is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT > 0:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    IPWARE_STRICT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content security policy: only this site's own scripts, styles and images; never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if OIDC_ENABLED:
    # Signing out posts a form here that redirects to the provider's end-session page, and
    # browsers hold that redirect to form-action too.
    _provider = urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_provider.scheme}://{_provider.netloc}"
    )

# The cache holds the API's request budgets and the signing page's failed-attempt counts, which
# every web process must share: Redis when REDIS_URL is set (production, tests), otherwise files
# under var/ (the embedded default, whose processes share one machine). CACHE_KEY_PREFIX keeps
# installations (or tests) that share one Redis database apart.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if REDIS_URL
        else "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": REDIS_URL or str(VAR_DIR / "cache"),
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="avtaler"),
    }
}

# The REST API (/api/v1/), its schema and documentation pages: project/api_settings.py.
REST_FRAMEWORK = rest_framework_settings(env.str("API_RATE_LIMIT", default="600/min"))

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "project.logging.ContextFilter"}},
    "formatters": {
        "json": {"()": "project.logging.JsonFormatter"},
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(agreement)s %(task_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="json"),
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# External signatories (suppliers without logins) sign through an emailed single-use link.
EXTERNAL_SIGNING_DAYS = env.int("EXTERNAL_SIGNING_DAYS", default=14)
# Unusable signing links tried from one address within an hour before the page refuses (429).
EXTERNAL_SIGNING_MAX_FAILURES = env.int("EXTERNAL_SIGNING_MAX_FAILURES", default=20)
SIGNING_PROVIDER = env.str(
    "SIGNING_PROVIDER", default="agreements.signing.emailed_link.EmailedLinkProvider"
)
