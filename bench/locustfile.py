"""The simulated users of ``bench.load``: contract owners and reviewers going through their day.

Run by ``python -m bench.load`` (not imported by it: locust patches the standard library with
gevent). Each simulated user takes a signed-in session that bench.load made for a real user of
the bench database (``BENCH_LOAD_SESSIONS``, a JSON file) and works through the pages as a person
would; POSTs carry the CSRF token from the ``csrftoken`` cookie, as the browser does.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

SESSIONS = json.loads(open(os.environ["BENCH_LOAD_SESSIONS"]).read())  # noqa: SIM115
TASK_LINK = re.compile(r'href="/tasks/(\d+)/"')
AGREEMENT_LINK = re.compile(r'href="/agreements/([A-Z]+-[0-9]+-[0-9]+)/"')
_next_owner = itertools.cycle([s for s in SESSIONS if s["role"] == "owner"])
_next_reviewer = itertools.cycle([s for s in SESSIONS if s["role"] == "reviewer"])


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    sessions = None

    def on_start(self):
        session = next(self.sessions)
        self.client.cookies.set(session["cookie"], session["value"])
        # The first page sets the csrftoken cookie the POSTs need.
        self.client.get("/", name="inbox")

    def post(self, url, data, name):
        token = self.client.cookies.get("csrftoken", "")
        return self.client.post(url, data, headers={"X-CSRFToken": token}, name=name)

    def links(self, pattern, url, name):
        return pattern.findall(self.client.get(url, name=name).text)


class ContractOwner(Person):
    """Looks at the inbox and the agreement list, reads an agreement and its terms, and sends a
    draft on to review."""

    weight = 1
    sessions = _next_owner

    @task(3)
    def look_around(self):
        references = self.links(AGREEMENT_LINK, "/agreements/", "agreements")
        if references:
            reference = random.choice(references)
            self.client.get(f"/agreements/{reference}/", name="agreement detail")
            self.client.get(f"/agreements/{reference}/terms/", name="terms")

    @task(1)
    def send_a_draft(self):
        tasks = self.links(TASK_LINK, "/", "inbox")
        if not tasks:
            return
        pk = random.choice(tasks)
        self.client.get(f"/tasks/{pk}/", name="task page")
        self.post(f"/tasks/{pk}/", {"title": "Tjenesteavtale", "notice_months": 3}, "complete")


class Reviewer(Person):
    """Takes a review from the queue, reads the task, and approves it."""

    weight = 1
    sessions = _next_reviewer

    @task
    def review(self):
        tasks = self.links(TASK_LINK, "/queue/", "queue")
        if not tasks:
            self.client.get("/archive/", name="archive")
            return
        pk = random.choice(tasks[:10])
        self.post(f"/tasks/{pk}/claim/", {}, "claim")
        self.client.get(f"/tasks/{pk}/", name="task page")
        self.post(f"/tasks/{pk}/", {"outcome": "approved", "comment": ""}, "complete")
