"""Figures as of a past day stay what they were, whatever happens afterwards."""

from datetime import date

import pytest

from agreements.followup.progress import agreements_not_in_force, figures_for
from agreements.models import Agreement, Application, Delivery, Organisation

from .conftest import application, change, set_status, tagged_agreement

pytestmark = pytest.mark.django_db

IT = Application.Management.IT_PROVIDER
T2_END = date(2022, 8, 31)


def rows(figures):
    return {row.key: (row.done, row.total) for row in figures.rows}


def test_it_counts_agreements_in_force_as_of_a_day_and_ignores_later_changes(
    personas, orgs, requirements
):
    req = requirements[88]
    unn, nlsh, ikt = orgs["UNN"], orgs["NLSH"], orgs["HNIKT"]
    service = tagged_agreement(personas["alice"], unn, ikt, req, "service", "2022-03-01")
    dpa = tagged_agreement(personas["alice"], unn, ikt, req, "data_processor", "2022-03-02")
    other = tagged_agreement(personas["bob"], nlsh, ikt, req, "other", "2022-03-03")
    tagged_agreement(personas["bob"], nlsh, ikt, req, "service", "2022-09-10")  # after T2
    tagged_agreement(personas["bob"], nlsh, ikt, None, "service", "2022-03-04")  # not tagged
    set_status(service, "active", "2022-06-15")
    set_status(dpa, "active", "2022-08-31")
    set_status(dpa, "ended", "2022-09-02")  # after the day: the figure must not move
    set_status(other, "active", "2022-09-20")

    figures = figures_for(req, T2_END)

    assert rows(figures) == {"service": (1, 1), "data_processor": (1, 1), "other": (0, 1)}
    assert figures.total.share == 66.7
    assert [a.reference for a in agreements_not_in_force(req, T2_END)] == [other.reference]
    later = figures_for(req, date(2022, 12, 31))
    assert rows(later) == {"service": (1, 2), "data_processor": (0, 1), "other": (1, 1)}
    assert Agreement.objects.get(pk=dpa.pk).status == "ended"


def test_it_counts_management_with_helse_nord_ikt_per_trust_as_of_a_day(orgs, requirements):
    unn, nlsh = orgs["UNN"], orgs["NLSH"]
    journal = application("Journal", [unn, nlsh], "2022-02-01", technical_management=IT)
    lab = application("Lab", [unn], "2022-02-01")
    change(journal, "2022-07-01", mercantile_management=IT)
    change(lab, "2022-09-05", technical_management=IT, mercantile_management=IT)
    application("Nytt", [unn], "2022-10-01", technical_management=IT, mercantile_management=IT)

    figures = figures_for(requirements[89], T2_END)

    assert rows(figures)["UNN"] == (1, 2)
    assert rows(figures)["NLSH"] == (1, 1)
    assert rows(figures_for(requirements[89], date(2022, 12, 31)))["UNN"] == (3, 3)
    assert rows(figures_for(requirements[89], date(2022, 6, 30)))["UNN"] == (0, 2)


def test_it_counts_categorised_applications_with_asset_id_per_trust(orgs, requirements):
    unn = orgs["UNN"]
    app = application("PACS", [unn], "2022-01-10", category="needed")
    application("Lab", [unn], "2022-01-10", category="needed", asset_id="APP-000002")
    change(app, "2022-09-01", asset_id="APP-000001")

    assert rows(figures_for(requirements[92], T2_END))["UNN"] == (1, 2)
    assert rows(figures_for(requirements[92], date(2022, 9, 1)))["UNN"] == (2, 2)


def test_it_counts_applications_without_a_supplier_agreement_and_the_delivery(
    personas, orgs, requirements
):
    supplier = Organisation.objects.create(code="dips", name="DIPS AS", kind="supplier")
    unn = orgs["UNN"]
    covered = application("Journal", [unn], "2022-01-10", supplier=supplier)
    application("Uten avtale", [unn], "2022-01-10", supplier=supplier)
    with_supplier = tagged_agreement(personas["alice"], unn, supplier, None, "other", "2022-02-01")
    with_supplier.applications.set([covered])
    set_status(with_supplier, "active", "2022-05-01")
    set_status(with_supplier, "ended", "2022-10-01")
    Delivery.objects.create(
        requirement=requirements[93], sent_on=date(2022, 8, 29), sent_by=personas["iris"]
    )

    figures = figures_for(requirements[93], T2_END)

    assert rows(figures)["UNN"] == (1, 2)
    assert "29.08.2022" in figures.notes[-1] and "innen fristen" in figures.notes[-1]
    assert rows(figures_for(requirements[93], date(2022, 12, 31)))["UNN"] == (2, 2)
    assert "ikke registrert sendt" in figures_for(requirements[93], date(2022, 4, 30)).notes[-1]


def test_signed_and_terminated_count_as_in_force_and_replaced_or_withdrawn_not_at_all(
    personas, orgs, requirements
):
    req = requirements[88]
    unn, ikt = orgs["UNN"], orgs["HNIKT"]
    signed = tagged_agreement(personas["alice"], unn, ikt, req, "service", "2022-03-01")
    terminated = tagged_agreement(personas["alice"], unn, ikt, req, "data_processor", "2022-03-01")
    replaced = tagged_agreement(personas["alice"], unn, ikt, req, "service", "2022-03-01")
    withdrawn = tagged_agreement(personas["alice"], unn, ikt, req, "other", "2022-03-01")
    set_status(signed, "signed", "2022-06-01")
    set_status(terminated, "active", "2022-06-01")
    set_status(terminated, "terminated", "2022-07-01")
    set_status(replaced, "active", "2022-06-01")
    set_status(replaced, "replaced", "2022-07-01")
    set_status(withdrawn, "cancelled", "2022-04-01")

    figures = figures_for(req, T2_END)

    assert rows(figures) == {"service": (1, 1), "data_processor": (1, 1), "other": (0, 0)}
    assert list(agreements_not_in_force(req, T2_END)) == []
