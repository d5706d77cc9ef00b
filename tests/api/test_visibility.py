"""Every API endpoint, asked by personas of two trusts: another organisation's object is 404
(never 403), lists never carry it, and its owner's side does see it."""

import pytest

from agreements.documents import do_request_document
from agreements.register.applications import Use, do_create_application
from tests.factories import make_agreement, open_task, run_document_jobs

pytestmark = pytest.mark.django_db

# Each trust's personas, and the other trust's.
SIDES = {"UNN": ("alice", "ulla"), "NLSH": ("bob", "nils")}
OTHER = {"UNN": "NLSH", "NLSH": "UNN"}


@pytest.fixture
def objects(personas, orgs):
    """Per trust: an agreement with Helse Nord IKT, its draft task, a document and an
    application only that trust uses."""
    made = {}
    for code, owner in (("UNN", "alice"), ("NLSH", "bob")):
        agreement = make_agreement(personas[owner], orgs[code], orgs["HNIKT"])
        document = do_request_document(personas["lars"], agreement)
        application = do_create_application(
            personas["iris"], [Use(organisation=orgs[code])], name=f"Bare hos {code}"
        )
        made[code] = {
            "reference": agreement.reference,
            "task": open_task(agreement, "draft").pk,
            "document": document.pk,
            "application": application.pk,
        }
    run_document_jobs(pdf=False)
    return made


def object_urls(o):
    return {
        "get": [
            f"/api/v1/agreements/{o['reference']}/",
            f"/api/v1/tasks/{o['task']}/",
            f"/api/v1/documents/{o['document']}/",
            f"/api/v1/documents/{o['document']}/file/",
            f"/api/v1/applications/{o['application']}/",
        ],
        "post": [
            f"/api/v1/tasks/{o['task']}/claim/",
            f"/api/v1/tasks/{o['task']}/release/",
            f"/api/v1/tasks/{o['task']}/complete/",
        ],
    }


LISTS = [
    "/api/v1/agreements/",
    "/api/v1/tasks/inbox/",
    "/api/v1/tasks/queue/",
    "/api/v1/applications/",
    "/api/v1/requirements/?year=2022",
]


@pytest.mark.parametrize("side", ["UNN", "NLSH"])
def test_it_answers_404_for_every_object_of_the_other_trust(side, api, objects):
    foreign = objects[OTHER[side]]
    for persona in SIDES[side]:
        client = api(persona)
        urls = object_urls(foreign)
        for url in urls["get"]:
            response = client.get(url)
            assert response.status_code == 404, (persona, url)
            assert response["Content-Type"] == "application/problem+json"
        for url in urls["post"]:
            response = client.post(url, {"title": "x"}, content_type="application/json")
            assert response.status_code == 404, (persona, url)
        for url in LISTS:
            text = client.get(url).content.decode()
            assert foreign["reference"] not in text, (persona, url)
            assert f"/tasks/{foreign['task']}/" not in text, (persona, url)
            assert f"Bare hos {OTHER[side]}" not in text, (persona, url)


@pytest.mark.parametrize("side", ["UNN", "NLSH"])
def test_it_shows_each_trust_its_own_objects(side, api, objects):
    own = objects[side]
    owner = SIDES[side][0]
    client = api(owner)
    for url in object_urls(own)["get"]:
        assert client.get(url).status_code == 200, url
    assert own["reference"] in client.get("/api/v1/agreements/").content.decode()
    assert f"/tasks/{own['task']}/" in client.get("/api/v1/tasks/inbox/").content.decode()
    assert f"Bare hos {side}" in client.get("/api/v1/applications/").content.decode()


def test_it_hides_requirements_from_trust_users_and_shows_them_to_helse_nord_ikt(api, objects):
    from agreements.models import Requirement

    requirement = Requirement.objects.get(year=2022, number=88)
    url = f"/api/v1/requirements/{requirement.pk}/?as_of=2022-09-01"
    for persona in ("alice", "bob"):
        assert api(persona).get(url).status_code == 404
        assert api(persona).get("/api/v1/requirements/?year=2022").json()["results"] == []
    shown = api("iris").get(url).json()
    assert shown["number"] == 88
    assert shown["progress"]["as_of"] == "2022-09-01"
    assert {"label", "done", "total", "share"} <= set(shown["progress"]["rows"][0])
