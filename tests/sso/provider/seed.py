"""Prepares the test provider's database: signing key, the app as a client, users, groups.

Run as ``python -m tests.sso.provider.seed CLIENT_ID SECRET REDIRECT_URI LOGOUT_URI``.
"""

import sys

import django


def main(client_id, secret, redirect_uri, logout_uri):
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    client = Client.objects.create(
        name="Avtaleforvaltning",
        client_type="confidential",
        client_id=client_id,
        client_secret=secret,
        require_consent=False,
        reuse_consent=True,
        _redirect_uris=redirect_uri,
        _post_logout_redirect_uris=logout_uri,
        _scope="openid email profile groups",
    )
    client.response_types.set(ResponseType.objects.filter(value="code"))
    people = {
        "kari": ("Kari", "Nordmann", ["grp-unn-owner", "grp-unn-approver", "grp-all-staff"]),
        "ola": ("Ola", "Utenfor", ["grp-all-staff"]),
    }
    for username, (first, last, groups) in people.items():
        user = User.objects.create_user(
            username,
            f"{username}@helse-nord.example",
            "provider-pass",
            first_name=first,
            last_name=last,
        )
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])


if __name__ == "__main__":
    main(*sys.argv[1:5])
