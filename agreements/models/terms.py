"""The structured terms of an agreement, one table per kind plus child tables for lists.

The terms are what a jurist turns into the agreement document: each column is one field of the
Word template's context (``docs_templates/schema.py``). They live in real columns so reports
and the completeness check of a data processor agreement can query them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def _row_of(related_name: str) -> models.ForeignKey:
    """The link from a list row to its agreement; ``related_name`` names the list on Agreement."""
    return models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name=related_name
    )


class TermsRow(models.Model):
    """One row of a list in an agreement's terms, kept in the order the drafter entered it.

    ``agreements.terms.do_update_terms`` numbers the rows from 0 as it replaces a list.
    """

    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class DataProcessorTerms(models.Model):
    """The GDPR Art. 28 checklist of a data processor agreement (DOMAIN.md).

    Every checklist item is either filled in or marked not applicable with its ``*_na`` flag;
    ``agreements.terms.missing_items`` lists the items that are neither. Yes/no answers are
    nullable so that "not answered yet" differs from "no".
    """

    class Authorisation(models.TextChoices):
        SPECIFIC = "specific", _("Spesifikk forhåndsgodkjenning")
        GENERAL = "general", _("Generell forhåndsgodkjenning")

    class EndOfProcessing(models.TextChoices):
        DELETE = "delete", _("Slettes")
        RETURN = "return", _("Tilbakeleveres")
        RETURN_AND_DELETE = "return_and_delete", _("Tilbakeleveres og slettes")

    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="dpa_terms"
    )
    # What is processed (Art. 28(3), first sentence)
    subject_matter = models.TextField(_("behandlingens gjenstand"), blank=True)
    subject_matter_na = models.BooleanField(_("ikke aktuelt"), default=False)
    nature = models.TextField(_("behandlingens art"), blank=True)
    nature_na = models.BooleanField(_("ikke aktuelt"), default=False)
    purposes = models.TextField(_("formål (ett per linje)"), blank=True)
    purposes_na = models.BooleanField(_("ikke aktuelt"), default=False)
    duration = models.TextField(_("varighet"), blank=True)
    duration_na = models.BooleanField(_("ikke aktuelt"), default=False)
    data_subject_categories = models.TextField(
        _("kategorier registrerte (én per linje)"), blank=True
    )
    data_subject_categories_na = models.BooleanField(_("ikke aktuelt"), default=False)
    personal_data_categories = models.TextField(
        _("kategorier personopplysninger (én per linje)"), blank=True
    )
    personal_data_categories_na = models.BooleanField(_("ikke aktuelt"), default=False)
    health_data = models.BooleanField(_("helseopplysninger (art. 9)"), null=True, blank=True)
    health_data_na = models.BooleanField(_("ikke aktuelt"), default=False)
    national_id_numbers = models.BooleanField(_("fødselsnummer / D-nummer"), null=True, blank=True)
    national_id_numbers_na = models.BooleanField(_("ikke aktuelt"), default=False)
    scale = models.TextField(_("omfang"), blank=True)
    scale_na = models.BooleanField(_("ikke aktuelt"), default=False)
    # Art. 28(3) (a) to (h)
    instructions = models.TextField(_("(a) dokumenterte instrukser"), blank=True)
    instructions_na = models.BooleanField(_("ikke aktuelt"), default=False)
    confidentiality = models.TextField(_("(b) taushetsplikt"), blank=True)
    confidentiality_na = models.BooleanField(_("ikke aktuelt"), default=False)
    # (c) the measures themselves are SecurityMeasure rows
    security_measures_na = models.BooleanField(_("ikke aktuelt"), default=False)
    # (d) the sub-processors are SubProcessor rows
    sub_processor_authorisation = models.CharField(
        _("(d) godkjenning av underdatabehandlere"),
        max_length=20,
        choices=Authorisation.choices,
        blank=True,
    )
    objection_days = models.PositiveSmallIntegerField(
        _("frist for innsigelse (dager)"), null=True, blank=True
    )
    sub_processors_na = models.BooleanField(_("ikke aktuelt"), default=False)
    data_subject_rights_assistance = models.TextField(
        _("(e) bistand med de registrertes rettigheter"), blank=True
    )
    data_subject_rights_assistance_na = models.BooleanField(_("ikke aktuelt"), default=False)
    breach_notification_hours = models.PositiveSmallIntegerField(
        _("(f) frist for varsel om avvik (timer)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    breach_notification_hours_na = models.BooleanField(_("ikke aktuelt"), default=False)
    dpia_assistance = models.TextField(_("(f) bistand med DPIA og forhåndsdrøfting"), blank=True)
    dpia_assistance_na = models.BooleanField(_("ikke aktuelt"), default=False)
    end_of_processing = models.CharField(
        _("(g) ved opphør"), max_length=20, choices=EndOfProcessing.choices, blank=True
    )
    deletion_deadline_days = models.PositiveSmallIntegerField(
        _("(g) frist for sletting/tilbakelevering (dager)"), null=True, blank=True
    )
    end_of_processing_na = models.BooleanField(_("ikke aktuelt"), default=False)
    audit = models.TextField(_("(h) revisjon og dokumentasjon"), blank=True)
    audit_na = models.BooleanField(_("ikke aktuelt"), default=False)
    # Locations and transfers; remote access from abroad counts as a transfer.
    locations_na = models.BooleanField(_("ikke aktuelt"), default=False)
    third_country_transfer = models.BooleanField(
        _("overføring til tredjeland"), null=True, blank=True
    )
    transfer_countries = models.TextField(_("land (ett per linje)"), blank=True)
    transfer_legal_basis = models.TextField(_("overføringsgrunnlag"), blank=True)
    remote_access_from_abroad = models.BooleanField(
        _("fjerntilgang fra utlandet"), null=True, blank=True
    )
    third_country_transfer_na = models.BooleanField(_("ikke aktuelt"), default=False)
    # Health sector (Normen)
    segregation = models.TextField(
        _("atskillelse fra andre behandlingsansvarliges data"), blank=True
    )
    segregation_na = models.BooleanField(_("ikke aktuelt"), default=False)
    risk_assessment_reference = models.CharField(
        _("henvisning til ROS-analyse/DPIA"), max_length=300, blank=True
    )
    risk_assessment_reference_na = models.BooleanField(_("ikke aktuelt"), default=False)
    dpo_consulted = models.BooleanField(_("personvernombudet rådspurt"), null=True, blank=True)
    dpo_consulted_na = models.BooleanField(_("ikke aktuelt"), default=False)
    security_lead_consulted = models.BooleanField(
        _("informasjonssikkerhetsleder rådspurt"), null=True, blank=True
    )
    security_lead_consulted_na = models.BooleanField(_("ikke aktuelt"), default=False)

    class Meta:
        verbose_name = _("databehandlervilkår")
        verbose_name_plural = _("databehandlervilkår")


class SecurityMeasure(TermsRow):
    """One Art. 32 security measure of a data processor agreement (Bilag 2)."""

    agreement = _row_of("security_measures")
    area = models.CharField(_("område"), max_length=200)
    measure = models.TextField(_("tiltak"))

    class Meta(TermsRow.Meta):
        verbose_name = _("sikkerhetstiltak")
        verbose_name_plural = _("sikkerhetstiltak")


class SubProcessor(TermsRow):
    """A sub-processor the processor uses (Art. 28(2) and (4))."""

    agreement = _row_of("sub_processors")
    name = models.CharField(_("navn"), max_length=200)
    org_number = models.CharField(_("organisasjonsnummer"), max_length=30, blank=True)
    country = models.CharField(_("land"), max_length=100)
    service = models.CharField(_("tjeneste"), max_length=300)
    authorisation = models.CharField(_("godkjenning"), max_length=200)

    class Meta(TermsRow.Meta):
        verbose_name = _("underdatabehandler")
        verbose_name_plural = _("underdatabehandlere")


class ProcessingLocation(TermsRow):
    """Where the personal data are processed or stored."""

    agreement = _row_of("processing_locations")
    place = models.CharField(_("sted"), max_length=200)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)

    class Meta(TermsRow.Meta):
        verbose_name = _("behandlingssted")
        verbose_name_plural = _("behandlingssteder")


class ServiceTerms(models.Model):
    """The service agreement's terms; term and notice are the agreement's own dates."""

    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="service_terms"
    )
    service_name = models.CharField(_("tjenestens navn"), max_length=200, blank=True)
    description = models.TextField(_("tjenestebeskrivelse"), blank=True)
    availability_percent = models.DecimalField(
        _("tilgjengelighet (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    support_hours = models.CharField(_("åpningstid for brukerstøtte"), max_length=300, blank=True)
    maintenance_window = models.CharField(_("vedlikeholdsvindu"), max_length=300, blank=True)
    price_model = models.TextField(_("prismodell"), blank=True)
    change_procedure = models.TextField(_("endringsprosedyre"), blank=True)
    revision = models.TextField(_("årlig revisjon"), blank=True)
    reporting = models.TextField(_("rapportering"), blank=True)
    # What the customer is owed when a service level is missed (SSA-D bilag 5's standardised
    # compensation); the template's sanctions clause prints it.
    compensation = models.TextField(
        _("standardisert erstatning ved brudd på tjenestenivå"), blank=True
    )

    class Meta:
        verbose_name = _("tjenestevilkår")
        verbose_name_plural = _("tjenestevilkår")


class ServiceLevel(TermsRow):
    """Response and resolution time for one incident class."""

    class IncidentClass(models.TextChoices):
        A = "A", _("A – kritisk")
        B = "B", _("B – alvorlig")
        C = "C", _("C – mindre alvorlig")

    agreement = _row_of("service_levels")
    incident_class = models.CharField(
        _("hendelsesklasse"), max_length=1, choices=IncidentClass.choices
    )
    description = models.CharField(_("beskrivelse"), max_length=300)
    response_time = models.CharField(_("responstid"), max_length=100)
    resolution_time = models.CharField(_("løsningstid"), max_length=100)

    class Meta(TermsRow.Meta):
        verbose_name = _("tjenestenivå")
        verbose_name_plural = _("tjenestenivåer")


class Responsibility(TermsRow):
    """One line of the responsibility split (RACI) of a service agreement."""

    agreement = _row_of("responsibilities")
    activity = models.CharField(_("aktivitet"), max_length=300)
    customer = models.CharField(_("kunde (RACI)"), max_length=20)
    provider = models.CharField(_("leverandør (RACI)"), max_length=20)

    class Meta(TermsRow.Meta):
        verbose_name = _("ansvarsfordeling")
        verbose_name_plural = _("ansvarsfordeling")


class Contact(TermsRow):
    """A named contact of one party to a service agreement."""

    class Party(models.TextChoices):
        CUSTOMER = "customer", _("Kunde")
        PROVIDER = "provider", _("Leverandør")

    agreement = _row_of("contacts")
    party = models.CharField(_("part"), max_length=10, choices=Party.choices)
    role = models.CharField(_("rolle"), max_length=100)
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    class Meta(TermsRow.Meta):
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")


class OperatingTerms(models.Model):
    """The frame of an operating agreement; its SSA-D appendices are ``OperatingAppendix`` rows."""

    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="operating_terms"
    )
    scope = models.TextField(_("omfang"), blank=True)
    governance = models.TextField(_("styring og samarbeid"), blank=True)

    class Meta:
        verbose_name = _("driftsvilkår")
        verbose_name_plural = _("driftsvilkår")


class OperatingAppendix(models.Model):
    """One SSA-D style appendix (bilag 1 to 10) that applies to an operating agreement."""

    class Number(models.IntegerChoices):
        CUSTOMER_REQUIREMENTS = 1, _("Kundens beskrivelse av driftstjenesten")
        SOLUTION = 2, _("Leverandørens løsningsbeskrivelse")
        OPERATED = 3, _("Driftsobjekter")
        PLAN = 4, _("Plan for etablering av driftstjenesten")
        SERVICE_LEVELS = 5, _("Tjenestenivå med standardiserte kompensasjoner")
        ADMINISTRATIVE = 6, _("Administrative bestemmelser")
        PRICES = 7, _("Samlet pris og prisbestemmelser")
        GENERAL_TEXT_CHANGES = 8, _("Endringer i den generelle avtaleteksten")
        CHANGES_AFTER_SIGNING = 9, _("Endringer av driftstjenesten etter avtaleinngåelsen")
        THIRD_PARTY = 10, _("Tredjepartsvilkår")

    agreement = _row_of("appendices")
    number = models.PositiveSmallIntegerField(_("bilag"), choices=Number.choices)
    content = models.TextField(_("innhold"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="appendix_once")
        ]
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")

    @property
    def title(self) -> str:
        return str(self.Number(self.number).label)


class OtherTerms(models.Model):
    """Purpose and description of an agreement of another kind (e.g. transfer of management)."""

    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="other_terms"
    )
    purpose = models.TextField(_("formål"), blank=True)
    description = models.TextField(_("beskrivelse av ansvar og leveranser"), blank=True)

    class Meta:
        verbose_name = _("vilkår")
        verbose_name_plural = _("vilkår")


class PartyResponsibility(TermsRow):
    """What one party is responsible for under an agreement of another kind."""

    class Party(models.TextChoices):
        CUSTOMER = "customer", _("Kunde")
        PROVIDER = "provider", _("Leverandør")

    agreement = _row_of("party_responsibilities")
    party = models.CharField(_("part"), max_length=10, choices=Party.choices)
    responsibility = models.TextField(_("ansvar"))

    class Meta(TermsRow.Meta):
        verbose_name = _("partsansvar")
        verbose_name_plural = _("partsansvar")
