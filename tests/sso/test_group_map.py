"""The claim rules of single sign-on, without a provider: the map and the subject match."""

import pytest
from django.urls import NoReverseMatch, reverse

from agreements.group_map import Grant, parse_group_map
from agreements.models import User
from agreements.sso import SsoRefused, do_sign_in_with_sso

MAP = parse_group_map("grp-a=UNN:contract_owner, grp-a=UNN:approver,grp-it=HNIKT:legal")


def sign_in(claims, subject_claim="oid"):
    return do_sign_in_with_sso(
        claims, subject_claim=subject_claim, groups_claim="groups", group_map=MAP
    )


def test_the_map_reads_several_roles_per_group_and_rejects_typos():
    assert MAP["grp-a"] == [Grant("UNN", "contract_owner"), Grant("UNN", "approver")]
    with pytest.raises(ValueError, match="unknown role"):
        parse_group_map("grp=UNN:contract-owner")
    with pytest.raises(ValueError, match="ORGANISATION:role"):
        parse_group_map("grp-UNN-contract_owner")


def test_users_are_matched_on_the_subject_and_roles_follow_the_groups(orgs):
    user = sign_in({"oid": "0f1e", "preferred_username": "kari@hn.no", "groups": ["grp-a"]})
    assert user.role_names() == {"contract_owner", "approver"}
    again = sign_in({"oid": "0f1e", "preferred_username": "renamed@hn.no", "groups": ["grp-it"]})
    assert again.pk == user.pk
    assert again.organisation.code == "HNIKT"
    assert User.objects.get(pk=user.pk).role_names() == {"legal"}


def test_someone_without_a_mapped_group_or_in_two_organisations_is_refused(orgs):
    with pytest.raises(SsoRefused, match="ingen rolle"):
        sign_in({"oid": "1", "groups": ["grp-other"]})
    with pytest.raises(SsoRefused, match="flere organisasjoner"):
        sign_in({"oid": "2", "groups": ["grp-a", "grp-it"]})
    with pytest.raises(SsoRefused, match="identitet"):
        sign_in({"sub": "3", "groups": ["grp-a"]})
    assert not User.objects.filter(oidc_subject__in=["1", "2", "3"]).exists()


def test_without_oidc_settings_nothing_changes(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' in page
    assert "sso-login" not in page
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
