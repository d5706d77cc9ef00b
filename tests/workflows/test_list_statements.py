"""A task list costs the same statements whatever its number of rows: every column a row shows
is loaded with the page's one query (``inbox.LISTED_COLUMNS``), so no row reads a field of its
own afterwards."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import advance, make_agreement

pytestmark = pytest.mark.django_db

# (persona, page): the owner's drafts, the approver's queue, the lawyer's finished reviews.
PAGES = [
    ("alice", "/inbox/"),
    ("ulla", "/queue/"),
    ("lars", "/archive/"),
    ("alice", "/api/v1/tasks/inbox/"),
    ("ulla", "/api/v1/tasks/queue/"),
]


def reviewed_and_drafted(orgs, personas, count):
    """``count`` agreements past legal review and ``count`` fresh drafts; their references."""
    references = []
    for i in range(count):
        reviewed = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title=f"R{i}")
        advance(reviewed, personas, "reviewed")
        draft = make_agreement(personas["alice"], orgs["UNN"], orgs["HNIKT"], title=f"D{i}")
        references += [reviewed.reference, draft.reference]
    return references


def statements_and_bodies(client, personas):
    result = {}
    for persona, url in PAGES:
        client.force_login(personas[persona])
        client.get(url)  # the first request of a login loads what the session caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        result[(persona, url)] = (len(queries), response.content.decode())
    return result


def test_a_task_lists_statements_do_not_grow_with_its_rows(client, orgs, personas):
    first = reviewed_and_drafted(orgs, personas, 1)
    few = statements_and_bodies(client, personas)
    more = first + reviewed_and_drafted(orgs, personas, 3)
    many = statements_and_bodies(client, personas)

    for page, (statements, body) in many.items():
        assert statements == few[page][0], page
        # Every agreement shows on the pages where its task is: the drafts in the owner's inbox,
        # the reviewed ones in the approver's queue and the lawyer's archive.
        shown = [reference for reference in more if reference in body]
        assert len(shown) == 4, (page, shown)
