from .followup.requirements import may_follow_up
from .permissions import may_create_agreement


def agreement_permissions(request):
    """What the navigation may offer the signed-in user."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "can_create_agreement": signed_in and may_create_agreement(user),
        "can_follow_up": signed_in and may_follow_up(user),
    }
