"""Letters generated from the register: the requirement-93 overview to Helse Nord RHF.

The letter is rendered from a Word template through the same sandboxed renderer as the
agreements (``rendering.render_docx``); its context holds plain values only.
"""

from datetime import date
from pathlib import Path

from django.db.models import QuerySet

from agreements.models import Application, User
from agreements.register import report
from agreements.register.coverage import Gap, uncovered

from .rendering import render_docx

# Built once by scripts/build_letter.py; the committed file is the source after Word edits.
LETTER_PATH = Path(__file__).resolve().parent / "templates" / "brev_applikasjoner_uten_avtale.docx"


def uncovered_letter_context(applications: QuerySet[Application], today: date, sender: User):
    """What the letter says about ``applications`` on ``today``, signed by ``sender``."""
    summary = report.summarise(applications, today)
    rows = report.listed(uncovered(applications, today))
    return {
        "dato": today,
        "avsender": str(sender),
        "antall_registrert": applications.count(),
        "antall_uten_avtale": summary.total,
        "antall_utloper_snart": summary.ending_soon,
        "helseforetak": [
            {
                "navn": line.organisation.name if line.organisation else "Ikke knyttet til HF",
                "antall": line.total,
            }
            for line in summary.lines
        ],
        "grunner": [
            {"tekst": str(label), "antall": summary.by_gap.get(gap, 0)}
            for gap, label in Gap.LABELS.items()
            if summary.by_gap.get(gap)
        ],
        "applikasjoner": [
            {
                "navn": app.name,
                "leverandor": app.supplier.name if app.supplier else "",
                "brukes_av": ", ".join(u.organisation.display_name for u in app.uses.all()),
                "mangler": str(Gap.LABELS[app.coverage_gap]),
            }
            for app in rows.iterator(chunk_size=2000)
        ],
    }


def render_uncovered_letter(applications: QuerySet[Application], today: date, sender: User):
    """The letter as .docx bytes. Raises ``rendering.TemplateRejected`` if the template fails."""
    context = uncovered_letter_context(applications, today, sender)
    return render_docx(LETTER_PATH.read_bytes(), context)
