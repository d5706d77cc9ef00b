from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..roles import Role


class User(AbstractUser):
    """A person working for one organisation; roles are groups named after ``Role`` values."""

    organisation = models.ForeignKey(
        "agreements.Organisation",
        verbose_name=_("organisasjon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    language = models.CharField(
        _("språk"), max_length=5, choices=[("nb", "Norsk bokmål"), ("en", "English")], default="nb"
    )
    # While away, reminders go to the substitute, who may also see and do this user's tasks.
    substitute = models.ForeignKey(
        "self",
        verbose_name=_("stedfortreder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substituting_for",
    )
    away_until = models.DateField(
        _("borte til og med"),
        null=True,
        blank=True,
        help_text=_("Påminnelser og oppgaver går til stedfortrederen til og med denne datoen."),
    )

    class ReminderFrequency(models.TextChoices):
        DAILY = "daily", _("Samlet e-post hver dag det er noe å minne om")
        WEEKLY = "weekly", _("Samlet e-post én gang i uken (mandag)")
        OVERDUE_ONLY = "overdue_only", _("Bare frister som er på overtid")

    reminder_frequency = models.CharField(
        _("påminnelser"),
        max_length=20,
        choices=ReminderFrequency.choices,
        default=ReminderFrequency.DAILY,
    )
    # Set when a reminder could not be sent because the address is empty or invalid.
    email_undeliverable_at = models.DateTimeField(
        _("e-postadresse ubrukelig siden"), null=True, blank=True
    )
    # The identity provider's stable subject (``sub`` or ``oid``) of a user who signs in with
    # single sign-on; matched on this, never on a display name that can change.
    oidc_subject = models.CharField(
        _("SSO-identitet"), max_length=255, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    def __str__(self):
        return self.get_full_name() or self.username

    def role_names(self) -> frozenset[str]:
        """The user's roles, cached on the instance (a request asks many times)."""
        cached = getattr(self, "_role_names", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True))
            self._role_names = cached
        return cached

    def keep_role_names(self, names) -> None:
        """Let ``role_names`` answer from ``names``, read with another query."""
        self._role_names = frozenset(names)

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names()

    def is_away(self, today: date) -> bool:
        return self.away_until is not None and today <= self.away_until

    def present_stand_in(self, today: date) -> "User | None":
        """Who receives this user's reminders on ``today``: the user when present, else the first
        present person down the substitute chain (A away -> B away -> C). ``None`` when the chain
        ends at nobody present (a loop A <-> B, a missing or deactivated substitute)."""
        person, seen = self, set()
        while person.pk not in seen:
            if person.is_active and not person.is_away(today):
                return person
            seen.add(person.pk)
            if not person.substitute_id:
                return None
            person = person.substitute
        return None

    def reminder_stand_in(self, today: date) -> "User | None":
        """Who acts for this user on ``today``: down the substitute chain to someone present, and
        where that chain ends at nobody, a present approver of the user's organisation.
        ``None`` only when the organisation has no approver present."""
        found = self.present_stand_in(today)
        if found is not None or not self.is_active:
            return found
        approvers = (
            User.objects.filter(
                organisation_id=self.organisation_id, groups__name=Role.APPROVER, is_active=True
            )
            .exclude(pk=self.pk)
            .order_by("pk")
        )
        return next((a for a in approvers if not a.is_away(today)), None)

    @property
    def sees_everything(self) -> bool:
        """Administrators see every organisation's agreements (DESIGN.md: Permissions)."""
        return self.is_superuser or self.has_role(Role.ADMINISTRATOR)
