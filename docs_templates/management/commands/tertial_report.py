"""Write the tertial report: ``manage.py tertial_report 2022 2 --out rapport.docx [--pdf]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from docs_templates.pdf import PdfConversionError
from docs_templates.rendering import TemplateRejected
from docs_templates.tertial_report import render_tertial_report


class Command(BaseCommand):
    help = "Write the tertial report to Helse Nord RHF as Word (and optionally PDF)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("tertial", type=int, choices=[1, 2, 3])
        parser.add_argument("--out", required=True, help="where to write the .docx")
        parser.add_argument("--pdf", action="store_true", help="also write a PDF beside it")

    def handle(self, year, tertial, out, pdf, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"Året {year} er utenfor det som kan rapporteres.")
        try:
            docx, pdf_bytes = render_tertial_report(year, tertial, pdf=pdf)
        except (TemplateRejected, PdfConversionError) as exc:
            raise CommandError("; ".join(getattr(exc, "errors", None) or [str(exc)])) from exc
        target = Path(out)
        target.write_bytes(docx)
        self.stdout.write(str(target))
        if pdf_bytes is not None:
            target.with_suffix(".pdf").write_bytes(pdf_bytes)
            self.stdout.write(str(target.with_suffix(".pdf")))
