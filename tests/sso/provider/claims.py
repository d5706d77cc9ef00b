"""What the test provider says about its users, as Entra ID would: names, email, groups."""

import os
from pathlib import Path

from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims, user):
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["email"] = user.email
    claims["preferred_username"] = user.username
    return claims


class GroupsClaims(ScopeClaims):
    info_groups = ("Grupper", "Gruppene du er medlem av.")

    def scope_groups(self):
        return {"groups": list(self.user.groups.order_by("name").values_list("name", flat=True))}


def record_end_session(request, id_token=None, post_logout_redirect_uri=None, **kwargs):
    """Leaves a line per ended session, so a test can see the app's logout reached us."""
    with Path(os.environ["PROVIDER_DB"] + ".end_sessions").open("a") as log:
        log.write(f"{request.user.username} hint={bool(id_token)}\n")
