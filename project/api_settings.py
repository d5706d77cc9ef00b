"""Settings of the REST API: Django REST framework and drf-spectacular (schema, Swagger UI, ReDoc).

Kept apart from settings.py so that one stays readable; settings.py passes in what comes from
the environment.
"""


def rest_framework_settings(rate_limit: str) -> dict:
    """A personal token or the browser's session, problem details (RFC 9457) for errors, and a
    request budget per token (per user for a session) of ``rate_limit`` (e.g. "600/min")."""
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            # First: its "Bearer" challenge makes an unauthenticated request a 401, not a 403.
            "agreements.api.authentication.BearerTokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        # Forms too: a browser's form post to the API must meet the CSRF check (403), not a 415.
        "DEFAULT_PARSER_CLASSES": [
            "rest_framework.parsers.JSONParser",
            "rest_framework.parsers.FormParser",
            "rest_framework.parsers.MultiPartParser",
        ],
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "EXCEPTION_HANDLER": "agreements.api.problems.problem_response",
        "DEFAULT_THROTTLE_CLASSES": ["agreements.api.throttling.PerTokenThrottle"],
        "DEFAULT_THROTTLE_RATES": {"api": rate_limit},
        "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "Avtaleforvaltning API",
    "DESCRIPTION": (
        "Agreements, workflow tasks, the application register and OD requirements of Helse Nord "
        "IKT's agreement engine. Authenticate with `Authorization: Bearer <token>` (a personal "
        "token from /accounts/tokens/) or the browser session. Errors are RFC 9457 problem details."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI and ReDoc from this installation's static files (no CDN) and their start-up
    # script as a file, so the strict content security policy needs no inline script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AgreementKindEnum": "agreements.models.Agreement.Kind",
        "AgreementStatusEnum": "agreements.models.Agreement.Status",
        "DocumentKindEnum": "agreements.models.DocumentVersion.Kind",
        "DocumentStatusEnum": "agreements.models.DocumentVersion.Status",
        "RequirementStatusEnum": "agreements.models.Requirement.Status",
        "ManagementEnum": "agreements.models.Application.Management",
    },
}
