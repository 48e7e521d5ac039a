"""A progress report to the Board as files: Word (python-docx) and PDF (WeasyPrint, from the
print view), laid out with the committee reports' styles and PDF making (files.py). They live
here, not in delivery, because that building is the portal's and delivery may not import the
portal; the report's layout, pages and print view are delivery's (delivery/report_document.py,
delivery/views/reports.py).

Word cannot hold SVG, so each indicator's chart goes into the Word file as a PNG picture drawn
from the same placed chart as the SVG (delivery/chart_png.py), with the chart's description as
the picture's alternative text, beside the table of its figures."""

from __future__ import annotations

import io
import logging

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from delivery.chart_png import trend_png
from delivery.charts import Chart
from delivery.report_document import ProgressDocument, build_document, indicator_chart
from delivery.views.reports import get_report, print_context

from . import files
from .layout import blocks
from .views import DOCX_TYPE, _attachment

logger = logging.getLogger(__name__)

# A RAG cell's shading and the colour of its words: the --wm-rag-* tokens of
# static/css/tokens.css (--wm-rag-red and --wm-rag-red-text, ...), which Word cannot read. A
# copy, which tests/test_design_tokens.py keeps equal to them.
RAG_FILL = {
    "red": ("B00020", "FFFFFF"),
    "amber": ("FFBF47", "000000"),
    "green": ("00703C", "FFFFFF"),
}
CSS = (files.TOKENS_CSS, files.PRINT_CSS, "css/progress-report.css")


def filename(doc: ProgressDocument, extension: str) -> str:
    report = doc.report
    return f"progress-report-{report.strategy.slug}-{report.pk}.{extension}"


def _paragraphs(document, text: str) -> None:
    for lead, items in blocks(text):
        if lead:
            document.add_paragraph(lead)
        for item in items:
            document.add_paragraph(f"{item.marker} {item.text}".strip(), style="List Bullet")


def _shade(cell, fill: str, text: str) -> None:
    """The cell's ground in `fill`, its words in `text` (hex RGB): black on the red or green
    would be under 4.5:1."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor.from_string(text)


def _table(document, caption: str, header: list[str], rows: list[list[str]]):
    document.add_paragraph().add_run(caption).bold = True
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    return table


def _milestones(action: dict) -> str:
    parts = []
    for m in action["milestones"]:
        if m["state"] == "completed":
            parts.append(f"{m['title']}: completed {m['completed_on']}")
        elif m["state"] == "overdue":
            parts.append(f"{m['title']}: OVERDUE, due {m['due_on']}")
        else:
            parts.append(f"{m['title']}: due {m['due_on']}")
    return "\n".join(parts) or "—"


def _changes(document, changes: dict) -> None:
    lines = []
    for c in changes.get("rag_changes", []):
        words = f" ({c['direction']})" if c["direction"] else ""
        lines.append(
            f"{c['action']}: RAG {(c['from'] or 'not rated').capitalize()} to "
            f"{(c['to'] or 'not rated').capitalize()}{words}."
        )
    lines += [f"{c['action']}: completed." for c in changes.get("completed", [])]
    lines += [
        f"Milestone “{m['title']}” of {m['action']}: completed {m['completed_on']}."
        for m in changes.get("milestones_completed", [])
    ]
    for c in changes.get("indicators_moved", []):
        if c["from"] is None:
            lines.append(f"{c['indicator']}: first value {c['value']} ({c['period']}).")
        else:
            lines.append(
                f"{c['indicator']}: from {c['from']} ({c['from_period']}) to {c['value']} "
                f"({c['period']}), {c['judgement']}."
            )
    document.add_paragraph(f"Since {changes.get('since', '')}.")
    if not lines:
        document.add_paragraph(
            "No ratings changed, no actions or milestones were completed and no indicator moved."
        )
    for line in lines:
        document.add_paragraph(line, style="List Bullet")


def _chart(document, chart: Chart) -> None:
    """The indicator's trend chart as a picture, its description as the alternative text."""
    picture = document.add_picture(io.BytesIO(trend_png(chart)), width=Cm(16))
    # python-docx (below 2, pyproject.toml) has no setter for a picture's alternative text, so
    # it is written on the drawing's <wp:docPr> through the private `_inline`; a python-docx
    # that renames it fails tests/delivery/test_progress_reports.py, which reads the text back.
    properties = picture._inline.docPr
    properties.set("title", chart.title)
    properties.set("descr", chart.desc)


def docx_bytes(doc: ProgressDocument) -> bytes:
    report, numbers = doc.report, doc.numbers
    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)  # A4
    page.left_margin = page.right_margin = Cm(2.2)
    page.top_margin = page.bottom_margin = Cm(2.2)
    files._style(document, "Normal", 11)
    files._style(document, "Title", 16, bold=True, space_before=12)
    files._style(document, "Heading 1", 12, bold=True, space_before=14)
    files._style(document, "Heading 2", 11, bold=True, space_before=12)
    files._style(document, "List Bullet", 11)
    document.core_properties.title = doc.title
    document.core_properties.author = (
        report.prepared_by.display_name if report.prepared_by else ""
    ) or report.strategy.lead_organisation.name
    document.core_properties.comments = "Progress report prepared in Waymark"

    document.add_paragraph(doc.title, style="Title")
    meta = f"{report.strategy.title}: progress from {report.covers_from:%-d %B %Y} to "
    meta += f"{report.covers_to:%-d %B %Y}"
    if report.gate_id:
        meta += f", for the {report.gate.body} ({report.gate.get_purpose_display().lower()})"
    document.add_paragraph(meta + ".")
    if doc.summary:
        document.add_heading(f"{numbers['summary']}. Summary", level=1)
        _paragraphs(document, doc.summary)
    if doc.recommendations:
        document.add_heading(f"{numbers['recommendations']}. Recommendations", level=1)
        document.add_paragraph("The Board is recommended to:")
        for n, text in enumerate(doc.recommendations, start=1):
            document.add_paragraph(f"{numbers['recommendations']}.{n}\t{text}")
    document.add_heading(f"{numbers['progress']}. Progress", level=1)
    counts = "; ".join(f"{n} {label.lower()}" for label, n in doc.snapshot["counts"].items())
    document.add_paragraph(f"Actions by RAG rating at {report.covers_to:%-d %B %Y}: {counts}.")
    for section in doc.priorities:
        document.add_heading(f"{section.number} {section.heading}", level=2)
        if section.commentary:
            _paragraphs(document, section.commentary)
        if section.actions:
            table = _table(
                document,
                f"Actions of “{section.heading}”",
                ["Action", "Lead", "Status", "RAG", "Trend", "Milestones in the period"],
                [
                    [a["title"], a["lead"] or "—", a["status_label"],
                     f"{a['rag_word']} ({a['rag_meaning'].lower()})",
                     f"{a['trend']}\n{a['trend_words']}" if a["trend"] else "No updates yet",
                     _milestones(a)]
                    for a in section.actions
                ],
            )  # fmt: skip
            for row, action in zip(table.rows[1:], section.actions, strict=True):
                if colours := RAG_FILL.get(action["rag"]):
                    _shade(row.cells[3], *colours)
        for indicator in section.indicators:
            _table(
                document,
                f"{indicator['title']}" + (f" ({indicator['unit']})" if indicator["unit"] else ""),
                ["Period", "Value", "95% confidence interval"],
                [["Baseline", indicator["baseline"], ""]] * (indicator["baseline"] is not None)
                + [
                    [v["period"], v["value"],
                     f"{v['lower_ci']} to {v['upper_ci']}" if v["lower_ci"] is not None else ""]
                    for v in indicator["values"]
                ]
                + [["Target", indicator["target"], ""]] * (indicator["target"] is not None),
            )  # fmt: skip
            judged = (
                f"Latest {indicator['latest']['value']} for {indicator['latest']['period']}: "
                f"{indicator['since_previous']} than the value before, "
                f"{indicator['since_baseline']} than the baseline; {indicator['trajectory']}. "
                if indicator["latest"]
                else "No values by the end of the period. "
            )
            if chart := indicator_chart(indicator):  # as the PDF has one
                _chart(document, chart)
            document.add_paragraph(judged.strip())
    document.add_heading(
        f"{numbers['changes']}. What changed since "
        + (f"the last report (“{doc.changes['against']}”)" if doc.changes.get("against")
           else "the period began"),
        level=1,
    )  # fmt: skip
    _changes(document, doc.changes)
    if doc.risks:
        document.add_heading(f"{numbers['risks']}. Risks and issues", level=1)
        _paragraphs(document, doc.risks)
    if doc.next_steps:
        document.add_heading(f"{numbers['next_steps']}. Next steps", level=1)
        _paragraphs(document, doc.next_steps)
    footer = page.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{doc.title} · page ")
    files._page_number(footer)
    footer.runs[0].font.size = Pt(9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# The pages -------------------------------------------------------------------------------------


@login_required
@require_GET
def progress_docx(request, slug: str, pk: int):
    report = get_report(request.user, slug, pk)
    doc = build_document(report, charts=False)
    return _attachment(docx_bytes(doc), DOCX_TYPE, filename(doc, "docx"))


@login_required
@require_GET
def progress_pdf(request, slug: str, pk: int):
    report = get_report(request.user, slug, pk)
    reason = files.pdf_unavailable_reason()
    if reason is None:
        context = print_context(report, for_pdf=True)
        html = render_to_string("delivery/progress_report_print.html", context, request=request)
        try:
            pdf = files.pdf_bytes(html, CSS)
        except Exception:  # a broken library must not become a server error
            logger.exception("PDF of progress report %s failed", report.pk)
            reason = (
                "The PDF could not be made on this server just now. Use the print view and "
                "your browser's “Save as PDF”, or the Word file."
            )
        else:
            return _attachment(pdf, "application/pdf", filename(context["doc"], "pdf"))
    return render(
        request,
        "delivery/progress_report_pdf_unavailable.html",
        {"strategy": report.strategy, "report": report, "reason": reason},
        status=503,
    )
