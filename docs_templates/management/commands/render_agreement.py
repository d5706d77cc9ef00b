"""Render one agreement's document to a file: ``manage.py render_agreement <ref> --out f.docx [--pdf]``.

Writes only the output file(s); no document version is recorded (use the agreement page or the
workflow for a version that can be signed).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Agreement
from agreements.permissions import is_plausible_reference
from docs_templates.generation import render_agreement
from docs_templates.pdf import PdfConversionError
from docs_templates.rendering import TemplateRejected


class Command(BaseCommand):
    help = "Render an agreement's Word document (and optionally a PDF) with its active template."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("--out", required=True, help="where to write the .docx")
        parser.add_argument("--pdf", action="store_true", help="also write a PDF beside it")

    def handle(self, reference, out, pdf, **options):
        agreement = (
            Agreement.objects.filter(reference=reference).first()
            if is_plausible_reference(reference)
            else None
        )
        if agreement is None:
            raise CommandError(f"Fant ingen avtale med referanse {reference}.")
        try:
            docx, pdf_bytes, template = render_agreement(agreement, pdf=pdf)
        except (TemplateRejected, PdfConversionError) as exc:
            raise CommandError("; ".join(getattr(exc, "errors", None) or [str(exc)])) from exc
        target = Path(out)
        target.write_bytes(docx)
        self.stdout.write(f"{target} ({template})")
        if pdf_bytes is not None:
            pdf_path = target.with_suffix(".pdf")
            pdf_path.write_bytes(pdf_bytes)
            self.stdout.write(str(pdf_path))
