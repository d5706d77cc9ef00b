"""The app connects as a role that may read and append to the audit trail, and nothing more.

`make test` runs the whole suite as such a role (see README, "Operating it"); these tests fail
when the suite connects as a superuser or as the owner of the audit table.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from agreements.models import AuditEvent
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db

REFUSED_TO_THE_APP = [
    "UPDATE agreements_auditevent SET message = 'forfalsket'",
    "DELETE FROM agreements_auditevent",
    "TRUNCATE agreements_auditevent",
    "TRUNCATE agreements_agreement CASCADE",
    "ALTER TABLE agreements_auditevent DISABLE TRIGGER agreements_auditevent_append_only",
    "ALTER TABLE agreements_auditevent DISABLE TRIGGER agreements_auditevent_no_truncate",
    "ALTER TABLE agreements_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER agreements_auditevent_append_only ON agreements_auditevent",
    "ALTER TABLE agreements_auditevent OWNER TO CURRENT_USER",
    "SET session_replication_role = replica",  # which would silence every trigger
    # The overview's counts are written by the agreements table's triggers only.
    "UPDATE agreements_agreementcount SET total = total + 1",
    "DELETE FROM agreements_agreementcount",
    "ALTER TABLE agreements_agreement DISABLE TRIGGER agreements_agreementcount_update",
]


@pytest.fixture
def app_role():
    """The role this suite connects as, checked to be neither a superuser nor the table's owner."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, r.rolsuper, pg_has_role(current_user, c.relowner, 'MEMBER')"
            " FROM pg_roles r, pg_class c"
            " WHERE r.rolname = current_user AND c.oid = 'agreements_auditevent'::regclass"
        )
        role, superuser, owner = cursor.fetchone()
    if superuser or owner:
        pytest.fail(
            f"the suite connects as {role}, {'a superuser' if superuser else 'the table owner'}:"
            " run it as the app role, as `make test` does (README, Operating it)"
        )
    return role


@pytest.mark.parametrize("sql", REFUSED_TO_THE_APP)
def test_the_app_role_can_neither_rewrite_nor_unguard_the_trail(app_role, personas, orgs, sql):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    events = list(AuditEvent.objects.values_list("pk", "message"))
    with (
        pytest.raises(DatabaseError, match="permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert list(AuditEvent.objects.values_list("pk", "message")) == events
    assert AuditEvent.objects.filter(agreement=agreement).exists()


def test_the_app_role_reads_and_appends_to_the_trail(app_role, personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    assert AuditEvent.objects.filter(agreement=agreement, actor=personas["alice"]).exists()
