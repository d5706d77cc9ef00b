"""The audit trail of one agreement as CSV, for archiving and inspection."""

import csv
import io

from django.utils import timezone

from .models import Agreement

HEADER = ["tidspunkt", "hendelse", "utført av", "fra status", "til status", "melding"]

# Spreadsheet programs run cells that start with these as formulas (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def audit_csv(agreement: Agreement) -> str:
    """Every audit event of ``agreement``, oldest first, times in Europe/Oslo."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for event in agreement.audit_events.select_related("actor").order_by("at", "pk"):
        writer.writerow(
            [
                _cell(timezone.localtime(event.at).isoformat(timespec="seconds")),
                _cell(event.get_action_display()),
                _cell(event.actor.username if event.actor else "system"),
                _cell(event.from_status),
                _cell(event.to_status),
                _cell(event.message),
            ]
        )
    return out.getvalue()
