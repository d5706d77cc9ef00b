"""Deadlines, the rules that remind people of them, and the ledger of reminders sent.

A deadline is a row with its due moment in an indexed column; the reminder sweep
(``agreements.reminders.do_sweep_reminders``, run by the beat task ``worker.sweep_reminders``)
reads ``next_reminder_at`` through a partial index on open rows, so its cost follows what is due,
not what is stored.
"""

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..dates import WorkingCalendar, clamp_to_allowed_range

OSLO = ZoneInfo("Europe/Oslo")


class Deadline(models.Model):
    """One deadline of an agreement or of one of its workflow tasks, or a delivery an OD
    requirement asks Helse Nord IKT to send to the RHF (exactly one of the two is set)."""

    class Kind(models.TextChoices):
        TASK_DUE = "task_due", _("Oppgavefrist")
        TARGET_DATE = "target_date", _("Måldato")
        NOTICE_DATE = "notice_date", _("Oppsigelsesfrist")
        END_DATE = "end_date", _("Sluttdato")
        REVISION_DATE = "revision_date", _("Årlig revisjon")
        REQUIREMENT_DELIVERY = "requirement_delivery", _("Leveranse til Helse Nord RHF")

    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("avtale"),
        on_delete=models.CASCADE,
        related_name="deadlines",
        null=True,
        blank=True,
    )
    requirement = models.ForeignKey(
        "agreements.Requirement",
        verbose_name=_("OD-krav"),
        on_delete=models.CASCADE,
        related_name="deadlines",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # The viewflow task's id; no foreign key, because agreements does not depend on workflows.
    task_id = models.BigIntegerField(_("oppgave-id"), null=True, blank=True, unique=True)
    title = models.CharField(_("tittel"), max_length=200, blank=True)
    # Who has the task now; empty while it waits unclaimed in a queue.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("frist"))
    # The moment the deadline is passed: the start of the day after ``due_date`` in Oslo. Indexed
    # for the "overdue" filters of the inbox and the agreement list.
    due_at = models.DateTimeField(_("forfaller"), db_index=True)
    # The next moment a reminder rule fires for this deadline; read by the reminder sweep
    # (worker.sweep_reminders) through the partial index ``deadline_open_next_reminder``.
    next_reminder_at = models.DateTimeField(_("neste påminnelse"), null=True, blank=True)
    # Reminders whose moment lies before this are not sent: they were due before the deadline
    # existed or before its date last changed.
    scheduled_from = models.DateTimeField(_("planlagt fra"))
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["next_reminder_at"],
                name="deadline_open_next_reminder",
                condition=models.Q(closed_at__isnull=True, next_reminder_at__isnull=False),
            ),
            models.Index(
                fields=["agreement", "due_at"],
                name="deadline_open_by_agreement",
                condition=models.Q(closed_at__isnull=True),
            ),
        ]
        constraints = [
            # An agreement has at most one open deadline of each agreement-level kind.
            models.UniqueConstraint(
                fields=["agreement", "kind"],
                condition=models.Q(closed_at__isnull=True, task_id__isnull=True),
                name="deadline_one_open_per_agreement_kind",
            ),
            models.UniqueConstraint(
                fields=["requirement", "kind"],
                condition=models.Q(closed_at__isnull=True),
                name="deadline_one_open_per_requirement_kind",
            ),
            # A deadline belongs to an agreement or to a requirement, never both, never neither.
            models.CheckConstraint(
                condition=models.Q(agreement__isnull=False, requirement__isnull=True)
                | models.Q(agreement__isnull=True, requirement__isnull=False),
                name="deadline_agreement_xor_requirement",
            ),
        ]
        verbose_name = _("frist")
        verbose_name_plural = _("frister")

    def __str__(self):
        return f"{self.display_title} {self.due_date:%d.%m.%Y}"

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_kind_display())

    @property
    def subject(self):
        """What the deadline belongs to: the agreement or the requirement (both have a
        ``reference`` and a ``title``)."""
        return self.agreement if self.agreement_id else self.requirement

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and now >= self.due_at

    def working_days_left(self, today: date, calendar: WorkingCalendar) -> int:
        """Working days from ``today`` to the due date: 0 on the day, negative when overdue.

        One rule for the inbox and the emails: a deadline is due at the end of the day typed,
        working day or not. Before it, the working days left include today; after it, the working
        days overdue are those after the due date up to and including today, and never fewer
        than one (Sunday after a Saturday deadline is already overdue, as the inbox says).
        A due date outside the allowed dates (a row from before they were checked) is counted to
        the nearer end of that range, so an inbox still shows the row instead of failing.
        """
        due = clamp_to_allowed_range(self.due_date)
        if today <= due:
            return calendar.working_days_between(today, due)
        late = calendar.working_days_between(due + timedelta(days=1), today)
        late += 1 if calendar.is_working_day(today) else 0
        return -max(1, late)


def due_moment(due_date: date) -> datetime:
    """The moment a deadline on ``due_date`` is passed: midnight after it, Oslo time."""
    return datetime.combine(due_date + timedelta(days=1), time(0), tzinfo=OSLO)


class ReminderRule(models.Model):
    """When, relative to a kind of deadline, whom to remind. Edited in the admin."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("arbeidsdager")
        DAYS = "days", _("kalenderdager")

    class Audience(models.TextChoices):
        ASSIGNEE = "assignee", _("Den som har oppgaven (eller alle som kan ta den)")
        OWNER = "owner", _("Avtaleeieren")
        OWNER_APPROVER = "owner_approver", _("Godkjenner i avtaleeierens organisasjon")
        SERVICE_MANAGERS = "service_managers", _("Tjenesteansvarlige i Helse Nord IKT")

    name = models.CharField(_("navn"), max_length=100)
    deadline_kind = models.CharField(
        _("fristtype"), max_length=20, choices=Deadline.Kind.choices, db_index=True
    )
    offset = models.SmallIntegerField(
        _("forskyvning"), help_text=_("Negativt før fristen, 0 på dagen, positivt etter.")
    )
    unit = models.CharField(
        _("enhet"), max_length=20, choices=Unit.choices, default=Unit.WORKING_DAYS
    )
    repeat_every = models.PositiveSmallIntegerField(
        _("gjenta hver"),
        null=True,
        blank=True,
        help_text=_("Gjenta med dette mellomrommet så lenge fristen er åpen; tomt betyr én gang."),
    )
    audience = models.CharField(_("mottaker"), max_length=20, choices=Audience.choices)
    is_escalation = models.BooleanField(_("eskalering"), default=False)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["deadline_kind", "offset"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(repeat_every__isnull=True) | models.Q(repeat_every__gt=0),
                name="reminder_rule_repeat_positive",
            ),
        ]
        verbose_name = _("påminnelsesregel")
        verbose_name_plural = _("påminnelsesregler")

    def __str__(self):
        return self.name

    def _shift(self, due: date, offset: int, calendar: WorkingCalendar) -> date:
        """The reminder day: always a working day, and never later than promised.

        A deadline is due at the end of the day typed; on a weekend or holiday the "on the day"
        reminder goes out on the last working day before it, and "n working days overdue" counts
        from that day (Saturday's deadline is 1 working day overdue on Monday).
        """
        last_before = calendar.add_working_days(due + timedelta(days=1), -1)
        if self.unit == self.Unit.WORKING_DAYS:
            if offset < 0:
                return calendar.add_working_days(due, offset)
            return calendar.add_working_days(last_before, offset)
        day = due + timedelta(days=offset)
        if offset <= 0:
            return calendar.add_working_days(day + timedelta(days=1), -1)
        return calendar.next_working_day(day)

    def occurrences_near(self, due: date, today: date, calendar: WorkingCalendar) -> list[date]:
        """The reminder dates around ``today``: every one a sweep on ``today`` may need.

        A one-off rule has one date. A repeating rule has infinitely many; this returns the
        one or two before ``today`` and the two after, enough to find both the latest date that
        has come and the next one to come.
        """
        if not self.repeat_every:
            return [self._shift(due, self.offset, calendar)]
        if self.unit == self.Unit.WORKING_DAYS:
            span = calendar.working_days_between(due, today)
        else:
            span = (today - due).days
        k = max(0, (span - self.offset) // self.repeat_every)
        return [
            self._shift(due, self.offset + i * self.repeat_every, calendar)
            for i in range(max(0, k - 1), k + 3)
        ]


def reminder_moment(day: date) -> datetime:
    """When reminders for ``day`` go out: ``REMINDER_HOUR`` o'clock Oslo time."""
    return datetime.combine(day, time(settings.REMINDER_HOUR), tzinfo=OSLO)


class ReminderDelivery(models.Model):
    """One reminder to one person about one deadline: the ledger that makes sending exactly-once.

    The unique constraint on (deadline, rule, occurrence, addressee) means a second sweep, a
    second beat or a retried task cannot create a second row; the send task sends only rows it
    holds locked and marks them sent in the same transaction.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter")
        # Committed just before the message body goes to the server: a row left here by a dead
        # worker may have been delivered, so it is resent once with the same Message-ID.
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Feilet midlertidig, prøves igjen")
        # The connection broke after the whole message was sent: the server may have it.
        UNKNOWN = "unknown", _("Ukjent utfall")
        # Found "sending" after a crash, or "unknown" the first time: goes out once more with
        # the same Message-ID.
        RESEND = "resend", _("Sendes på nytt med samme Message-ID")
        BOUNCED = "bounced", _("Avvist av e-postserveren (permanent)")
        DEAD = "dead", _("Gitt opp etter for mange forsøk")
        UNDELIVERABLE = "undeliverable", _("Ikke sendt: mangler gyldig e-postadresse")
        CANCELLED = "cancelled", _("Ikke sendt: fristen er lukket eller mottakeren deaktivert")

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("frist"), on_delete=models.CASCADE, related_name="deliveries"
    )
    rule = models.ForeignKey(
        ReminderRule, verbose_name=_("regel"), on_delete=models.PROTECT, related_name="deliveries"
    )
    # The reminder date of this occurrence of the rule (ISO), e.g. "2022-10-05".
    occurrence = models.CharField(_("forekomst"), max_length=20)
    # Whom the reminder is about (the assignee, owner or approver) ...
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gjelder"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # ... and who gets the email: the addressee, or their substitute while they are away.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottaker"),
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    sweep = models.UUIDField(_("sveip"), default=uuid.uuid4, db_index=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    last_attempt_at = models.DateTimeField(_("siste forsøk"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    last_error = models.TextField(_("siste feil"), blank=True)
    # The digest that carries (or carried) this row; a resend after an unknown outcome or a crash
    # keeps it, so the receiving side can recognise the duplicate.
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True, db_index=True)
    # Set when the row went out a second time with the same Message-ID.
    resent_at = models.DateTimeField(_("sendt på nytt"), null=True, blank=True)
    # Not before this moment (a weekly digest waits for Monday).
    send_after = models.DateTimeField(_("sendes tidligst"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The send task and the stale re-enqueue job look up unsent rows per recipient.
            models.Index(
                fields=["recipient", "created_at"],
                name="delivery_unsent_by_recipient",
                condition=models.Q(status__in=["pending", "failed", "resend"]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "rule", "occurrence", "addressee"],
                name="delivery_once_per_occurrence",
            ),
        ]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")

    def __str__(self):
        return f"{self.rule} → {self.recipient} ({self.occurrence})"

    @property
    def reminder_date(self) -> date:
        return date.fromisoformat(self.occurrence)
