"""``manage.py reminders [--dry-run] [--at 2026-12-01T08:00]``: run or preview a reminder sweep."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agreements import reminders
from agreements.dates import EARLIEST_DATE, LATEST_DATE, in_allowed_range

OSLO = ZoneInfo("Europe/Oslo")


class Command(BaseCommand):
    help = (
        "Kjør en påminnelsessveip nå, eller vis med --dry-run hvilke påminnelser som ville gått ut "
        "(én linje per påminnelse: mottaker, frist, regel) uten å skrive noe."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis, men skriv og send ingenting."
        )
        parser.add_argument(
            "--at", help="Tidspunkt (Europe/Oslo hvis uten tidssone), f.eks. 2026-12-01T08:00."
        )

    def handle(self, *args, dry_run=False, at=None, **options):
        now = self._parse_at(at) if at else timezone.now()
        if dry_run:
            planned = reminders.preview_reminders(now)
            for d in planned:
                self.stdout.write(
                    f"{d.recipient.username} <{d.recipient.email}>\t"
                    f"{d.deadline.subject.reference} {d.deadline.display_title} "
                    f"{d.deadline.due_date:%Y-%m-%d}\t{d.rule.name}"
                    + (
                        f"\t(for {d.addressee.username})"
                        if d.addressee_id != d.recipient_id
                        else ""
                    )
                )
            self.stderr.write(
                f"{len(planned)} påminnelser ville blitt sendt ({now:%Y-%m-%d %H:%M %Z})."
            )
            return
        result = reminders.do_sweep_reminders(now)
        self.stdout.write(
            f"{result.deliveries} påminnelser til {len(result.recipient_ids)} mottakere lagt i kø."
        )

    @staticmethod
    def _parse_at(value: str) -> datetime:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError(
                f"--at: ugyldig tidspunkt {value!r}; bruk f.eks. 2026-12-01T08:00"
            ) from None
        # The date as written: converting a moment at the very edge of the calendar to Oslo time
        # could overflow it.
        if not in_allowed_range(moment.date()):
            first, last = f"{EARLIEST_DATE:%d.%m.%Y}", f"{LATEST_DATE:%d.%m.%Y}"
            raise CommandError(f"--at: velg et tidspunkt mellom {first} og {last}.")
        return moment if moment.tzinfo else moment.replace(tzinfo=OSLO)
