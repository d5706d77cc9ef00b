"""The map from the identity provider's groups to an organisation and roles here.

Kept apart from ``agreements.sso`` (which needs the models) so that settings can parse and check
it while Django starts.
"""

from dataclasses import dataclass

from .roles import Role


@dataclass(frozen=True)
class Grant:
    organisation: str
    role: str


def parse_group_map(text: str) -> dict[str, list[Grant]]:
    """``"grp-unn-owner=UNN:contract_owner,grp-it-legal=HNIKT:legal"`` as group → grants.

    A group may appear more than once to give several roles. A typo must stop the service at
    start-up rather than quietly lock people out, so an unknown role is an error here.
    """
    mapping: dict[str, list[Grant]] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        group, sep, grant = item.partition("=")
        organisation, sep2, role = grant.partition(":")
        if not (sep and sep2 and group.strip() and organisation.strip()):
            raise ValueError(f"OIDC_GROUP_MAP: {item!r} is not group=ORGANISATION:role")
        if role.strip() not in Role.values:
            raise ValueError(f"OIDC_GROUP_MAP: unknown role {role.strip()!r} in {item!r}")
        mapping.setdefault(group.strip(), []).append(Grant(organisation.strip(), role.strip()))
    return mapping
