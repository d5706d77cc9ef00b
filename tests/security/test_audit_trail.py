"""The audit trail is append-only down to the database, and exports per agreement as CSV."""

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from agreements.models import AuditEvent
from tests.factories import login_as, make_agreement

pytestmark = pytest.mark.django_db


def test_it_refuses_raw_sql_changes_to_audit_events(personas, orgs):
    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    event = AuditEvent.objects.filter(agreement=agreement).first()
    for sql in [
        "UPDATE agreements_auditevent SET message = 'forfalsket' WHERE id = %s",
        "DELETE FROM agreements_auditevent WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.message == agreement.title


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
