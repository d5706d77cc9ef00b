"""An application's history as lines a person reads: when, who, what changed."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from ..models import Application, ApplicationUse

# How many changes the application page shows; the admin keeps the rest.
HISTORY_LIMIT = 50


@dataclass
class HistoryLine:
    at: datetime
    user: object
    text: str


def history_lines(application: Application) -> list[HistoryLine]:
    """The latest changes to the application and to its uses, newest first."""
    records = list(
        application.history.select_related("history_user").order_by("-history_date")[
            : HISTORY_LIMIT + 1
        ]
    )
    lines = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        if len(lines) == HISTORY_LIMIT:
            break
        if previous is None or record.history_type == "+":
            text = _("Registrert") if record.history_type == "+" else _("Endret")
        else:
            changed = record.diff_against(previous).changed_fields
            labels = [str(Application._meta.get_field(name).verbose_name) for name in changed]
            text = _("Endret: %(fields)s") % {"fields": ", ".join(labels) or "–"}
        lines.append(HistoryLine(record.history_date, record.history_user, text))
    uses = ApplicationUse.history.filter(application_id=application.pk).select_related(
        "history_user", "organisation"
    )
    verbs = {
        "+": _("Tatt i bruk av %(trust)s"),
        "~": _("Systemeier endret for %(trust)s"),
        "-": _("Ikke lenger i bruk hos %(trust)s"),
    }
    for record in uses.order_by("-history_date")[:HISTORY_LIMIT]:
        text = verbs[record.history_type] % {"trust": record.organisation.display_name}
        lines.append(HistoryLine(record.history_date, record.history_user, text))
    lines.sort(key=lambda line: line.at, reverse=True)
    return lines[:HISTORY_LIMIT]
