"""Routing never creates a task nobody can take: each step checks the roles of what follows."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.models import Agreement, AuditEvent, SupplierContact
from tests.factories import APPROVE, do_task, login_as, open_task
from workflows.signing import stranded_tasks

from .conftest import supplier_dpa

pytestmark = pytest.mark.django_db


def test_it_refuses_review_where_nobody_holds_the_role(personas, orgs, supplier, journal):
    # Managed by UNN itself: its reviews would go to UNN, where nobody is a jurist or PVO.
    agreement = supplier_dpa(personas, supplier, journal, manager=orgs["UNN"])
    client = login_as(personas["alice"])
    task = open_task(agreement, "draft")

    response = client.post(
        reverse("workflows:task", args=[task.pk]),
        {"title": agreement.title, "notice_months": 3, "target_date": "2030-06-03"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ingen i Universitetssykehuset Nord-Norge HF har rollen Personvernombud." in page
    assert "Ingen i Universitetssykehuset Nord-Norge HF har rollen Jurist." in page
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.review_round == 0
    assert not AuditEvent.objects.filter(agreement=agreement, action="submitted").exists()
    assert open_task(agreement, "draft").pk == task.pk
    assert open_task(agreement, "legal_review") is None


def test_it_refuses_review_when_the_supplier_has_no_signatory(personas, supplier, journal):
    SupplierContact.objects.filter(organisation=supplier).update(may_sign=False)
    agreement = supplier_dpa(personas, supplier, journal)

    with pytest.raises(ValidationError) as refused:
        do_task(personas["alice"], agreement, "draft", {"title": "x", "notice_months": 3})

    assert "Ingen kontaktperson hos Acme Journal AS har signaturrett." in refused.value.messages
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_it_refuses_approval_when_the_signatory_left(personas, supplier, journal):
    agreement = supplier_dpa(personas, supplier, journal)
    do_task(personas["alice"], agreement, "draft", {"title": "x", "notice_months": 3})
    for node, persona in [("legal_review", "lars"), ("privacy_review", "pia")]:
        do_task(personas[persona], agreement, node, APPROVE)
    do_task(personas["sam"], agreement, "security_review", APPROVE)
    SupplierContact.objects.filter(organisation=supplier).delete()

    with pytest.raises(ValidationError) as refused:
        do_task(personas["ulla"], agreement, "approve", APPROVE)

    assert refused.value.messages == ["Ingen kontaktperson hos Acme Journal AS har signaturrett."]
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AWAITING_APPROVAL
    assert not agreement.decisions.filter(area="approval").exists()


def test_it_lists_a_task_whose_role_holder_left(
    personas, orgs, supplier, journal, client, settings
):
    agreement = supplier_dpa(personas, supplier, journal)
    do_task(personas["alice"], agreement, "draft", {"title": "x", "notice_months": 3})
    assert list(stranded_tasks()) == []
    personas["pia"].is_active = False
    personas["pia"].save()

    assert [t.pk for t in stranded_tasks()] == [open_task(agreement, "privacy_review").pk]
    settings.HEALTH_TOKEN = "overvaking"
    health = client.get(reverse("health"), HTTP_AUTHORIZATION="Bearer overvaking").json()
    assert health["checks"]["stranded_tasks"]["tasks_without_candidate"] == 1
    admin_page = login_as(personas["ada"]).get(reverse("admin:index")).content.decode()
    assert "Oppgaver ingen kan ta" in admin_page
    assert agreement.reference in admin_page


def test_a_role_counts_only_with_an_active_holder_who_did_not_draft(personas, orgs):
    from django.contrib.auth.models import Group

    from agreements.roles import Role
    from agreements.routing import APPROVAL, route_problems
    from tests.factories import make_agreement, make_user

    agreement = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"])
    assert route_problems(agreement, APPROVAL) == []
    missing = f"Ingen i {orgs['UNN'].name} har rollen {Role.APPROVER.label}."

    personas["ulla"].is_active = False
    personas["ulla"].save()
    personas["alice"].groups.add(Group.objects.get(name=Role.APPROVER))  # she drafted it
    assert route_problems(agreement, APPROVAL) == [missing]

    make_user("una", orgs["UNN"], Role.APPROVER)
    assert route_problems(agreement, APPROVAL) == []
