"""Build ``templates/tertialrapport.docx``: ``python -m docs_templates.build_tertial_template``.

The layout follows the report the RHF receives: per requirement its number and text, the
cadence line, «Rapporteringstekst:» with the period's text and the computed figures; the risk
assessments with their measures as an appendix. The committed .docx is the source after that.
"""

from docx import Document
from docx.shared import Pt

from .tertial_report import TEMPLATE_PATH


def build() -> bytes:
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.core_properties.title = "Tertialrapport"
    doc.core_properties.author = "Helse Nord IKT HF"
    doc.add_heading("{{ title }}", 0)
    doc.add_paragraph("Helse Nord IKT HF – rapportering til Helse Nord RHF, {{ period_label }}")
    doc.add_paragraph(
        "Tallene er beregnet fra dataene per {{ as_of }}. Laget {{ generated_date }}."
    )
    doc.add_paragraph("{%p for r in requirements %}")
    doc.add_heading("{{ r.number }} {{ r.title }}", 1)
    doc.add_paragraph("{{ r.text }}")
    doc.add_paragraph().add_run("{{ r.cadence }}").italic = True
    doc.add_paragraph(
        "Status: {{ r.status }}{% if r.deadline %} · Frist: {{ r.deadline }}{% endif %}"
        "{% if r.responsible %} · Ansvarlig: {{ r.responsible }}{% endif %}"
    )
    text = doc.add_paragraph()
    text.add_run("Rapporteringstekst:").bold = True
    text.add_run(" {{ r.reporting_text }}")
    doc.add_paragraph("{%p for line in r.figures %}")
    doc.add_paragraph("{{ line }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("Vedlegg: Risikovurderinger med tiltak (kapittel 13)", 1)
    doc.add_paragraph("{%p if not risk_assessments %}")
    doc.add_paragraph("Ingen risikovurderinger er registrert for perioden.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for ra in risk_assessments %}")
    doc.add_heading("{{ ra.title }} – {{ ra.organisation }}", 2)
    doc.add_paragraph(
        "OD-krav {{ ra.requirement }} · Vurdert {{ ra.assessed_on }} · Sannsynlighet "
        "{{ ra.probability }} × konsekvens {{ ra.consequence }} = risiko {{ ra.risk }} "
        "({{ ra.level }})"
    )
    doc.add_paragraph(
        "Behandlet i styret: {% if ra.board_date %}{{ ra.board_date }}, sak "
        "{{ ra.board_case_number }}{% else %}ikke ennå{% endif %}"
    )
    doc.add_paragraph("{%p for m in ra.measures %}")
    doc.add_paragraph(
        "Tiltak: {{ m.description }} – ansvarlig {{ m.owner }}, frist {{ m.due_date }}, "
        "{{ m.status }}",
        style="List Bullet",
    )
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(TEMPLATE_PATH)
    return TEMPLATE_PATH.read_bytes()


if __name__ == "__main__":
    build()
    print(TEMPLATE_PATH)
