"""The audit trail is append-only down to the database, and exports per agreement as CSV."""

import csv
import io

import psycopg
import pytest
from django.urls import reverse

from agreements.models import AuditEvent
from tests import database_roles
from tests.factories import login_as, make_agreement

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_its_guard_refuses_changes_even_to_the_tables_owner(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    event = AuditEvent.objects.filter(agreement=agreement).first()
    count = AuditEvent.objects.count()
    with database_roles.owner_cursor() as cursor:
        cursor.execute("SELECT has_table_privilege('agreements_auditevent', 'TRUNCATE')")
        assert cursor.fetchone() == (True,), "the owner could truncate, but for the guard"
    for sql, params in [
        ("UPDATE agreements_auditevent SET message = 'forfalsket' WHERE id = %s", [event.pk]),
        ("DELETE FROM agreements_auditevent WHERE id = %s", [event.pk]),
        ("TRUNCATE agreements_auditevent", []),
        ("TRUNCATE agreements_agreement CASCADE", []),
    ]:
        with (
            pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
            database_roles.owner_cursor() as cursor,
        ):
            cursor.execute(sql, params)
    event.refresh_from_db()
    assert event.message == agreement.title
    assert AuditEvent.objects.count() == count


def test_it_exports_the_trail_as_csv_for_parties_only(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title="=HYPERLINK(1)")
    response = login_as(personas["alice"]).get(
        reverse("agreements:audit_csv", args=[agreement.reference])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["tidspunkt", "hendelse", "utført av", "fra status", "til status", "melding"]
    assert rows[1][1:5] == ["Opprettet", "alice", "", "draft"]
    assert rows[1][5] == "'=HYPERLINK(1)", "formulas must not run in a spreadsheet"
    other = login_as(personas["bob"]).get(
        reverse("agreements:audit_csv", args=[agreement.reference])
    )
    assert other.status_code == 404
