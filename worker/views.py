import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import health_report


@login_not_required
@never_cache
@require_safe
def health(request):
    """200 when the database, the broker and a worker are all alive; 503 otherwise.

    Anyone gets the status; each check (with its error text) only staff and monitoring.
    """
    ok, checks = health_report()
    body = {"status": "ok" if ok else "fail"}
    if may_see_health_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if ok else 503)


def may_see_health_details(request) -> bool:
    """Staff users, and a monitor sending ``Authorization: Bearer <HEALTH_TOKEN>``."""
    if request.user.is_authenticated and request.user.is_staff:
        return True
    expected = settings.HEALTH_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # Constant time, so the answer's timing does not tell how much of a guess was right.
    return (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), expected.encode())
    )
