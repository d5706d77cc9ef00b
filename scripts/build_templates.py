"""Build the Norwegian Word templates in ``docs_templates/templates/`` with python-docx.

Run ``python -m scripts.build_templates [directory]`` to regenerate them (it needs python-docx,
not Django). The .docx files are committed: they are what a jurist opens in Word and edits
later, so after such an edit the file, not this script, is the source. The script records how
the first versions were made; it is not part of the running application.

Templates use docxtpl's Jinja syntax and only the variables of ``docs_templates.schema``:
``{{ customer.name }}`` in text, ``{%p for ... %}`` paragraphs for repeated paragraphs and
``{%tr for ... %}`` rows for tables with one row per item. Headings use Word's heading styles
with the clause number written out ("4 Databehandlers plikter"); the footer holds the
reference and "Side X av Y" as real PAGE/NUMPAGES fields.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from scripts.docx_weight import lighten

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "docs_templates" / "templates"

PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN = Cm(2.5)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"


class AgreementWriter:
    """A python-docx document with the house style and helpers for agreement text."""

    def __init__(self, document_title: str):
        self.doc = Document()
        self._set_up_page()
        self._set_up_styles()
        props = self.doc.core_properties
        props.title = document_title
        props.author = "Helse Nord IKT HF"
        props.comments = ""
        props.subject = ""
        props.language = "nb-NO"
        props.keywords = "avtalemal"

    # Page and styles

    def _set_up_page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = Cm(2.2)
        section.bottom_margin = Cm(2.2)
        section.footer_distance = Cm(1.0)

    def _set_up_styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.1
        rpr = normal.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "nb-NO")
        lang.set(qn("w:eastAsia"), "nb-NO")
        lang.set(qn("w:bidi"), "ar-SA")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
        for name, size, before in (("Heading 1", 14, 18), ("Heading 2", 12, 12)):
            style = styles[name]
            style.font.name = "Calibri"
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.color.rgb = ACCENT
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.keep_with_next = True
        title = styles["Title"]
        title.font.name = "Calibri"
        title.font.size = Pt(28)
        title.font.color.rgb = ACCENT
        subtitle = styles["Subtitle"]
        subtitle.font.name = "Calibri"
        subtitle.font.size = Pt(14)
        subtitle.font.color.rgb = MUTED

    # Text

    def heading(self, text: str, level: int = 1, *, new_page: bool = False):
        paragraph = self.doc.add_heading(text, level=level)
        paragraph.paragraph_format.page_break_before = new_page
        return paragraph

    def clause(self, number: str, title: str, *, new_page: bool = False):
        """A numbered clause heading: ``clause("4", "Databehandlers plikter")``."""
        return self.heading(f"{number} {title}".strip(), 1, new_page=new_page)

    def subclause(self, number: str, title: str):
        return self.heading(f"{number} {title}", 2)

    def para(
        self,
        text: str = "",
        *,
        lead: str | None = None,
        style: str | None = None,
        align=None,
        bold: bool = False,
        size: int | None = None,
        color=None,
    ):
        """Add a paragraph; ``lead`` is a bold opening phrase ("Instrukser.") before ``text``."""
        paragraph = self.doc.add_paragraph(style=style)
        if lead:
            paragraph.add_run(lead + " ").bold = True
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def numbered(self, number: str, text: str):
        """A numbered sub-paragraph, "9.2 Avtalen kan sies opp ...", with a hanging indent."""
        paragraph = self.para(f"{number}\t{text}")
        self._hang(paragraph, Cm(1.0))
        return paragraph

    def lettered(self, letter: str, lead: str, text: str):
        """A lettered item, "a) Instrukser: ...", as in GDPR art. 28 nr. 3."""
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(f"{letter})\t")
        paragraph.add_run(lead + ":").bold = True
        paragraph.add_run(" " + text)
        self._hang(paragraph, Cm(1.0))
        return paragraph

    @staticmethod
    def _hang(paragraph, indent) -> None:
        paragraph.paragraph_format.left_indent = indent
        paragraph.paragraph_format.first_line_indent = -indent
        paragraph.paragraph_format.tab_stops.add_tab_stop(indent)

    def tag(self, jinja: str):
        """A paragraph holding only a docxtpl paragraph tag ("{%p if x %}"); docxtpl removes it."""
        return self.doc.add_paragraph(jinja)

    def bullet_loop(self, var: str, items: str, text: str | None = None):
        """One bullet paragraph per item of ``items``."""
        self.tag(f"{{%p for {var} in {items} %}}")
        self.doc.add_paragraph(text or f"{{{{ {var} }}}}", style="List Bullet")
        self.tag("{%p endfor %}")

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # Tables

    def _table(self, columns: int, widths: Sequence[float] | None):
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        self._widths = widths or [TEXT_WIDTH.cm / columns] * columns
        return table

    def _row(self, table, values: Sequence[str], *, header: bool = False, bold_first=False):
        row = table.add_row()
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            cell.width = Cm(self._widths[index])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(2)
            run = paragraph.add_run(value)
            if header or (bold_first and index == 0):
                run.bold = True
            if header:
                _shade(cell, HEADER_FILL)
        if header:
            _repeat_as_header(row)
        return row

    def loop_table(
        self,
        headers: Sequence[str],
        var: str,
        items: str,
        cells: Sequence[str],
        *,
        empty: str,
        widths: Sequence[float] | None = None,
    ):
        """A table with a header row and one row per item of ``items`` (docxtpl ``{%tr``).

        ``cells`` are the Jinja expressions of one row, e.g. ``"{{ sp.name }}"``; ``empty``
        is shown in the first cell when the list is empty (a ``{%tr else %}`` row).
        """
        table = self._table(len(headers), widths)
        self._row(table, headers, header=True)
        self._row(table, [f"{{%tr for {var} in {items} %}}"] + [""] * (len(headers) - 1))
        self._row(table, cells)
        self._row(table, ["{%tr else %}"] + [""] * (len(headers) - 1))
        self._row(table, [empty] + [""] * (len(headers) - 1))
        self._row(table, ["{%tr endfor %}"] + [""] * (len(headers) - 1))
        self.doc.add_paragraph()
        return table

    def facts_table(self, rows: Sequence[tuple[str, str]], widths=(5.5, 10.5)):
        """A two-column table of label and value."""
        table = self._table(2, widths)
        for label, value in rows:
            row = self._row(table, [label, value], bold_first=True)
            _shade(row.cells[0], "F2F2F2")
        self.doc.add_paragraph()
        return table

    def applications_table(self) -> None:
        self.loop_table(
            ["Applikasjon", "Versjon", "Leverandør"],
            "app",
            "applications",
            ["{{ app.name }}", "{{ app.version }}", "{{ app.supplier }}"],
            empty="Ingen applikasjoner er knyttet til avtalen.",
            widths=(7.0, 3.0, 6.0),
        )

    # Fixed parts

    def cover(self, heading: str, subtitle: str, customer_label: str, provider_label: str):
        """The cover page: title, reference, parties with organisation numbers and dates."""
        for _ in range(3):
            self.doc.add_paragraph()
        self.para(heading, style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para(subtitle, style="Subtitle", align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para("{{ title }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
        self.doc.add_paragraph()
        self.facts_table(
            [
                ("Avtalereferanse", "{{ reference }}"),
                (
                    customer_label,
                    "{{ customer.name }}{% if customer.org_number %}, org.nr. "
                    "{{ customer.org_number }}{% endif %}",
                ),
                (
                    provider_label,
                    "{{ provider.name }}{% if provider.org_number %}, org.nr. "
                    "{{ provider.org_number }}{% endif %}",
                ),
                ("Gyldig fra", "{{ start_date|dato }}"),
                (
                    "Gyldig til",
                    "{% if end_date %}{{ end_date|dato }}{% else %}Løpende, til avtalen "
                    "sies opp{% endif %}",
                ),
                (
                    "Overordnet avtale",
                    "{% if parent %}{{ parent.kind_label }} {{ parent.reference }}"
                    "{% else %}Ingen{% endif %}",
                ),
                ("Avtaleeier", "{{ owner.name }} ({{ owner.email }})"),
                ("Dato", "{{ generated_date|dato }}"),
            ]
        )
        self.para(
            "Dokumentet er generert fra avtalesystemet. Endringer gjøres i systemet, ikke i "
            "dette dokumentet, slik at avtalens versjoner og signaturer kan spores.",
            size=9,
            color=MUTED,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
        self.page_break()

    def parties_clause(self, number: str, customer_role: str, provider_role: str) -> None:
        self.clause(number, "Avtalens parter")
        self.para(
            # An organisation number is optional (DOMAIN.md): leave out the parenthesis without it.
            f"Denne avtalen er inngått mellom {{{{ customer.name }}}}{{% if customer.org_number %}}"
            f" (org.nr. {{{{ customer.org_number }}}}){{% endif %}}, heretter kalt {customer_role}, "
            f"og {{{{ provider.name }}}}{{% if provider.org_number %}} (org.nr. "
            f"{{{{ provider.org_number }}}}){{% endif %}}, heretter kalt "
            f"{provider_role}. Sammen kalles de partene."
        )

    def signatures(self, number: str) -> None:
        """One block per party for an electronic signature: party and its role, the signer's
        name and title, the date, and "Signert elektronisk" once signed (no lines to write on)."""
        self.clause(number, "Signaturer", new_page=True)
        self.para(
            "Avtalen signeres elektronisk av hver part. Den elektroniske signaturen erstatter "
            "håndskrevet underskrift; hvem som signerte, når og hvilken versjon av dokumentet "
            "(SHA-256) registreres i avtalesystemet. Den signerte avtalen arkiveres i partenes "
            "arkiv."
        )
        self.tag("{%p for s in signatories %}")
        block = self.para("For {{ s.party }} ({{ s.role|lower }})", bold=True)
        block.paragraph_format.space_before = Pt(18)
        block.paragraph_format.keep_with_next = True
        lines = (
            "Navn: {% if s.name %}{{ s.name }}{% else %}signatar med fullmakt{% endif %}",
            "Rolle: {% if s.title %}{{ s.title }}{% else %}signatar for {{ s.role|lower }}"
            "{% endif %}",
            "Dato: {% if s.date %}{{ s.date|dato }}{% else %}settes ved signering{% endif %}",
            "{% if s.date %}Signert elektronisk{% else %}Signeres elektronisk{% endif %}",
        )
        for index, text in enumerate(lines):
            line = self.para(text)
            line.paragraph_format.keep_with_next = index < len(lines) - 1
            line.paragraph_format.space_after = Pt(2)
        self.tag("{%p endfor %}")

    def footer(self) -> None:
        """Reference and kind on the left, "Side X av Y" (PAGE / NUMPAGES fields) on the right."""
        footer = self.doc.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        parts: list[tuple[str, str]] = [
            ("text", "{{ reference }} · {{ kind_label }}\tSide "),
            ("field", "PAGE"),
            ("text", " av "),
            ("field", "NUMPAGES"),
        ]
        for kind, value in parts:
            if kind == "text":
                run = paragraph.add_run(value)
                run.font.size = Pt(9)
                run.font.color.rgb = MUTED
            else:
                _add_field(paragraph, value)

    def save(self, path: Path) -> Path:
        self.footer()
        path.parent.mkdir(parents=True, exist_ok=True)
        built = io.BytesIO()
        self.doc.save(built)
        # Without python-docx's unused default styles LibreOffice makes each PDF faster.
        path.write_bytes(lighten(built.getvalue()))
        return path


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _add_field(paragraph, instruction: str) -> None:
    """Insert a Word field (begin, instruction, separate, placeholder result, end)."""

    def run_with(element):
        run = paragraph.add_run()
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED
        run._r.append(element)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    result = OxmlElement("w:t")
    result.text = "1"
    run_with(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# The agreements


def build_data_processor_agreement() -> AgreementWriter:
    """Databehandleravtale after GDPR art. 28, with the specifics in bilag 1 to 4."""
    w = AgreementWriter("Databehandleravtale")
    w.cover(
        "{{ kind_label|upper }}",
        "etter personvernforordningen (GDPR) artikkel 28 nr. 3",
        "Behandlingsansvarlig",
        "Databehandler",
    )
    # As in the national templates, the parties come before clause 1, without a number.
    w.parties_clause("", "behandlingsansvarlig", "databehandler")

    w.clause("1", "Formål og virkeområde")
    w.numbered(
        "1.1",
        "Avtalen regulerer databehandlers behandling av personopplysninger på vegne av "
        "behandlingsansvarlig. Den skal sikre at behandlingen skjer i samsvar med forordning "
        "(EU) 2016/679 (personvernforordningen), personopplysningsloven, pasientjournalloven, "
        "helseregisterloven og Norm for informasjonssikkerhet og personvern i helse- og "
        "omsorgssektoren (Normen).",
    )
    w.numbered(
        "1.2",
        "Avtalen gjelder behandlingen og applikasjonene som er beskrevet i bilag 1. Avtalen "
        "gjelder også når databehandler bare lagrer eller drifter systemer med "
        "personopplysninger, uten å bruke opplysningene selv.",
    )
    w.tag("{%p if parent %}")
    w.numbered(
        "1.3",
        "Avtalen hører til {{ parent.kind_label|lower }} {{ parent.reference }} "
        "«{{ parent.title }}».",
    )
    w.tag("{%p endif %}")

    w.clause("2", "Definisjoner")
    w.para(
        "Begreper i avtalen har samme betydning som i personvernforordningen artikkel 4, "
        "herunder «personopplysninger», «behandling», «behandlingsansvarlig», «databehandler», "
        "«brudd på personopplysningssikkerheten» og «helseopplysninger». I tillegg betyr:"
    )
    w.para(
        "en annen databehandler som databehandler engasjerer for å utføre bestemte "
        "behandlingsaktiviteter på vegne av behandlingsansvarlig.",
        lead="Underdatabehandler:",
        style="List Bullet",
    )
    w.para(
        "en stat utenfor EU/EØS. Fjerntilgang fra et slikt land regnes som overføring.",
        lead="Tredjeland:",
        style="List Bullet",
    )
    w.para(
        "denne avtalen med bilag og skriftlige instrukser gitt av behandlingsansvarlig senere.",
        lead="Dokumenterte instrukser:",
        style="List Bullet",
    )

    w.clause("3", "Behandlingsansvarliges plikter")
    w.numbered(
        "3.1",
        "Behandlingsansvarlig skal sørge for at behandlingen har rettslig grunnlag, at de "
        "registrerte får informasjon om behandlingen, og at instruksene til databehandler er "
        "lovlige og dokumenterte.",
    )
    w.numbered(
        "3.2",
        "Behandlingen bygger på risikovurdering og eventuell vurdering av "
        "personvernkonsekvenser: {{ dpa.risk_assessment_reference }}.",
    )
    w.numbered(
        "3.3",
        "Personvernombudet er rådført: {{ dpa.dpo_consulted|ja_nei }}. "
        "Informasjonssikkerhetsleder er rådført: {{ dpa.security_lead_consulted|ja_nei }}.",
    )

    w.clause("4", "Databehandlers plikter")
    w.numbered("4.1", "Databehandler skal, jf. personvernforordningen artikkel 28 nr. 3:")
    w.lettered(
        "a",
        "Instrukser",
        "bare behandle personopplysningene etter dokumenterte instrukser fra "
        "behandlingsansvarlig, også når det gjelder overføring til tredjeland, med mindre "
        "behandlingen er pålagt ved lov. Databehandler skal i så fall varsle "
        "behandlingsansvarlig før behandlingen, om loven ikke forbyr det. "
        "{{ dpa.instructions }}",
    )
    w.lettered(
        "b",
        "Taushetsplikt",
        "sikre at personer som har tilgang til opplysningene, har forpliktet seg til "
        "konfidensialitet eller har lovbestemt taushetsplikt. {{ dpa.confidentiality }}",
    )
    w.lettered(
        "c",
        "Sikkerhet",
        "gjennomføre alle tiltak som kreves etter artikkel 32, se punkt 7 og bilag 2.",
    )
    w.lettered(
        "d",
        "Underdatabehandlere",
        "bare engasjere underdatabehandlere på vilkårene i punkt 5, og pålegge dem de samme "
        "forpliktelsene som følger av denne avtalen.",
    )
    w.lettered(
        "e",
        "De registrertes rettigheter",
        "bistå behandlingsansvarlig med egnede tekniske og organisatoriske tiltak, så langt "
        "det er mulig, slik at behandlingsansvarlig kan svare på anmodninger om de "
        "registrertes rettigheter etter kapittel III. {{ dpa.data_subject_rights_assistance }}",
    )
    w.lettered(
        "f",
        "Bistand",
        "bistå behandlingsansvarlig med å oppfylle pliktene etter artikkel 32 til 36 "
        "(sikkerhet, varsling av brudd, vurdering av personvernkonsekvenser og "
        "forhåndsdrøftinger), ut fra behandlingens art og informasjonen databehandler har. "
        "{{ dpa.dpia_assistance }}",
    )
    w.lettered(
        "g",
        "Sletting og tilbakelevering",
        "etter behandlingsansvarliges valg slette eller tilbakelevere alle personopplysninger "
        "når tjenestene er levert, se punkt 10.",
    )
    w.lettered(
        "h",
        "Dokumentasjon og revisjon",
        "gjøre tilgjengelig all informasjon som trengs for å påvise at pliktene i artikkel 28 "
        "er oppfylt, og gi rom for og bidra til revisjoner og inspeksjoner, se punkt 11.",
    )
    w.numbered(
        "4.2",
        "Databehandler skal straks varsle behandlingsansvarlig dersom en instruks etter "
        "databehandlers mening er i strid med personvernregelverket.",
    )
    w.numbered(
        "4.3",
        "Behandler databehandler personopplysninger for flere behandlingsansvarlige, skal "
        "opplysningene holdes adskilt. {{ dpa.segregation }}",
    )

    w.clause("5", "Underdatabehandlere")
    w.tag("{%p if dpa.sub_processor_authorisation == 'general' %}")
    w.numbered(
        "5.1",
        "Behandlingsansvarlig gir databehandler generell skriftlig forhåndstillatelse til å "
        "bruke underdatabehandlere. Databehandler skal varsle behandlingsansvarlig skriftlig "
        "om planer om å legge til eller bytte ut underdatabehandlere. Behandlingsansvarlig kan "
        "protestere mot endringen innen {{ dpa.objection_days }} dager etter varselet, og "
        "endringen kan ikke gjennomføres før fristen er ute.",
    )
    w.tag("{%p else %}")
    w.numbered(
        "5.1",
        "Databehandler kan bare bruke underdatabehandlere etter spesifikk skriftlig "
        "forhåndstillatelse fra behandlingsansvarlig for hver enkelt underdatabehandler.",
    )
    w.tag("{%p endif %}")
    w.numbered(
        "5.2",
        "Underdatabehandlere som er godkjent når avtalen inngås, står i bilag 3.",
    )
    w.numbered(
        "5.3",
        "Databehandler skal ved skriftlig avtale pålegge underdatabehandlere de samme "
        "personvernforpliktelsene som følger av denne avtalen, jf. artikkel 28 nr. 4. "
        "Databehandler er fullt ansvarlig overfor behandlingsansvarlig for at "
        "underdatabehandlere oppfyller sine forpliktelser.",
    )

    w.clause("6", "Overføring til tredjeland")
    w.numbered(
        "6.1",
        "Personopplysninger skal ikke overføres til tredjeland eller til internasjonale "
        "organisasjoner, og ikke gjøres tilgjengelige ved fjerntilgang derfra, uten "
        "dokumentert instruks fra behandlingsansvarlig og et gyldig overføringsgrunnlag etter "
        "personvernforordningen kapittel V.",
    )
    w.numbered(
        "6.2",
        "Behandlingssteder og avtalte overføringer står i bilag 4. Overføring til tredjeland "
        "er avtalt: {{ dpa.third_country_transfer|ja_nei }}.",
    )

    w.clause("7", "Sikkerhet")
    w.numbered(
        "7.1",
        "Databehandler skal gjennomføre tekniske og organisatoriske tiltak som gir et "
        "sikkerhetsnivå tilpasset risikoen, jf. personvernforordningen artikkel 32 og Normen. "
        "Avtalte tiltak står i bilag 2.",
    )
    w.numbered(
        "7.2",
        "Databehandler skal dokumentere tiltakene, teste dem jevnlig og holde dem oppdatert "
        "når risikobildet endrer seg.",
    )

    w.clause("8", "Avvik og brudd på personopplysningssikkerheten")
    w.numbered(
        "8.1",
        "Databehandler skal varsle behandlingsansvarlig uten ugrunnet opphold, og senest "
        "innen {{ dpa.breach_notification_hours }} timer etter å ha fått kjennskap til et "
        "brudd på personopplysningssikkerheten.",
    )
    w.numbered(
        "8.2",
        "Varselet skal minst beskrive bruddet, hvilke kategorier og omtrent hvor mange "
        "registrerte og opplysninger som er berørt, sannsynlige konsekvenser og hvilke tiltak "
        "som er satt i verk, jf. artikkel 33 nr. 3. Opplysninger som ikke er kjent ennå, "
        "ettersendes.",
    )
    w.numbered(
        "8.3",
        "Behandlingsansvarlig melder bruddet til Datatilsynet og gir eventuelt de registrerte "
        "beskjed. Databehandler skal ikke selv varsle tilsynsmyndigheten eller de registrerte "
        "uten avtale med behandlingsansvarlig.",
    )

    w.clause("9", "Varighet og opphør")
    w.numbered(
        "9.1",
        "Avtalen gjelder fra {{ start_date|dato }}{% if end_date %} til og med "
        "{{ end_date|dato }}{% else %} og så lenge databehandler behandler personopplysninger "
        "på vegne av behandlingsansvarlig{% endif %}. Varighet: {{ dpa.duration }}",
    )
    w.numbered(
        "9.2",
        "Avtalen kan sies opp skriftlig med {{ notice_months }} måneders varsel. Ved "
        "vesentlig mislighold kan behandlingsansvarlig heve avtalen med umiddelbar virkning.",
    )
    w.numbered(
        "9.3",
        "Taushetsplikten og pliktene i punkt 10 gjelder også etter at avtalen har opphørt.",
    )

    w.clause("10", "Sletting og tilbakelevering")
    w.numbered(
        "10.1",
        "Når avtalen opphører, skal databehandler "
        "{% if dpa.end_of_processing == 'delete' %}slette"
        "{% elif dpa.end_of_processing == 'return' %}tilbakelevere"
        "{% else %}tilbakelevere og deretter slette{% endif %} alle personopplysninger som er "
        "behandlet på vegne av behandlingsansvarlig, også kopier og sikkerhetskopier, innen "
        "{{ dpa.deletion_deadline_days }} dager, med mindre lov krever at opplysningene lagres.",
    )
    w.numbered(
        "10.2",
        "Databehandler skal bekrefte skriftlig overfor behandlingsansvarlig at sletting eller "
        "tilbakelevering er gjennomført.",
    )

    w.clause("11", "Revisjon")
    w.numbered("11.1", "{{ dpa.audit }}")
    w.numbered(
        "11.2",
        "Databehandler skal rette avvik som revisjonen avdekker, uten ugrunnet opphold og "
        "etter en plan som behandlingsansvarlig godtar.",
    )

    w.clause("12", "Forrang")
    w.para(
        "Ved motstrid går denne avtalen foran bestemmelser om behandling av "
        "personopplysninger i andre avtaler mellom partene, herunder tjenesteavtaler, "
        "driftsavtaler og leverandørens standardvilkår."
    )

    w.clause("13", "Lovvalg og verneting")
    w.para(
        "Avtalen reguleres av norsk rett. Tvister søkes først løst ved forhandlinger. Fører "
        "ikke forhandlinger fram, avgjøres tvisten av de alminnelige domstolene med "
        "behandlingsansvarliges hjemting som verneting."
    )

    w.signatures("14")

    w.clause("Bilag 1", "Beskrivelse av behandlingen", new_page=True)
    w.subclause("1.1", "Gjenstand og art")
    w.facts_table(
        [
            ("Gjenstand", "{{ dpa.subject_matter }}"),
            ("Behandlingens art", "{{ dpa.nature }}"),
            ("Varighet", "{{ dpa.duration }}"),
        ]
    )
    w.subclause("1.2", "Formål")
    w.bullet_loop("purpose", "dpa.purposes")
    w.subclause("1.3", "Kategorier av registrerte")
    w.bullet_loop("category", "dpa.data_subject_categories")
    w.subclause("1.4", "Kategorier av personopplysninger")
    w.bullet_loop("category", "dpa.personal_data_categories")
    w.subclause("1.5", "Særlige kategorier og omfang")
    w.facts_table(
        [
            ("Helseopplysninger (art. 9)", "{{ dpa.health_data|ja_nei }}"),
            ("Fødselsnummer eller D-nummer", "{{ dpa.national_id_numbers|ja_nei }}"),
            ("Omfang", "{{ dpa.scale }}"),
            ("Risikovurdering (ROS/DPIA)", "{{ dpa.risk_assessment_reference }}"),
        ]
    )
    w.subclause("1.6", "Applikasjoner som omfattes")
    w.applications_table()

    w.clause("Bilag 2", "Sikkerhetstiltak", new_page=True)
    w.para(
        "Databehandler skal minst gjennomføre tiltakene nedenfor, i tillegg til kravene i "
        "Normen. Tiltakene vurderes på nytt ved endringer og minst én gang i året."
    )
    w.loop_table(
        ["Område", "Tiltak"],
        "m",
        "dpa.security_measures",
        ["{{ m.area }}", "{{ m.measure }}"],
        empty="Ingen særskilte tiltak er avtalt utover Normen.",
        widths=(4.5, 11.5),
    )

    w.clause("Bilag 3", "Underdatabehandlere", new_page=True)
    w.para(
        "Tillatelse til underdatabehandlere: "
        "{% if dpa.sub_processor_authorisation == 'general' %}generell skriftlig "
        "forhåndstillatelse, med {{ dpa.objection_days }} dagers frist for å protestere mot "
        "endringer{% else %}spesifikk skriftlig forhåndstillatelse for hver "
        "underdatabehandler{% endif %}."
    )
    w.loop_table(
        ["Navn", "Org.nr.", "Land", "Tjeneste", "Godkjenning"],
        "sp",
        "sub_processors",
        [
            "{{ sp.name }}",
            "{{ sp.org_number }}",
            "{{ sp.country }}",
            "{{ sp.service }}",
            "{{ sp.authorisation }}",
        ],
        empty="Databehandler bruker ingen underdatabehandlere.",
        widths=(3.8, 2.4, 2.0, 4.8, 3.0),
    )

    w.clause("Bilag 4", "Behandlingssteder og overføringer", new_page=True)
    w.loop_table(
        ["Sted", "Beskrivelse"],
        "loc",
        "dpa.locations",
        ["{{ loc.place }}", "{{ loc.description }}"],
        empty="Ingen behandlingssteder er oppgitt.",
        widths=(5.5, 10.5),
    )
    w.facts_table(
        [
            ("Overføring til tredjeland", "{{ dpa.third_country_transfer|ja_nei }}"),
            (
                "Land",
                "{% if dpa.transfer_countries %}{{ dpa.transfer_countries|join(', ') }}"
                "{% else %}Ingen{% endif %}",
            ),
            ("Overføringsgrunnlag", "{{ dpa.transfer_legal_basis }}"),
            ("Fjerntilgang fra utlandet", "{{ dpa.remote_access_from_abroad|ja_nei }}"),
        ]
    )
    return w


def _relation_clause(w: AgreementWriter, number: str) -> None:
    w.clause(number, "Forholdet til andre avtaler")
    w.tag("{%p if parent %}")
    w.para(
        "Avtalen er inngått under {{ parent.kind_label|lower }} {{ parent.reference }} "
        "«{{ parent.title }}». Ved motstrid går den overordnede avtalen foran, med unntak av "
        "databehandleravtaler, som går foran alle andre avtaler når det gjelder behandling av "
        "personopplysninger."
    )
    w.tag("{%p else %}")
    w.para(
        "Ved motstrid mellom avtaler mellom partene går databehandleravtaler foran når det "
        "gjelder behandling av personopplysninger."
    )
    w.tag("{%p endif %}")


def _disputes_clause(w: AgreementWriter, number: str) -> None:
    w.clause(number, "Mislighold, tvister og lovvalg")
    w.numbered(
        f"{number}.1",
        "Oppfyller en part ikke sine plikter, skal den andre parten varsle skriftlig og uten "
        "ugrunnet opphold. Partene skal samarbeide om å rette misligholdet.",
    )
    w.numbered(
        f"{number}.2",
        "Tvister søkes løst ved forhandlinger, først mellom kontaktpersonene og deretter "
        "mellom partenes ledelse. Fører ikke forhandlinger fram, kan hver av partene bringe "
        "saken inn for Helse Nord RHF før den eventuelt bringes inn for de alminnelige "
        "domstolene. Avtalen reguleres av norsk rett.",
    )


def _term_clause(w: AgreementWriter, number: str, revision: str | None = None) -> None:
    w.clause(number, "Varighet og oppsigelse")
    w.numbered(
        f"{number}.1",
        "Avtalen gjelder fra {{ start_date|dato }}{% if end_date %} til og med "
        "{{ end_date|dato }}{% else %} og løper til den sies opp{% endif %}.",
    )
    w.numbered(
        f"{number}.2",
        "Hver av partene kan si opp avtalen skriftlig med {{ notice_months }} måneders varsel.",
    )
    if revision:
        w.numbered(f"{number}.3", revision)


def build_service_agreement() -> AgreementWriter:
    """Tjenesteavtale (SLA) for one service between Helse Nord IKT and one trust."""
    w = AgreementWriter("Tjenesteavtale")
    w.cover(
        "{{ kind_label|upper }}",
        "Avtale om tjenesteleveranse og tjenestenivå",
        "Kunde",
        "Leverandør",
    )

    w.parties_clause("1", "kunden", "leverandøren")
    w.para(
        "Avtalen fastsetter hvilken tjeneste leverandøren leverer, på hvilket tjenestenivå, "
        "hvordan ansvaret er delt og hvordan tjenesten følges opp."
    )

    w.clause("2", "Tjenestebeskrivelse")
    w.para("{{ service.description }}", lead="{{ service.name }}.")
    w.para("Tjenesten omfatter disse applikasjonene:")
    w.applications_table()

    w.clause("3", "Tjenestenivå")
    w.numbered(
        "3.1",
        "Avtalt tilgjengelighet er {{ service.availability_percent|prosent }} per måned, målt "
        "i avtalt åpningstid og utenom avtalte vedlikeholdsvinduer.",
    )
    w.numbered("3.2", "Brukerstøtte: {{ service.support_hours }}")
    w.numbered("3.3", "Vedlikeholdsvindu: {{ service.maintenance_window }}")
    w.numbered(
        "3.4",
        "Hendelser klassifiseres etter alvorlighet. Responstid er tiden fra hendelsen er "
        "registrert til leverandøren har startet arbeidet; løsningstid er tiden til tjenesten "
        "er gjenopprettet, eventuelt med en midlertidig løsning.",
    )
    w.loop_table(
        ["Klasse", "Beskrivelse", "Responstid", "Løsningstid"],
        "level",
        "service_levels",
        [
            "{{ level.incident_class }}",
            "{{ level.description }}",
            "{{ level.response_time }}",
            "{{ level.resolution_time }}",
        ],
        empty="Ingen tjenestenivåer er avtalt.",
        widths=(1.8, 8.2, 3.0, 3.0),
    )
    _sanctions(w, "3.5")

    w.clause("4", "Ansvarsdeling")
    w.para(
        "Tabellen viser hvem som utfører (R), har ansvaret (A), skal rådføres (C) og skal "
        "informeres (I) for hver aktivitet."
    )
    w.loop_table(
        ["Aktivitet", "Kunde", "Leverandør"],
        "r",
        "service.responsibilities",
        ["{{ r.activity }}", "{{ r.customer }}", "{{ r.provider }}"],
        empty="Ansvarsdelingen følger hoved-driftsavtalen.",
        widths=(10.0, 3.0, 3.0),
    )

    w.clause("5", "Kontaktpersoner")
    w.loop_table(
        ["Part", "Rolle", "Navn", "E-post", "Telefon"],
        "c",
        "service.contacts",
        ["{{ c.party }}", "{{ c.role }}", "{{ c.name }}", "{{ c.email }}", "{{ c.phone }}"],
        empty="Kontaktpersoner avtales særskilt.",
        widths=(3.6, 2.6, 3.0, 4.2, 2.6),
    )
    w.para("Avtaleeier er {{ owner.name }} ({{ owner.email }}).")

    w.clause("6", "Rapportering og oppfølging")
    w.para("{{ service.reporting }}")
    w.para(
        "Partene møtes minst hvert tertial for å følge opp tjenestenivå, hendelser, "
        "endringer og planer."
    )

    w.clause("7", "Pris og betaling")
    w.para("{{ service.price_model }}")
    w.para(
        "Prisene reguleres årlig etter avtale mellom partene. Fakturaer sendes elektronisk "
        "med betalingsfrist 30 dager."
    )

    w.clause("8", "Endringer")
    w.para("{{ service.change_procedure }}")
    w.para("Endringer i avtalen skal være skriftlige og signert av begge parter.")

    w.clause("9", "Personopplysninger og informasjonssikkerhet")
    w.tag("{%p if data_processor_agreements %}")
    w.para(
        "Leverandørens behandling av personopplysninger på vegne av kunden reguleres av "
        "{% for d in data_processor_agreements %}{{ d.kind_label|lower }} {{ d.reference }} "
        "«{{ d.title }}»{% if not loop.last %} og {% endif %}{% endfor %}, som går foran "
        "denne avtalen når det gjelder behandling av personopplysninger."
    )
    w.tag("{%p else %}")
    w.para(
        "Behandler leverandøren personopplysninger på vegne av kunden, skal partene ha en "
        "databehandleravtale før behandlingen starter. Databehandleravtalen går foran denne "
        "avtalen når det gjelder behandling av personopplysninger."
    )
    w.tag("{%p endif %}")
    w.para(
        "Leverandøren skal levere tjenesten i samsvar med Normen og kundens krav til "
        "informasjonssikkerhet."
    )

    _term_clause(w, "10", "Revisjon: {{ service.revision }}")
    _relation_clause(w, "11")
    _disputes_clause(w, "12")
    w.signatures("13")
    return w


def _sanctions(w: AgreementWriter, number: str) -> None:
    """Standardised compensation (sanksjoner) when a service level is missed, as in SSA-D."""
    w.subclause(number, "Sanksjoner ved brudd på tjenestenivå")
    w.para(
        "Oppfyller ikke leverandøren avtalt tjenestenivå (tilgjengelighet, responstid eller "
        "løsningstid), har kunden krav på standardisert erstatning. Brudd og standardisert "
        "erstatning fremgår av den månedlige rapporten, og erstatningen trekkes fra neste "
        "faktura uten at kunden må dokumentere et tap."
    )
    w.para(
        "{% if service.compensation %}{{ service.compensation }}{% else %}Standardisert "
        "erstatning utgjør 2 % av tjenestens månedspris for hvert påbegynte brudd, samlet "
        "høyst 20 % av månedsprisen.{% endif %}",
        lead="Standardisert erstatning.",
    )
    w.para(
        "Standardisert erstatning er ikke til hinder for å kreve erstatning for tap som "
        "overstiger den, eller for å heve avtalen ved vesentlig mislighold. Gjentatte brudd "
        "på tjenestenivå i tre måneder på rad regnes som vesentlig mislighold."
    )


def build_operating_agreement() -> AgreementWriter:
    """Driftsavtale or hoved-driftsavtale after the pattern of SSA-D: general text + bilag."""
    w = AgreementWriter("Driftsavtale")
    w.cover(
        "{{ kind_label|upper }}",
        "Avtale om drift av IKT-tjenester (etter mønster av SSA-D)",
        "Kunde",
        "Leverandør",
    )
    w.parties_clause("1", "kunden", "leverandøren")
    w.para(
        "Avtalen er rammen for driften av kundens IKT-tjenester. Tjenesteavtaler og "
        "databehandleravtaler mellom partene inngås under denne avtalen."
    )

    w.clause("2", "Avtalens omfang")
    w.para("{{ operating.scope }}")
    w.para("Driften omfatter disse applikasjonene:")
    w.applications_table()

    w.clause("3", "Avtaledokumenter og bilag")
    w.para(
        "Avtalen består av denne generelle avtaleteksten og bilagene nedenfor. Endringer i "
        "den generelle avtaleteksten skal bare gjøres i bilag 8; endringer etter "
        "avtaleinngåelsen føres i bilag 9."
    )
    w.loop_table(
        ["Bilag", "Tittel", "Innhold og vedlegg"],
        "a",
        "appendices",
        [
            "Bilag {{ a.number }}",
            "{{ a.title }}",
            "{% if a.content %}Tekst i bilaget{% else %}Ingen særskilte bestemmelser"
            "{% endif %}{% if a.files %}; vedlagt: {{ a.files|join(', ') }}{% endif %}",
        ],
        empty="Avtalen har ingen bilag.",
        widths=(2.5, 7.0, 6.5),
    )
    w.para(
        "Ved motstrid går den generelle avtaleteksten foran bilagene, med unntak av endringer "
        "som står i bilag 8 og 9."
    )

    w.clause("4", "Avtaler under denne avtalen")
    w.para("Følgende avtaler er inngått under denne avtalen:")
    w.loop_table(
        ["Referanse", "Tittel", "Type"],
        "child",
        "child_agreements",
        ["{{ child.reference }}", "{{ child.title }}", "{{ child.kind_label }}"],
        empty="Ingen avtaler er registrert under denne avtalen ennå.",
        widths=(3.5, 9.0, 3.5),
    )

    w.clause("5", "Styring og samarbeid")
    w.para("{{ operating.governance }}")

    w.clause("6", "Partenes plikter")
    w.numbered(
        "6.1",
        "Leverandøren skal levere driftstjenesten som beskrevet i bilag 2 og 3, på "
        "tjenestenivåene i bilag 5, og med fagkunnskap og omhu.",
    )
    w.numbered(
        "6.2",
        "Kunden skal gi leverandøren de opplysningene og den tilgangen som trengs, og utpeke "
        "systemeiere for applikasjonene som driftes.",
    )

    w.clause("7", "Informasjonssikkerhet og personvern")
    w.para(
        "Driften skal skje i samsvar med Normen. Leverandøren behandler personopplysninger "
        "bare etter databehandleravtale med kunden, og databehandleravtalen går foran denne "
        "avtalen når det gjelder behandling av personopplysninger."
    )

    w.clause("8", "Endringer")
    w.para(
        "Endringer i driftstjenesten avtales skriftlig etter endringsprosedyren i bilag 6 og "
        "føres i bilag 9."
    )

    _term_clause(w, "9")
    _relation_clause(w, "10")
    _disputes_clause(w, "11")
    w.signatures("12")

    w.tag("{%p for a in appendices %}")
    w.heading("Bilag {{ a.number }} {{ a.title }}", 1, new_page=True)
    w.para(
        "{% if a.content %}{{ a.content }}{% else %}Partene har ikke avtalt særskilte "
        "bestemmelser i dette bilaget.{% endif %}"
    )
    w.tag("{%p if a.files %}")
    w.para("Vedlagte dokumenter, som er en del av bilaget:")
    w.bullet_loop("name", "a.files")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")
    return w


def build_other_agreement() -> AgreementWriter:
    """Annen avtale, e.g. transfer of management or a supplier agreement."""
    w = AgreementWriter("Avtale")
    w.cover("{{ kind_label|upper }}", "Avtale om ansvar og oppgaver", "Kunde", "Leverandør")
    w.parties_clause("1", "kunden", "leverandøren")

    w.clause("2", "Formål")
    w.para("{{ other.purpose }}")

    w.clause("3", "Avtalens innhold")
    w.para("{{ other.description }}")
    w.para("Avtalen gjelder disse applikasjonene:")
    w.applications_table()

    w.clause("4", "Ansvarsfordeling")
    w.loop_table(
        ["Part", "Ansvar"],
        "r",
        "other.responsibilities",
        ["{{ r.party }}", "{{ r.responsibility }}"],
        empty="Ansvarsfordelingen avtales særskilt.",
        widths=(5.5, 10.5),
    )

    w.clause("5", "Kontakt og oppfølging")
    w.para(
        "Avtaleeier er {{ owner.name }} ({{ owner.email }}). Avtalen gjennomgås minst én gang "
        "i året."
    )

    w.clause("6", "Personopplysninger og informasjonssikkerhet")
    w.para(
        "Innebærer avtalen behandling av personopplysninger på vegne av den andre parten, "
        "skal partene ha en databehandleravtale. Partene skal følge Normen."
    )

    _term_clause(w, "7")
    _relation_clause(w, "8")
    _disputes_clause(w, "9")
    w.signatures("10")
    return w


BUILDERS = {
    "databehandleravtale.docx": build_data_processor_agreement,
    "tjenesteavtale.docx": build_service_agreement,
    "driftsavtale.docx": build_operating_agreement,
    "annen_avtale.docx": build_other_agreement,
}


def build_all(directory: Path = TEMPLATES_DIR) -> list[Path]:
    """Write every template into ``directory`` and return the paths written."""
    return [builder().save(directory / name) for name, builder in BUILDERS.items()]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    directory = Path(args[0]) if args else TEMPLATES_DIR
    for path in build_all(directory):
        print(path)  # noqa: T201 - a command-line script reports what it wrote
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
