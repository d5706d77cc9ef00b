"""Every page that takes a POST, with a signed-in client, valid data to start from and the
fields to garble. ``TARGETS`` maps a URL name to a builder; test_fuzz_every_post.py fuzzes them
all and fails when a URL that accepts POST is missing here.

A builder gets the ``World`` (the personas' own objects and another organisation's) and returns
a ``Target``: whom to post as, where (an address or several, other organisations' among them),
what valid data looks like and which fields the form has. The pages after signing, the
appendices and the suppliers are in post_targets_after.py.
"""

import re
from datetime import date

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from agreements.models import (
    Agreement,
    Application,
    Organisation,
    Requirement,
    RiskAssessment,
    SupplierContact,
    User,
)
from tests.factories import fill_dpa_terms, make_agreement, open_task
from workflows import actions

from . import post_targets_after as after
from .post_world import Target, World, as_user, build_world

__all__ = ["TARGETS", "Target", "World", "as_user", "build_world"]


def login(w):
    return Target(Client(), [reverse("login")], {}, ["username", "password"])


def logout(w):
    return Target(as_user(w.personas["alice"]), [reverse("logout")], {}, ["next"], silent=True)


def set_language(w):
    base = {"language": "en", "next": "/inbox/"}
    return Target(as_user(w.personas["alice"]), [reverse("set_language")], base, silent=True)


def absence(w):
    base = {"substitute": w.personas["ulla"].pk, "away_until": "2030-06-03"}
    return Target(as_user(w.personas["alice"]), [reverse("absence")], base)


def reminder_preferences(w):
    base = {"reminder_frequency": User.ReminderFrequency.WEEKLY}
    return Target(as_user(w.personas["alice"]), [reverse("reminder_preferences")], base)


def calendar_settings(w):
    return Target(as_user(w.personas["alice"]), [reverse("calendar_settings")], {}, ["action"])


def api_tokens(w):
    base = {"name": "Rapportskript", "days": 30}
    return Target(as_user(w.personas["alice"]), [reverse("api_tokens")], base, ["revoke"])


def new_agreement(w):
    base = {
        "kind": Agreement.Kind.SERVICE,
        "title": "Drift av PACS",
        "customer": w.orgs["UNN"].pk,
        "provider": w.orgs["HNIKT"].pk,
        "notice_months": 3,
        "target_date": "2030-06-03",
        "start_date": "2030-07-01",
        "end_date": "2033-06-30",
    }
    fields = ["manager", "parent", "requirement", "applications", "description"]
    return Target(as_user(w.personas["alice"]), [reverse("workflows:new_agreement")], base, fields)


def task(w):
    """The draft's form (the review, approval and signing forms: test_fuzz_forms.py)."""
    draft = open_task(w.agreement, "draft")
    base = {"title": "Drift av PACS", "notice_months": 3, "target_date": "2030-06-03"}
    fields = ["start_date", "end_date", "description", "parent", "requirement", "applications"]
    urls = [reverse("workflows:task", args=[pk]) for pk in (draft.pk, _foreign_task(w))]
    return Target(as_user(w.personas["alice"]), urls, base, fields)


def _foreign_task(w) -> int:
    return open_task(w.foreign, "draft").pk


def _queued_review(w):
    actions.do_complete_task(
        w.personas["alice"],
        open_task(w.agreement, "draft"),
        {"title": "Drift av PACS", "notice_months": 3},
    )
    return open_task(w.agreement, "legal_review")


def claim(w):
    urls = [reverse("workflows:claim", args=[pk]) for pk in (_queued_review(w).pk, 10**9)]
    return Target(as_user(w.personas["lars"]), urls, {}, ["task", "user"])


def release(w):
    review = _queued_review(w)
    actions.do_claim_task(w.personas["lars"], review)
    urls = [reverse("workflows:release", args=[pk]) for pk in (review.pk, _foreign_task(w))]
    return Target(as_user(w.personas["lars"]), urls, {}, ["task"])


def external_sign(w):
    """A link mailed to an external supplier's signatory, a spent or guessed one."""
    from tests.signing.conftest import LINK, supplier_dpa, walk_to_signing

    acme = Organisation.objects.create(code="ACME", name="Acme AS", kind="supplier")
    SupplierContact.objects.create(
        organisation=acme, name="Siri Signatar", email="siri@acme.example", may_sign=True
    )
    journal = Application.objects.create(
        name="Acme Journal", supplier=acme, mercantile_management="it_provider"
    )
    agreement = supplier_dpa(w.personas, acme, journal)
    mail.outbox.clear()
    walk_to_signing(agreement, w.personas, TestCase.captureOnCommitCallbacks)
    tokens = LINK.findall("".join(m.body for m in mail.outbox))
    assert tokens, "no signing link was mailed"
    urls = [reverse("workflows:external_sign", args=[t]) for t in (tokens[0], "gjettet")]
    base = {"signer_name": "Siri Signatar", "confirm": "on"}
    return Target(Client(), urls, base)


def terms(w):
    dpa = make_agreement(
        w.personas["alice"], w.orgs["UNN"], w.orgs["HNIKT"], kind=Agreement.Kind.DATA_PROCESSOR
    )
    fill_dpa_terms(dpa)
    fields = [
        "subject_matter",
        "health_data",
        "breach_notification_hours",
        "objection_days",
        "deletion_deadline_days",
        "sub_processors-TOTAL_FORMS",
        "sub_processors-INITIAL_FORMS",
        "sub_processors-0-name",
        "sub_processors-0-country",
    ]
    urls = [reverse("agreements:terms", args=[r]) for r in (dpa.reference, w.foreign.reference)]
    return Target(as_user(w.personas["alice"]), urls, {}, fields)


def generate_document(w):
    urls = [
        reverse("agreements:generate_document", args=[r])
        for r in (w.agreement.reference, w.foreign.reference)
    ]
    return Target(as_user(w.personas["lars"]), urls, {}, ["kind", "template"])


def template_upload(w):
    from docs_templates.versions import ensure_shipped_templates

    ensure_shipped_templates()
    fields = ["kind", "file"]
    return Target(as_user(w.personas["lars"]), [reverse("docs_templates:list")], {}, fields)


def _requirement_urls(w, name):
    return [reverse(f"followup:{name}", args=[pk]) for pk in (w.requirement.pk, 10**9)]


def write_text(w):
    base = {"period": 2, "text": "Alle avtaler er under arbeid."}
    return Target(as_user(w.personas["iris"]), _requirement_urls(w, "write_text"), base)


def update_status(w):
    base = {"status": Requirement.Status.ON_TRACK, "responsible": w.personas["iris"].pk}
    return Target(as_user(w.personas["iris"]), _requirement_urls(w, "update_status"), base)


def record_delivery(w):
    base = {"sent_on": "2022-09-30", "note": "Sendt på e-post"}
    return Target(as_user(w.personas["iris"]), _requirement_urls(w, "record_delivery"), base)


RISK = {
    "requirement": None,
    "organisation": None,
    "title": "Forsinket levering",
    "assessed_on": "2022-05-01",
    "description": "",
    "probability": 2,
    "consequence": 3,
    "measures-TOTAL_FORMS": 1,
    "measures-INITIAL_FORMS": 0,
    "measures-0-description": "Følge opp leverandøren",
    "measures-0-owner": "Ola Nordmann",
    "measures-0-due_date": "2022-06-30",
    "measures-0-status": "planned",
}
RISK_FIELDS = ["board_date", "board_case_number", "measures-0-DELETE", "measures-0-id"]


def _risk_base(w):
    return {**RISK, "requirement": w.requirement.pk, "organisation": w.orgs["UNN"].pk}


def risk_new(w):
    client = as_user(w.personas["ulla"])
    return Target(client, [reverse("followup:risk_new")], _risk_base(w), RISK_FIELDS)


def risk_edit(w):
    own = RiskAssessment.objects.create(
        requirement=w.requirement,
        organisation=w.orgs["UNN"],
        title="UNNs risiko",
        assessed_on=date(2022, 5, 1),
        probability=1,
        consequence=1,
        created_by=w.personas["ulla"],
    )
    urls = [reverse("followup:risk_edit", args=[pk]) for pk in (own.pk, w.foreign_risk.pk)]
    return Target(as_user(w.personas["ulla"]), urls, _risk_base(w), RISK_FIELDS)


APPLICATION = {
    "name": "PACS Nord",
    "asset_id": "APP-000101",
    "uses-TOTAL_FORMS": 1,
    "uses-INITIAL_FORMS": 0,
}
APPLICATION_FIELDS = [
    "supplier",
    "category",
    "regional",
    "technical_transferred_on",
    "mercantile_transferred_on",
    "uses-0-organisation",
    "uses-0-system_owner",
    "uses-0-system_owner_email",
]


def application_new(w):
    base = {**APPLICATION, "uses-0-organisation": w.orgs["UNN"].pk}
    client = as_user(w.personas["iris"])
    return Target(client, [reverse("register:new")], base, APPLICATION_FIELDS)


def application_edit(w):
    base = {**APPLICATION, "uses-0-organisation": w.orgs["UNN"].pk}
    urls = [reverse("register:edit", args=[w.foreign_application.pk]), "/applications/0/edit/"]
    return Target(as_user(w.personas["iris"]), urls, base, APPLICATION_FIELDS)


def application_import(w):
    csv = b"Applikasjon;Asset-ID\r\nPACS;APP-1\r\n"
    base = {"file": SimpleUploadedFile("eksport.csv", csv)}
    client = as_user(w.personas["iris"])
    # The preview is the answer: nothing is stored before "Bekreft import".
    return Target(client, [reverse("register:import")], base, answer='name="token"')


def application_import_confirm(w):
    client = as_user(w.personas["iris"])
    csv = b"Applikasjon;Asset-ID\r\nPACS;APP-1\r\n"
    preview = client.post(reverse("register:import"), {"file": SimpleUploadedFile("e.csv", csv)})
    token = re.search(rb'name="token" value="([^"]+)"', preview.content)
    base = {"token": token.group(1).decode() if token else ""}
    return Target(client, [reverse("register:import_confirm")], base)


TARGETS = {
    "login": login,
    "logout": logout,
    "set_language": set_language,
    "absence": absence,
    "reminder_preferences": reminder_preferences,
    "calendar_settings": calendar_settings,
    "api_tokens": api_tokens,
    "workflows:new_agreement": new_agreement,
    "workflows:task": task,
    "workflows:claim": claim,
    "workflows:release": release,
    "workflows:external_sign": external_sign,
    "agreements:terms": terms,
    "agreements:generate_document": generate_document,
    "docs_templates:list": template_upload,
    "followup:write_text": write_text,
    "followup:update_status": update_status,
    "followup:record_delivery": record_delivery,
    "followup:risk_new": risk_new,
    "followup:risk_edit": risk_edit,
    "register:new": application_new,
    "register:edit": application_edit,
    "register:import": application_import,
    "register:import_confirm": application_import_confirm,
    **after.TARGETS,
}
