from .followup.requirements import may_follow_up
from .permissions import may_create_agreement, may_view_templates
from .suppliers.organisations import may_manage_suppliers


def agreement_permissions(request):
    """What the navigation may offer the signed-in user."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "can_create_agreement": signed_in and may_create_agreement(user),
        "can_follow_up": signed_in and may_follow_up(user),
        "can_use_templates": signed_in and may_view_templates(user),
        "can_manage_suppliers": signed_in and may_manage_suppliers(user),
    }
