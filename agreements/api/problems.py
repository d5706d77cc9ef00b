"""Errors as RFC 9457 problem details: ``application/problem+json`` with type, title, status and
detail (and ``errors`` per field for invalid input)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler

PROBLEM_TYPE_BASE = "/api/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"


class Conflict(exceptions.APIException):
    """Someone else got there first, or the object is in a state that forbids the request."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Forespørselen er i konflikt med tilstanden til objektet.")
    default_code = "conflict"


class Gone(exceptions.APIException):
    """A stored file no longer matches its recorded SHA-256: it is never handed out."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Filen stemmer ikke med den registrerte SHA-256-summen.")
    default_code = "tampered"


class InvalidInput(exceptions.APIException):
    """A form or a use case refused the input; ``errors`` maps each field to its messages."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("Inndataene er ugyldige.")
    default_code = "invalid"

    def __init__(self, errors: dict[str, list[str]], detail=None):
        super().__init__(detail)
        self.errors = errors

    @classmethod
    def from_django(cls, error: DjangoValidationError) -> "InvalidInput":
        if hasattr(error, "error_dict"):
            return cls({field: list(msgs) for field, msgs in error.message_dict.items()})
        return cls({"__all__": list(error.messages)})


def _errors_of(exc) -> dict | None:
    if isinstance(exc, InvalidInput):
        return exc.errors
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        return detail if isinstance(detail, dict) else {"__all__": detail}
    return None


def _detail_text(exc) -> str:
    detail = exc.detail
    if isinstance(detail, str):
        return str(detail)
    return str(exc.default_detail)


def problem_response(exc, context):
    """DRF's exception handler, answering in problem details; Django's own ``ValidationError``
    and ``PermissionDenied`` from a use case become 400 and 403."""
    if isinstance(exc, DjangoValidationError):
        exc = InvalidInput.from_django(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Fant ikke objektet."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    code = code if isinstance(code, str) else getattr(exc, "default_code", "error")
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": str(getattr(exc, "default_detail", "")) or response.status_text,
        "status": response.status_code,
        "detail": _detail_text(exc),
    }
    errors = _errors_of(exc)
    if errors is not None:
        body["errors"] = errors
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


class ProblemSerializer(serializers.Serializer):
    """The shape of every error answer (for the schema)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(), required=False)
