"""The tertial report to Helse Nord RHF as a Word document (and PDF).

``agreements.followup.report`` gathers the data; this module turns it into the plain context of
``tertialrapport.docx`` and renders it in the same sandbox as the agreement templates. The
template is checked like an uploaded agreement template: package, Jinja syntax, only known
variables, and a trial rendering with an example context.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone
from jinja2 import meta
from jinja2.exceptions import TemplateSyntaxError

from agreements.followup.progress import Figures
from agreements.followup.report import TertialReport, build_tertial_report

from .package import package_errors
from .pdf import docx_to_pdf
from .rendering import (
    TemplateRejected,
    describe_template_error,
    format_number,
    make_environment,
    render_docx,
    template_sources,
)

TEMPLATE_PATH = Path(__file__).resolve().parent / "templates" / "tertialrapport.docx"

CONTEXT_NAMES = frozenset(
    {"title", "period_label", "year", "as_of", "generated_date", "requirements", "risk_assessments"}
)


def _row_line(row) -> str:
    share = f" ({format_number(row.share)} %)" if row.share is not None else ""
    return f"{row.label}: {row.done} av {row.total}{share}"


def figure_lines(figures: Figures | None, not_done: list[str], more: int) -> list[str]:
    """The computed figures of one requirement as lines of text."""
    if figures is None:
        return []
    lines = [f"{figures.heading} per {figures.as_of:%d.%m.%Y}:"]
    lines += [_row_line(row) for row in [*figures.rows, figures.total]]
    lines += figures.notes
    if not_done:
        lines.append("Ikke i kraft ennå: " + "; ".join(not_done))
    if more:
        lines.append(f"… og {more} avtaler til.")
    return lines


def report_context(report: TertialReport, today: date | None = None) -> dict[str, Any]:
    """The template context of ``report``: dicts, lists, strings and dates only."""
    return {
        "title": f"Tertialrapport {report.period_label}",
        "period_label": report.period_label,
        "year": report.year,
        "as_of": report.as_of,
        "generated_date": today or timezone.localdate(),
        "requirements": [
            {
                "number": part.requirement.number,
                "title": part.requirement.title,
                "text": part.requirement.text,
                "cadence": part.requirement.cadence,
                "status": part.requirement.get_status_display(),
                "deadline": part.requirement.deadline,
                "responsible": str(part.requirement.responsible or ""),
                "reporting_text": part.reporting_text,
                "figures": figure_lines(part.figures, part.not_done, part.not_done_more),
            }
            for part in report.requirements
        ],
        "risk_assessments": [_risk(r) for r in report.risk_assessments],
    }


def _risk(assessment) -> dict[str, Any]:
    return {
        "title": assessment.title,
        "organisation": assessment.organisation.name,
        "requirement": assessment.requirement.number,
        "assessed_on": assessment.assessed_on,
        "probability": assessment.probability,
        "consequence": assessment.consequence,
        "risk": assessment.risk,
        "level": str(assessment.level.label),
        "board_date": assessment.board_date,
        "board_case_number": assessment.board_case_number,
        "measures": [
            {
                "description": m.description,
                "owner": m.owner,
                "due_date": m.due_date,
                "status": m.get_status_display(),
            }
            for m in assessment.measures.all()
        ],
    }


def example_context() -> dict[str, Any]:
    """A filled-in context every version of the template must render with."""
    return {
        "title": "Tertialrapport 2. tertial 2022",
        "period_label": "2. tertial 2022",
        "year": 2022,
        "as_of": date(2022, 8, 31),
        "generated_date": date(2022, 9, 5),
        "requirements": [
            {
                "number": 88,
                "title": "Oppdaterte avtaler",
                "text": "Ferdigstille oppdatering av avtaler.",
                "cadence": "Alle tertialrapporter og årlig melding",
                "status": "I rute",
                "deadline": date(2022, 10, 1),
                "responsible": "Ivar Tjeneste",
                "reporting_text": "Arbeidet går etter planen.",
                "figures": ["Tjenesteavtale: 5 av 8 (62,5 %)"],
            }
        ],
        "risk_assessments": [
            {
                "title": "Forsinket hoveddriftsavtale",
                "organisation": "Universitetssykehuset Nord-Norge HF",
                "requirement": 88,
                "assessed_on": date(2022, 5, 2),
                "probability": 3,
                "consequence": 4,
                "risk": 12,
                "level": "Middels",
                "board_date": date(2022, 6, 15),
                "board_case_number": "45/2022",
                "measures": [
                    {
                        "description": "Ukentlige forhandlingsmøter",
                        "owner": "Ivar Tjeneste",
                        "due_date": date(2022, 9, 1),
                        "status": "Pågår",
                    }
                ],
            }
        ],
    }


def validate_report_template(template_bytes: bytes) -> list[str]:
    """Norwegian messages for everything wrong with a tertial report template (empty: usable)."""
    errors = package_errors(template_bytes, "tertialrapport.docx")
    if errors:
        return errors
    env = make_environment()
    for source in template_sources(template_bytes):
        try:
            tree = env.parse(source.text)
            env.compile(source.text)
        except TemplateSyntaxError as exc:
            errors.append(describe_template_error(exc, source))
            continue
        for name in sorted(meta.find_undeclared_variables(tree) - CONTEXT_NAMES):
            errors.append(f"Ukjent variabel «{name}» i malen.")
    if errors:
        return errors
    try:
        render_docx(template_bytes, example_context())
    except TemplateRejected as exc:
        return exc.errors
    return []


def render_tertial_report(
    year: int, period: int, *, pdf: bool = False
) -> tuple[bytes, bytes | None]:
    """The report of ``period`` of ``year`` as .docx bytes, and as PDF when ``pdf``.

    Raises ``TemplateRejected`` if the template fails its checks, ``PdfConversionError`` if
    LibreOffice cannot make the PDF.
    """
    template = TEMPLATE_PATH.read_bytes()
    problems = validate_report_template(template)
    if problems:
        raise TemplateRejected(problems)
    docx = render_docx(template, report_context(build_tertial_report(year, period)))
    return docx, docx_to_pdf(docx) if pdf else None
