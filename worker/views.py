from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import health_report


@login_not_required
@never_cache
@require_safe
def health(request):
    """200 when the database, the broker and a worker are all alive; 503 otherwise."""
    ok, checks = health_report()
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503
    )
