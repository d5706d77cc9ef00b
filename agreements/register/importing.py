"""Import of the service-management tool's export: every row's fate first, then the writes.

``plan_import(rows)`` decides, without writing, what each row would do: create an application,
update the one with the same asset id, or be refused with the reasons. ``do_import_applications``
plans the same rows again (the register may have changed since the preview) and writes the rows
that pass, in one transaction; a refused row writes nothing.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Application, Organisation, User
from ..orgnumbers import is_valid_org_number, normalise_org_number
from .applications import Use, do_create_application, do_update_application

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

Kind = Organisation.Kind

# The tool's own abbreviations for the organisations, and the codes they stand for.
TOOL_ORGANISATIONS = {
    "unn": "UNN",
    "nlsh": "NLSH",
    "helgelandssykehuset": "HSYK",
    "finnmarkssykehuset": "FIN",
    "sykehusapotek nord": "SANO",
    "hn ikt": "HNIKT",
    "hn rhf": "HNRHF",
}


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _choice_map(choices) -> dict[str, str]:
    return {_key(str(label)): value for value, label in choices}


CATEGORIES = _choice_map(Application.Category.choices)
INSTALLED_ON = _choice_map(Application.InstalledOn.choices)
REGIONAL = _choice_map(Application.Regional.choices)
MANAGEMENT = {"hf": "trust", "hn ikt": "it_provider", "helse nord ikt": "it_provider"}

_LEGAL_SUFFIX = re.compile(r"\b(asa|as|ab|a/s|hf|ltd|inc|gmbh|oy|norge|norway)\b\.?")


def supplier_key(name: str) -> str:
    """A supplier name without case, punctuation and company form: "DIPS AS" = "Dips ASA"."""
    text = _LEGAL_SUFFIX.sub(" ", name.casefold())
    return "".join(ch for ch in text if ch.isalnum())


@dataclass
class RowPlan:
    """What one row of the file would do."""

    line: str
    name: str
    asset_id: str
    action: str = "create"  # "create", "update", "skip" or "refuse"
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    application: Application | None = None
    fields: dict = field(default_factory=dict)
    uses: list[Use] = field(default_factory=list)
    new_supplier: tuple[str, str] | None = None  # (name, org number) to create


class _Lookups:
    """The reference data a plan needs, read once per plan (not once per row)."""

    def __init__(self, rows):
        organisations = list(Organisation.objects.all())
        self.by_code = {o.code: o for o in organisations}
        self.by_org_number = {o.org_number: o for o in organisations if o.org_number}
        self.by_name = {supplier_key(o.name): o for o in organisations}
        self.by_name.update({supplier_key(o.short_name): o for o in organisations if o.short_name})
        asset_ids = {r["asset_id"].upper() for r in rows if r["asset_id"]}
        self.by_asset = {}
        for app in Application.objects.filter(asset_id__in=asset_ids):
            self.by_asset.setdefault(app.asset_id.upper(), []).append(app)
        # Rows without an asset id update the application of the same name that has none either.
        names = {r["name"].casefold() for r in rows if not r["asset_id"]}
        self.by_plain_name = {}
        for app in Application.objects.filter(asset_id="", name__in={r["name"] for r in rows}):
            if app.name.casefold() in names:
                self.by_plain_name.setdefault(app.name.casefold(), []).append(app)
        emails = {r["system_owner_email"].casefold() for r in rows if r["system_owner_email"]}
        self.users = {
            u.email.casefold(): u for u in User.objects.filter(email__in=emails, is_active=True)
        }
        self.new_suppliers: dict[str, str] = {}

    def organisation(self, token: str) -> Organisation | None:
        key = _key(token)
        code = TOOL_ORGANISATIONS.get(key) or token.strip().upper()
        found = self.by_code.get(code)
        if found is None:
            candidate = self.by_name.get(supplier_key(token))
            found = candidate if candidate and candidate.kind != Kind.SUPPLIER else None
        return found


def plan_import(rows: list[dict[str, str]]) -> list[RowPlan]:
    """The fate of every row, in file order; reads the register, writes nothing."""
    lookups = _Lookups(rows)
    first_seen: dict[str, dict] = {}
    duplicated = set()
    for row in rows:
        asset = row["asset_id"].upper()
        if asset and asset in first_seen and _content(first_seen[asset]) != _content(row):
            duplicated.add(asset)
        first_seen.setdefault(asset, row)
    plans = []
    for row in rows:
        plan = RowPlan(line=row["line"], name=row["name"], asset_id=row["asset_id"])
        asset = row["asset_id"].upper()
        if asset in duplicated:
            plan.errors.append(
                _("Asset-ID %(asset)s står flere ganger i filen med ulikt innhold.")
                % {"asset": row["asset_id"]}
            )
        elif asset and first_seen[asset] is not row:
            plan.action = "skip"
            plan.notes.append(
                _("Samme rad som linje %(line)s; hoppes over.")
                % {"line": first_seen[asset]["line"]}
            )
            plans.append(plan)
            continue
        _plan_row(plan, row, lookups)
        if plan.errors:
            plan.action = "refuse"
        plans.append(plan)
    return plans


def _content(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "line"}


def _plan_row(plan: RowPlan, row: dict, lookups: _Lookups) -> None:
    errors, fields = plan.errors, plan.fields
    if not row["name"]:
        errors.append(_("Applikasjon mangler navn."))
    fields["name"] = row["name"][:200]
    fields["version"] = row["version"][:50]
    fields["asset_id"] = row["asset_id"][:40]
    fields["tool_agreement_number"] = row["tool_agreement_number"][:60]
    fields["notes"] = row["notes"]
    for key, mapping, default, label in (
        ("category", CATEGORIES, Application.Category.UNCATEGORISED, "NSM-kategori"),
        ("installed_on", INSTALLED_ON, "", "Installert på"),
        ("regional", REGIONAL, Application.Regional.UNDECIDED, "Regionalt system"),
        ("technical_management", MANAGEMENT, "trust", "Teknisk forvaltning"),
        ("mercantile_management", MANAGEMENT, "trust", "Merkantil forvaltning"),
    ):
        value = row[key]
        fields[key] = mapping.get(_key(value), None) if value else default
        if fields[key] is None:
            errors.append(
                _("Ukjent verdi «%(value)s» i %(column)s.") % {"value": value, "column": label}
            )
    _plan_transfer(plan, row)
    _plan_supplier(plan, row, lookups)
    _plan_uses(plan, row, lookups)
    if row["asset_id"]:
        existing = lookups.by_asset.get(row["asset_id"].upper(), [])
    else:
        existing = lookups.by_plain_name.get(row["name"].casefold(), [])
    if len(existing) > 1:
        errors.append(
            _("Flere applikasjoner i registeret passer raden (%(row)s).")
            % {"row": row["asset_id"] or row["name"]}
        )
    elif existing:
        plan.action, plan.application = "update", existing[0]


def _plan_transfer(plan: RowPlan, row: dict) -> None:
    transferred = parse_date(row["transferred_on"]) if row["transferred_on"] else None
    if row["transferred_on"] and transferred is None:
        plan.errors.append(
            _("«%(value)s» er ikke en dato (dd.mm.åååå).") % {"value": row["transferred_on"]}
        )
    for kind in ("technical", "mercantile"):
        held_by_provider = plan.fields.get(f"{kind}_management") == "it_provider"
        plan.fields[f"{kind}_transferred_on"] = transferred if held_by_provider else None


def parse_date(text: str) -> date | None:
    """dd.mm.yyyy, yyyy-mm-dd or an Excel day number; ``None`` when it is none of them."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):
            day, month, year = (int(p) for p in text.split("."))
            return date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        if re.fullmatch(r"\d{5}", text):
            # Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
            return date(1899, 12, 30) + timedelta(days=int(text))
    except ValueError:
        return None
    return None


def _plan_supplier(plan: RowPlan, row: dict, lookups: _Lookups) -> None:
    name, number = row["supplier"], normalise_org_number(row["supplier_org_number"])
    plan.fields["supplier"] = None
    if number and not is_valid_org_number(number):
        plan.errors.append(
            _("Organisasjonsnummeret «%(value)s» er ugyldig.")
            % {"value": row["supplier_org_number"]}
        )
        return
    found = lookups.by_org_number.get(number) if number else None
    found = found or (lookups.by_name.get(supplier_key(name)) if name else None)
    if found:
        plan.fields["supplier"] = found
        return
    if not name and not number:
        plan.notes.append(_("Ingen leverandør oppgitt."))
        return
    if not number:
        plan.errors.append(
            _("Ukjent leverandør «%(name)s» uten organisasjonsnummer.") % {"name": name}
        )
        return
    if not name:
        plan.errors.append(
            _("Ukjent leverandør med organisasjonsnummer %(number)s uten navn.")
            % {"number": number}
        )
        return
    plan.new_supplier = (name[:200], number)
    plan.notes.append(
        _("Ny leverandør opprettes: %(name)s (%(number)s).") % {"name": name, "number": number}
    )


def _plan_uses(plan: RowPlan, row: dict, lookups: _Lookups) -> None:
    organisations = []
    for token in filter(None, (t.strip() for t in row["used_by"].split(","))):
        organisation = lookups.organisation(token)
        if organisation is None:
            plan.errors.append(_("Ukjent helseforetak «%(token)s» i Brukes av.") % {"token": token})
        elif organisation not in organisations:
            organisations.append(organisation)
    email = row["system_owner_email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            plan.errors.append(_("«%(email)s» er ikke en e-postadresse.") % {"email": email})
            email = ""
    owner = lookups.users.get(email.casefold()) if email else None
    for index, organisation in enumerate(organisations):
        # The tool names one system owner: the first listed trust's.
        first = index == 0 and (row["system_owner"] or email)
        plan.uses.append(
            Use(
                organisation=organisation,
                system_owner=owner
                if first and owner and owner.organisation_id == organisation.pk
                else None,
                system_owner_name=row["system_owner"][:200] if first else "",
                system_owner_email=email if first else "",
            )
        )


def do_import_applications(actor: User, rows: list[dict[str, str]]) -> list[RowPlan]:
    """Plan ``rows`` again and write every row that passes, in one transaction.

    Returns the plans as carried out. A refused or skipped row writes nothing.
    """
    with transaction.atomic():
        plans = plan_import(rows)
        created_suppliers: dict[str, Organisation] = {}
        for plan in plans:
            if plan.action in ("refuse", "skip"):
                continue
            if plan.new_supplier:
                plan.fields["supplier"] = _supplier(plan.new_supplier, created_suppliers)
            if plan.action == "update":
                do_update_application(actor, plan.application, uses=plan.uses, **plan.fields)
            else:
                plan.application = do_create_application(actor, plan.uses, **plan.fields)
    return plans


def _supplier(new: tuple[str, str], created: dict[str, Organisation]) -> Organisation:
    name, number = new
    if number not in created:
        code = _free_code(slugify(name)[:16] or "leverandor")
        created[number] = Organisation.objects.create(
            code=code, name=name, kind=Kind.SUPPLIER, org_number=number
        )
    return created[number]


def _free_code(base: str) -> str:
    taken = set(Organisation.objects.filter(code__startswith=base).values_list("code", flat=True))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code
