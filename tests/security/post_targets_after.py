"""POST targets of the pages after drafting (an UTKAST draft, the follow-up decisions, the
yearly revision, withdrawal, amendment), the appendices of an operating agreement and the
supplier pages. Builders as in post_targets.py, which lists them in ``TARGETS``."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.deadlines import next_revision_date
from agreements.models import Agreement, Organisation, SupplierContact
from tests.aftersign.helpers import signed_agreement
from tests.factories import make_agreement, open_task

from .post_world import Target, as_user

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _running(w) -> Agreement:
    """alice's service agreement, signed by both parties and in force from today for two years."""
    today = timezone.localdate()
    end = date(today.year + 2, 12, 31)
    return signed_agreement(w.personas, w.orgs, start_date=today, end_date=end)


def _urls(name, *references) -> list[str]:
    return [reverse(name, args=[r]) for r in references]


def order_draft(w):
    """The task page's "Lag utkast": no fields, the task's (or another trust's) agreement."""
    tasks = (open_task(w.agreement, "draft").pk, open_task(w.foreign, "draft").pk, 10**9)
    urls = [reverse("workflows:draft", args=[pk]) for pk in tasks]
    return Target(as_user(w.personas["alice"]), urls, {}, ["kind", "document_version"])


def follow_up(w):
    running = _running(w)
    # Notice given, which reads every field (a renewal reads only the outcome and the date).
    base = {
        "outcome": "terminate",
        "comment": "Tjenesten er flyttet til en ny leverandør.",
        "end_date": date(running.start_date.year + 1, 6, 30).isoformat(),
        "concerns_date": running.end_date.isoformat(),
    }
    urls = _urls("workflows:follow_up", running.reference, w.agreement.reference)
    urls += _urls("workflows:follow_up", w.foreign.reference)
    return Target(as_user(w.personas["alice"]), urls, base, list(base))


def revision(w):
    running = _running(w)
    due = next_revision_date(running)
    base = {"comment": "Tjenestenivåene står.", "concerns_date": due.isoformat()}
    urls = _urls("workflows:revision", running.reference, w.foreign.reference)
    return Target(as_user(w.personas["alice"]), urls, base, list(base))


def withdraw(w):
    base = {"reason": "Behovet er dekket av en annen avtale."}
    urls = _urls("workflows:withdraw", w.agreement.reference, w.foreign.reference)
    return Target(as_user(w.personas["alice"]), urls, base, list(base))


def amend(w):
    running = _running(w)
    base = {"reason": "Nye tjenestenivåer."}
    urls = _urls("workflows:amend", running.reference, w.agreement.reference, w.foreign.reference)
    return Target(as_user(w.personas["alice"]), urls, base, list(base))


def appendices(w):
    """An upload to one of the ten SSA-D appendices of alice's operating agreement."""
    operating = make_agreement(
        w.personas["alice"], w.orgs["UNN"], w.orgs["HNIKT"], kind=Agreement.Kind.OPERATING
    )
    foreign = make_agreement(
        w.personas["bob"], w.orgs["NLSH"], w.orgs["HNIKT"], kind=Agreement.Kind.OPERATING
    )
    base = {"number": 7, "file": SimpleUploadedFile("prisliste.pdf", PDF, "application/pdf")}
    urls = _urls("agreements:appendices", operating.reference, foreign.reference)
    # A service agreement has no appendices: 404.
    urls += _urls("agreements:appendices", w.agreement.reference)
    return Target(as_user(w.personas["alice"]), urls, base, list(base))


SUPPLIER = {
    "name": "Acme Helse AS",
    "org_number": "914 778 271",
    "contacts-TOTAL_FORMS": 1,
    "contacts-INITIAL_FORMS": 0,
    "contacts-0-name": "Siv Signe",
    "contacts-0-email": "siv@acme.example",
    "contacts-0-may_sign": "on",
}
SUPPLIER_FIELDS = [*SUPPLIER, "contacts-0-DELETE", "contacts-1-name", "contacts-1-email"]


def supplier_new(w):
    """A service manager (iris) adds a supplier; the second time its number is taken."""
    client = as_user(w.personas["iris"])
    return Target(client, [reverse("suppliers:new")], SUPPLIER, SUPPLIER_FIELDS)


def supplier_edit(w):
    """iris changes a supplier; a trust (UNN) is no supplier and a guessed one does not exist."""
    supplier = Organisation.objects.create(
        code="acme", name="Acme Helse AS", kind=Organisation.Kind.SUPPLIER, org_number="914778271"
    )
    SupplierContact.objects.create(organisation=supplier, name="Gammel", email="g@acme.example")
    urls = [reverse("suppliers:edit", args=[pk]) for pk in (supplier.pk, w.orgs["UNN"].pk, 10**9)]
    return Target(as_user(w.personas["iris"]), urls, SUPPLIER, SUPPLIER_FIELDS)


TARGETS = {
    "workflows:draft": order_draft,
    "workflows:follow_up": follow_up,
    "workflows:revision": revision,
    "workflows:withdraw": withdraw,
    "workflows:amend": amend,
    "agreements:appendices": appendices,
    "suppliers:new": supplier_new,
    "suppliers:edit": supplier_edit,
}
