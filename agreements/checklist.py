"""The GDPR Art. 28 checklist of a data processor agreement (DOMAIN.md) and what is missing.

A data processor agreement may not go to review until every item is filled in or explicitly
marked not applicable (its ``<key>_na`` column on ``DataProcessorTerms``). The rule is checked by
``lifecycle.do_submit_for_review``, so it holds for the web page, the task and any script alike.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Agreement, DataProcessorTerms


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # also the prefix of the item's not-applicable column, ``<key>_na``
    label: str
    filled: Callable[[DataProcessorTerms, Agreement], bool]


def _text(name):
    return lambda terms, agreement: bool(getattr(terms, name, "").strip())


def _answered(name):
    return lambda terms, agreement: getattr(terms, name) is not None


def _rows(related_name):
    return lambda terms, agreement: getattr(agreement, related_name).exists()


def _sub_processors(terms, agreement):
    if not agreement.sub_processors.exists() or not terms.sub_processor_authorisation:
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


ITEMS: tuple[ChecklistItem, ...] = (
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
        if not getattr(terms, f"{item.key}_na") and not item.filled(terms, agreement)
    ]
