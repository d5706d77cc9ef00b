"""Build ``templates/brev_applikasjoner_uten_avtale.docx``, the letter to Helse Nord RHF listing
the applications without a current supplier agreement (OD requirement 93), with python-docx.

Run ``python -m docs_templates.build_letter``. As with the agreement templates, the committed
.docx is the source once someone has edited it in Word; the variables are those of
``docs_templates.letters.uncovered_letter_context``.
"""

from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

LETTER_PATH = Path(__file__).resolve().parent / "templates" / "brev_applikasjoner_uten_avtale.docx"


def _loop_table(document, headers, loop, cells, widths):
    """A table: a header row, then docxtpl ``{%tr %}`` rows repeating ``cells`` per item."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    table.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def build(path: Path = LETTER_PATH) -> Path:
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    document.add_paragraph("Helse Nord IKT HF")
    document.add_paragraph("Til: Helse Nord RHF")
    document.add_paragraph("Dato: {{ dato|dato }}")
    document.add_heading(
        "Applikasjoner uten identifisert gjeldende leverandøravtale (OD-krav 93)", level=1
    )
    document.add_paragraph(
        "Oppdragsdokumentet ber helseforetakene sende Helse Nord RHF en oversikt over "
        "applikasjoner der det ikke er identifisert gjeldende leverandøravtale. Per "
        "{{ dato|dato }} er {{ antall_registrert }} applikasjoner registrert i "
        "eiendelsforvaltningen. For {{ antall_uten_avtale }} av dem er det ikke identifisert "
        "gjeldende leverandøravtale, og for {{ antall_utloper_snart }} utløper den eneste "
        "gjeldende avtalen innen seks måneder."
    )
    document.add_heading("Per helseforetak", level=2)
    _loop_table(
        document,
        ["Helseforetak", "Applikasjoner uten avtale"],
        "linje in helseforetak",
        ["{{ linje.navn }}", "{{ linje.antall }}"],
        [11, 5],
    )
    document.add_heading("Hva som mangler", level=2)
    _loop_table(
        document,
        ["Årsak", "Antall"],
        "grunn in grunner",
        ["{{ grunn.tekst }}", "{{ grunn.antall }}"],
        [11, 5],
    )
    document.add_heading("Applikasjonene", level=2)
    _loop_table(
        document,
        ["Applikasjon", "Leverandør", "Brukes av", "Mangler"],
        "app in applikasjoner",
        ["{{ app.navn }}", "{{ app.leverandor }}", "{{ app.brukes_av }}", "{{ app.mangler }}"],
        [4.5, 4, 4, 4],
    )
    document.add_paragraph("")
    document.add_paragraph("Med vennlig hilsen")
    document.add_paragraph("{{ avsender }}")
    document.add_paragraph("Helse Nord IKT HF")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


if __name__ == "__main__":
    print(build())
