from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementQuerySet(models.QuerySet):
    def locked(self, pk: int) -> "Agreement":
        """The agreement re-read under a row lock (``SELECT ... FOR UPDATE``), for the rest of the
        caller's transaction, so two requests cannot both act on a stale copy. Its parties and
        manager come in the same statement (only the agreement's row is locked)."""
        return (
            self.select_related("customer", "provider", "manager")
            .select_for_update(of=("self",))
            .get(pk=pk)
        )


class Agreement(models.Model):
    """One agreement between a customer and a provider organisation.

    ``status`` mirrors the agreement's workflow and is written only by ``agreements.lifecycle``.
    """

    class Kind(models.TextChoices):
        MAIN_OPERATING = "main_operating", _("Hoveddriftsavtale")
        OPERATING = "operating", _("Driftsavtale")
        SERVICE = "service", _("Tjenesteavtale")
        DATA_PROCESSOR = "data_processor", _("Databehandleravtale")
        OTHER = "other", _("Annen avtale")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        IN_REVIEW = "in_review", _("Til gjennomgang")
        CHANGES_REQUESTED = "changes_requested", _("Endringer etterspurt")
        AWAITING_APPROVAL = "awaiting_approval", _("Til godkjenning")
        AWAITING_SIGNATURE = "awaiting_signature", _("Til signering")
        # Signed by every party, but its start date has not come yet.
        SIGNED = "signed", _("Signert")
        ACTIVE = "active", _("Aktiv")
        # Notice is given: still in force until its end date.
        TERMINATED = "terminated", _("Oppsagt")
        ENDED = "ended", _("Avsluttet")
        # A signed amendment took its place (``Agreement.replaces`` on the amendment).
        REPLACED = "replaced", _("Erstattet")
        # Withdrawn before it was signed (the value predates the name).
        CANCELLED = "cancelled", _("Trukket")

    # While the agreement is in one of these, its drafters may change its fields and terms.
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
    # Signed and not over: in force between its start and end dates (``register.coverage``).
    IN_FORCE_STATUSES = frozenset({Status.SIGNED, Status.ACTIVE, Status.TERMINATED})
    # A draft may be withdrawn until it goes to signing.
    WITHDRAWABLE_STATUSES = frozenset(
        {Status.DRAFT, Status.CHANGES_REQUESTED, Status.IN_REVIEW, Status.AWAITING_APPROVAL}
    )
    # Which status may follow which (``lifecycle._move`` refuses anything else).
    TRANSITIONS = {
        Status.DRAFT: {Status.IN_REVIEW, Status.CANCELLED},
        Status.CHANGES_REQUESTED: {Status.IN_REVIEW, Status.CANCELLED},
        Status.IN_REVIEW: {Status.AWAITING_APPROVAL, Status.CHANGES_REQUESTED, Status.CANCELLED},
        Status.AWAITING_APPROVAL: {
            Status.AWAITING_SIGNATURE,
            Status.CHANGES_REQUESTED,
            Status.CANCELLED,
        },
        # Back to approval when a newer document version replaces the approved one.
        Status.AWAITING_SIGNATURE: {
            Status.SIGNED,
            Status.ACTIVE,
            Status.AWAITING_APPROVAL,
            Status.CANCELLED,
        },
        Status.SIGNED: {Status.ACTIVE, Status.TERMINATED, Status.REPLACED},
        Status.ACTIVE: {Status.TERMINATED, Status.ENDED, Status.REPLACED},
        Status.TERMINATED: {Status.ENDED},
        Status.ENDED: set(),
        Status.REPLACED: set(),
        Status.CANCELLED: set(),
    }

    reference = models.CharField(_("referanse"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("tittel"), max_length=200)
    kind = models.CharField(_("avtaletype"), max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    customer = models.ForeignKey(
        "agreements.Organisation",
        verbose_name=_("kunde"),
        on_delete=models.PROTECT,
        related_name="agreements_as_customer",
    )
    provider = models.ForeignKey(
        "agreements.Organisation",
        verbose_name=_("leverandør"),
        on_delete=models.PROTECT,
        related_name="agreements_as_provider",
    )
    # The organisation that manages the agreement commercially (forvalter, requirement 89): it sees
    # the agreement, its legal, privacy and security staff review it when Helse Nord IKT is not a
    # party, and its service managers hear of its deadlines.
    manager = models.ForeignKey(
        "agreements.Organisation",
        verbose_name=_("forvalter"),
        on_delete=models.PROTECT,
        related_name="managed_agreements",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avtaleeier"),
        on_delete=models.PROTECT,
        related_name="owned_agreements",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("overordnet avtale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    applications = models.ManyToManyField(
        "agreements.Application",
        verbose_name=_("applikasjoner"),
        related_name="agreements",
        blank=True,
    )
    requirement = models.ForeignKey(
        "agreements.Requirement",
        verbose_name=_("OD-krav"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    target_date = models.DateField(_("måldato"), null=True, blank=True)
    start_date = models.DateField(_("startdato"), null=True, blank=True)
    end_date = models.DateField(_("sluttdato"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(_("oppsigelsestid (måneder)"), default=3)
    # How far a renewal decision moves the end date (``agreements.renewal``).
    renewal_months = models.PositiveSmallIntegerField(_("fornyelsesperiode (måneder)"), default=12)
    # The agreement this one amends ("Endre avtale"); when this one is signed, that one is
    # replaced. The other way: ``amendments``.
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("endrer avtale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    review_round = models.PositiveSmallIntegerField(_("gjennomgangsrunde"), default=0)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["manager", "status"], name="agreement_manager_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(customer=models.F("provider")),
                name="agreement_parties_differ",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
            ),
        ]
        verbose_name = _("avtale")
        verbose_name_plural = _("avtaler")

    def __str__(self):
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        # The customer manages an agreement unless someone decided otherwise
        # (``lifecycle.do_create_agreement`` looks at the covered applications first).
        if self.manager_id is None:
            self.manager_id = self.customer_id
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_data_processor_agreement(self) -> bool:
        return self.kind == self.Kind.DATA_PROCESSOR

    def parties(self):
        return [self.customer, self.provider]

    def reviewing_organisation(self):
        """The organisation whose legal, privacy and security staff review this agreement.

        Helse Nord IKT carries those functions for the region, so it reviews every agreement it is a
        party to or manages; any other agreement is reviewed by its manager (usually the customer).
        """
        for organisation in (self.manager, self.provider, self.customer):
            if organisation.is_it_provider:
                return organisation
        return self.manager


class ReferenceSequence(models.Model):
    """The last number handed out per year, so references are gap-free and never reused."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)


class AgreementCount(models.Model):
    """How many agreements there are of each (customer, provider, manager, status): the overview
    counts from these few rows instead of every agreement (docs/performance.md).

    Written only by PostgreSQL triggers on the agreements table (migration
    ``0024_agreement_counts``), so every writer keeps it in step: the lifecycle, bulk updates,
    the admin, data migrations and raw SQL. A row whose total falls to 0 is deleted, so an
    organisation has rows exactly while it has agreements. Empty on SQLite, where the overview
    counts the agreements themselves (``followup.overview.counted_by_status``).
    """

    customer = models.ForeignKey(
        "agreements.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    provider = models.ForeignKey(
        "agreements.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    manager = models.ForeignKey(
        "agreements.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Agreement.Status.choices)
    total = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "provider", "manager", "status"],
                name="agreement_count_key",
            )
        ]
