"""Who a single-sign-on user is here: matched on a stable subject, roles from group claims.

The identity provider (Entra ID or another OpenID Connect provider) says who signed in (the
subject claim: ``sub``, or Entra ID's ``oid``) and which groups they are in. A configured map
turns groups into one organisation and its roles, applied afresh at each login, so a person
moved or removed in the directory has the new rights the next time they sign in. Someone the
map gives no role is refused, never let in with none.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from .group_map import Grant
from .models import Organisation, User


class SsoRefused(Exception):
    """The provider vouched for the person, but this service has no place for them."""


def grants_for(claims: dict, groups_claim: str, group_map: dict[str, list[Grant]]) -> set[Grant]:
    groups = claims.get(groups_claim) or []
    if isinstance(groups, str):
        groups = groups.split()
    return {grant for group in groups for grant in group_map.get(group, [])}


def _membership(grants: set[Grant]) -> tuple[Organisation, set[str]]:
    codes = {grant.organisation for grant in grants}
    if not codes:
        raise SsoRefused(_("Brukeren din har ingen rolle i avtaleforvaltningen."))
    if len(codes) > 1:
        raise SsoRefused(
            _("Brukeren din er knyttet til flere organisasjoner (%(codes)s); det må være én.")
            % {"codes": ", ".join(sorted(codes))}
        )
    organisation = Organisation.objects.filter(code=codes.pop()).first()
    if organisation is None:
        raise SsoRefused(_("Organisasjonen brukeren din er knyttet til, finnes ikke her."))
    return organisation, {grant.role for grant in grants}


def _new_username(claims: dict, subject: str) -> str:
    wanted = (claims.get("preferred_username") or claims.get("email") or subject)[:150]
    if not User.objects.filter(username=wanted).exists():
        return wanted
    return f"sso-{subject}"[:150]


@transaction.atomic
def do_sign_in_with_sso(
    claims: dict, *, subject_claim: str, groups_claim: str, group_map: dict[str, list[Grant]]
) -> User:
    """The user for these verified claims, created or updated; raises ``SsoRefused``."""
    subject = str(claims.get(subject_claim) or "")
    if not subject:
        raise SsoRefused(
            _("Påloggingen manglet brukerens identitet (%(claim)s).") % {"claim": subject_claim}
        )
    organisation, roles = _membership(grants_for(claims, groups_claim, group_map))
    user = User.objects.select_for_update().filter(oidc_subject=subject).first()
    if user is None:
        user = User(oidc_subject=subject, username=_new_username(claims, subject))
        user.set_unusable_password()
    elif not user.is_active:
        raise SsoRefused(_("Brukeren din er deaktivert i avtaleforvaltningen."))
    user.organisation = organisation
    user.email = claims.get("email") or user.email
    user.first_name = (claims.get("given_name") or user.first_name)[:150]
    user.last_name = (claims.get("family_name") or user.last_name)[:150]
    if not (user.first_name or user.last_name) and claims.get("name"):
        user.first_name = claims["name"][:150]
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user
