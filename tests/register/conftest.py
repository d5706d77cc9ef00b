import pytest

from agreements.roles import Role
from tests.factories import make_user


@pytest.fixture
def rhf_user(orgs):
    """A reader at Helse Nord RHF: sees the whole register, changes nothing."""
    return make_user("rita", orgs["HNRHF"], Role.CONTRACT_OWNER)
