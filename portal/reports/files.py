"""A committee report as files: Word (python-docx) laid out as councils lay reports out, and PDF
(WeasyPrint, from the print view's HTML) when WeasyPrint and its system libraries are there.

WeasyPrint is imported only when a PDF is asked for: a server without Pango still serves every
other page, and the report page says why there is no PDF (`pdf_unavailable_reason`).
"""

from __future__ import annotations

import io
import logging

from django.contrib.staticfiles import finders
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .layout import ReportDocument

logger = logging.getLogger(__name__)
# WeasyPrint announces each step of its work (even on import) at INFO: not worth a log line.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT = "Arial"
NUMBER_INDENT = Cm(1.25)  # paragraph numbers hang in the margin of their text
ITEM_INDENT = Cm(1.9)


def filename(doc: ReportDocument, extension: str) -> str:
    gate = doc.report.gate
    return f"committee-report-{gate.strategy.slug}-gate-{gate.pk}.{extension}"


# Word -------------------------------------------------------------------------------------------


def _style(document, name: str, size: float, bold: bool = False, space_before: float = 0):
    style = document.styles[name]
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.paragraph_format.space_before = Pt(space_before)
    style.paragraph_format.space_after = Pt(6)
    # East Asian and complex-script fonts too, so Word does not fall back to its theme fonts.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    return style


def _page_number(paragraph) -> None:
    """A PAGE field, so Word numbers the pages itself."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _hanging(paragraph, label: str, text: str, indent) -> None:
    fmt = paragraph.paragraph_format
    fmt.left_indent = indent
    fmt.first_line_indent = -NUMBER_INDENT if indent == NUMBER_INDENT else -Cm(0.65)
    fmt.tab_stops.add_tab_stop(indent)
    paragraph.add_run(f"{label}\t{text}")


def docx_bytes(doc: ReportDocument) -> bytes:
    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)  # A4
    page.left_margin = page.right_margin = Cm(2.5)
    page.top_margin = page.bottom_margin = Cm(2.2)
    _style(document, "Normal", 11)
    _style(document, "Title", 16, bold=True, space_before=12)
    _style(document, "Heading 1", 12, bold=True, space_before=14)
    _style(document, "Heading 2", 11, bold=True, space_before=12)
    _style(document, "List Bullet", 11)

    properties = document.core_properties
    properties.title = doc.title
    properties.author = doc.report.author_name or doc.report.gate.strategy.lead_organisation.name
    properties.subject = doc.meeting_line
    properties.comments = "Committee report prepared in Waymark"

    if doc.meeting_line:
        document.add_paragraph().add_run(doc.meeting_line).bold = True
    if doc.references:
        document.add_paragraph("\n".join(f"{label}: {value}" for label, value in doc.references))
    if doc.report_of:
        document.add_paragraph().add_run(doc.report_of).bold = True
    document.add_paragraph(doc.title, style="Title")
    if doc.author:
        document.add_paragraph(f"Author: {doc.author}")

    for section in doc.sections:
        document.add_heading(f"{section.number}. {section.heading}", level=1)
        for paragraph in section.paragraphs:
            if paragraph.text or not paragraph.items:
                _hanging(document.add_paragraph(), paragraph.number, paragraph.text, NUMBER_INDENT)
            elif paragraph.items:
                # A paragraph that is only a list still carries its number.
                _hanging(document.add_paragraph(), paragraph.number, "", NUMBER_INDENT)
            for item in paragraph.items:
                if item.marker:
                    _hanging(document.add_paragraph(), item.marker, item.text, ITEM_INDENT)
                else:
                    bullet = document.add_paragraph(item.text, style="List Bullet")
                    bullet.paragraph_format.left_indent = ITEM_INDENT
                    bullet.paragraph_format.first_line_indent = -Cm(0.65)

    report = doc.report
    if report.author_name:
        signature = document.add_paragraph()
        signature.paragraph_format.space_before = Pt(18)
        signature.add_run(report.author_name).bold = True
        if report.author_title:
            signature.add_run().add_break()
            signature.add_run(report.author_title)
    if doc.has_contact:
        document.add_heading("Contact officer", level=2)
        contact = document.add_paragraph()
        parts = [
            ("", report.contact_name),
            ("Telephone: ", report.contact_phone),
            ("Email: ", report.contact_email),
        ]
        first = True
        for label, value in parts:
            if not value:
                continue
            if not first:
                contact.add_run().add_break()
            contact.add_run(f"{label}{value}")
            first = False
    if doc.appendices or doc.attached:
        document.add_heading("Appendices", level=2)
        for number, paper in doc.attached:
            document.add_paragraph(f"Appendix {number}: {paper.title} ({paper.latest.label})")
        for letter, text in doc.appendices:
            document.add_paragraph(f"Appendix {letter} – {text}")

    footer = page.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{doc.title} · page ")
    _page_number(footer)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# PDF --------------------------------------------------------------------------------------------


def pdf_unavailable_reason() -> str | None:
    """Why PDF files cannot be made on this server, or None when they can.

    Not cached: after the first success the import is a dictionary look-up."""
    try:
        import weasyprint  # noqa: F401
    except Exception as problem:  # ImportError, or OSError from missing Pango, or worse
        logger.warning("PDF reports unavailable: %s", problem)
        return (
            "PDF files need WeasyPrint and its system libraries (Pango), which this server "
            "does not have. Use the print view and your browser's “Save as PDF”, or the Word "
            "file."
        )
    return None


# The design tokens first: the print stylesheets take their colours from them.
TOKENS_CSS = "css/tokens.css"
PRINT_CSS = "css/report-print.css"
REPORT_CSS = (TOKENS_CSS, PRINT_CSS)  # a committee report's; progress reports add their own


def pdf_bytes(html: str, css_files: tuple[str, ...] = REPORT_CSS) -> bytes:
    """The print view's HTML (rendered without its stylesheet links) as a PDF, with the print
    view's stylesheets (`css_files`, static paths) read from disk. Fetches nothing over the
    network. Progress reports (progress_files.py) add their own stylesheet to the committee
    report's."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    stylesheets = []
    for name in css_files:
        with open(finders.find(name), encoding="utf-8") as css:
            stylesheets.append(weasyprint.CSS(string=css.read()))
    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)
