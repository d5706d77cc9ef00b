from .permissions import may_create_agreement


def agreement_permissions(request):
    """What the navigation may offer the signed-in user."""
    user = getattr(request, "user", None)
    return {
        "can_create_agreement": bool(user and user.is_authenticated and may_create_agreement(user))
    }
