"""A deactivated user gets no reminders, so their open tasks show to their organisation's
administrators on the admin start page, each linking to the task."""

import pytest

from agreements.models import Deadline
from agreements.roles import Role
from tests.factories import make_agreement, make_user, open_task

pytestmark = pytest.mark.django_db


def _admin(username, organisation):
    user = make_user(username, organisation, Role.ADMINISTRATOR)
    user.is_staff = True
    user.save()
    return user


def _admin_index(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_administrators_of_the_organisation_see_a_deactivated_users_open_tasks(
    personas, orgs, client
):
    alice, bob = personas["alice"], personas["bob"]
    left = make_agreement(alice, orgs["UNN"], orgs["HNIKT"], title="Driftsavtale PACS")
    stays = make_agreement(bob, orgs["NLSH"], orgs["HNIKT"], title="Driftsavtale Nordland")
    draft = open_task(left, "draft")
    assert Deadline.objects.get(task_id=draft.pk).assignee == alice
    unn_admin, nlsh_admin = _admin("una", orgs["UNN"]), _admin("nora", orgs["NLSH"])

    assert "Driftsavtale PACS" not in _admin_index(client, unn_admin)
    alice.is_active = False
    alice.save()

    page = _admin_index(client, unn_admin)
    assert "Åpne oppgaver hos deaktiverte brukere" in page
    assert "Driftsavtale PACS" in page and f'href="/tasks/{draft.pk}/"' in page
    assert stays.title not in page  # bob is still active
    assert "Driftsavtale PACS" not in _admin_index(client, nlsh_admin)
    assert "Driftsavtale PACS" in _admin_index(client, personas["ada"])  # superuser: all

    bob.is_active = False
    bob.save()
    page = _admin_index(client, nlsh_admin)
    assert stays.title in page and "Driftsavtale PACS" not in page
