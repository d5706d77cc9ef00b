"""The GDPR Art. 28 checklist of a data processor agreement (DOMAIN.md) and what is missing.

A data processor agreement may not go to review until every item is filled in or, for an optional
item, explicitly marked not applicable (its ``<key>_na`` column on ``DataProcessorTerms``). What
Art. 28(3) requires of every such agreement (its first sentence and points (a) to (h)) is
``mandatory`` and can never be "ikke aktuelt": ``check_not_applicable`` refuses that, and
``missing_items`` ignores such a flag set before the rule existed. The rule is checked by
``lifecycle.do_submit_for_review`` and ``terms.do_update_terms``, so it holds for the web page, the
task, the API and any script alike.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Agreement, DataProcessorTerms


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # also the prefix of the item's not-applicable column, ``<key>_na``
    label: str
    filled: Callable[[DataProcessorTerms, Agreement], bool]
    # Required by Art. 28(3) of every data processor agreement: never "ikke aktuelt".
    mandatory: bool = False


def _text(name):
    return lambda terms, agreement: bool(getattr(terms, name, "").strip())


def _answered(name):
    return lambda terms, agreement: getattr(terms, name) is not None


def _rows(related_name):
    return lambda terms, agreement: getattr(agreement, related_name).exists()


def _sub_processors(terms, agreement):
    # The authorisation regime is required even when no sub-processor is used yet (then the
    # document says so); the sub-processors in use are listed as rows.
    if not terms.sub_processor_authorisation:
        return False
    # Under general authorisation the controller must be told how long it has to object.
    general = terms.sub_processor_authorisation == DataProcessorTerms.Authorisation.GENERAL
    return not general or terms.objection_days is not None


def _end_of_processing(terms, agreement):
    return bool(terms.end_of_processing) and terms.deletion_deadline_days is not None


def _transfers(terms, agreement):
    if terms.third_country_transfer is None or terms.remote_access_from_abroad is None:
        return False
    if terms.third_country_transfer or terms.remote_access_from_abroad:
        return bool(terms.transfer_countries.strip() and terms.transfer_legal_basis.strip())
    return True


_ITEMS: tuple[ChecklistItem, ...] = (
    ChecklistItem("subject_matter", _("Behandlingens gjenstand"), _text("subject_matter")),
    ChecklistItem("nature", _("Behandlingens art"), _text("nature")),
    ChecklistItem("purposes", _("Formålet med behandlingen"), _text("purposes")),
    ChecklistItem("duration", _("Behandlingens varighet"), _text("duration")),
    ChecklistItem(
        "data_subject_categories",
        _("Kategorier av registrerte"),
        _text("data_subject_categories"),
    ),
    ChecklistItem(
        "personal_data_categories",
        _("Kategorier av personopplysninger"),
        _text("personal_data_categories"),
    ),
    ChecklistItem("health_data", _("Helseopplysninger (art. 9)"), _answered("health_data")),
    ChecklistItem(
        "national_id_numbers", _("Fødselsnummer eller D-nummer"), _answered("national_id_numbers")
    ),
    ChecklistItem("scale", _("Omfang av behandlingen"), _text("scale")),
    ChecklistItem(
        "instructions",
        _("(a) Behandling bare etter dokumenterte instrukser"),
        _text("instructions"),
    ),
    ChecklistItem("confidentiality", _("(b) Taushetsplikt"), _text("confidentiality")),
    ChecklistItem(
        "security_measures", _("(c) Sikkerhetstiltak (art. 32)"), _rows("security_measures")
    ),
    ChecklistItem(
        "sub_processors",
        _("(d) Underdatabehandlere og godkjenning av dem"),
        _sub_processors,
    ),
    ChecklistItem(
        "data_subject_rights_assistance",
        _("(e) Bistand med de registrertes rettigheter"),
        _text("data_subject_rights_assistance"),
    ),
    ChecklistItem(
        "breach_notification_hours",
        _("(f) Frist for å varsle brudd på personopplysningssikkerheten"),
        _answered("breach_notification_hours"),
    ),
    ChecklistItem(
        "dpia_assistance",
        _("(f) Bistand med personvernkonsekvensvurdering og forhåndsdrøfting"),
        _text("dpia_assistance"),
    ),
    ChecklistItem(
        "end_of_processing",
        _("(g) Sletting eller tilbakelevering ved opphør, med frist"),
        _end_of_processing,
    ),
    ChecklistItem("audit", _("(h) Dokumentasjon, revisjon og inspeksjon"), _text("audit")),
    ChecklistItem("locations", _("Behandlingssteder"), _rows("processing_locations")),
    ChecklistItem(
        "third_country_transfer",
        _("Overføring til tredjeland og fjerntilgang fra utlandet"),
        _transfers,
    ),
    ChecklistItem(
        "segregation", _("Atskillelse fra andre behandlingsansvarliges data"), _text("segregation")
    ),
    ChecklistItem(
        "risk_assessment_reference",
        _("Henvisning til ROS-analyse eller DPIA"),
        _text("risk_assessment_reference"),
    ),
    ChecklistItem("dpo_consulted", _("Personvernombudet rådspurt"), _answered("dpo_consulted")),
    ChecklistItem(
        "security_lead_consulted",
        _("Informasjonssikkerhetsleder rådspurt"),
        _answered("security_lead_consulted"),
    ),
)


# Art. 28(3): its first sentence (subject-matter, duration, nature, purpose, types of data and
# categories of data subjects) and points (a) to (h). The rest may be "ikke aktuelt".
MANDATORY_KEYS = frozenset(
    {
        "subject_matter",
        "nature",
        "purposes",
        "duration",
        "data_subject_categories",
        "personal_data_categories",
        "instructions",
        "confidentiality",
        "security_measures",
        "sub_processors",
        "data_subject_rights_assistance",
        "breach_notification_hours",
        "dpia_assistance",
        "end_of_processing",
        "audit",
    }
)

ITEMS: tuple[ChecklistItem, ...] = tuple(
    replace(item, mandatory=item.key in MANDATORY_KEYS) for item in _ITEMS
)
OPTIONAL_ITEMS = tuple(item for item in ITEMS if not item.mandatory)


def check_not_applicable(fields: dict) -> None:
    """Raise ``ValidationError`` naming every mandatory item that ``fields`` (terms columns and
    values) marks "ikke aktuelt"; nothing for optional items or unmarked ones."""
    refused = [item for item in ITEMS if item.mandatory and fields.get(f"{item.key}_na")]
    if refused:
        raise ValidationError(
            [
                gettext(
                    "«%(item)s» kreves av personvernforordningen artikkel 28 nr. 3 i enhver "
                    "databehandleravtale og kan ikke merkes «ikke aktuelt». Fyll det ut."
                )
                % {"item": item.label}
                for item in refused
            ],
            code="mandatory_not_applicable",
        )


def is_not_applicable(terms: DataProcessorTerms, item: ChecklistItem) -> bool:
    """The item counts as "ikke aktuelt": flagged, and optional (a flag on a mandatory item, set
    before the rule existed, does not count)."""
    return not item.mandatory and getattr(terms, f"{item.key}_na")


def missing_items(agreement: Agreement) -> list[str]:
    """Return the labels of the checklist items neither filled in nor marked not applicable.

    Always empty for agreements that are not data processor agreements.
    """
    if not agreement.is_data_processor_agreement:
        return []
    terms = DataProcessorTerms.objects.filter(agreement=agreement).first()
    if terms is None:
        terms = DataProcessorTerms(agreement=agreement)
    return [
        str(item.label)
        for item in ITEMS
        if not is_not_applicable(terms, item) and not item.filled(terms, agreement)
    ]
