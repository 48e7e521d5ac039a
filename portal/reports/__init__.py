"""Committee reports: the covering report a body reads with the strategy at a gate.

Waymark writes what it knows in the shape of a council committee report and drafts the rest
for the officer to rewrite (drafting.py, with a consultation told in words from
consultation.py). `start_report` creates a gate's report from it and `refresh_report` writes
the known sections again without touching the officer's own (editing.py), when governance's
report checks allow (governance/workflow/reports.py). `build_document` lays a report out as
numbered sections and paragraphs for the page, the print view, the Word file and the PDF alike
(layout.py, files.py); sections.py lists the sections in their order. views.py holds the pages.

A report can change while its gate is open and its papers have not been published: from then
on it stays as sent, like the strategy's text (docs/decisions/0004).
"""

from governance.workflow.reports import (
    gate_refusal,
    meeting_mismatch,
    report_refusal,
    writer_refusal,
)

from .drafting import known, prefill
from .editing import (
    lock_for_edit,
    refresh_report,
    save_report,
    stale_fields,
    start_report,
    update_report,
)
from .layout import Item, Paragraph, ReportDocument, Section, blocks, build_document
from .sections import KNOWN_FIELDS, OFFICER_SECTIONS, SECTIONS, SectionSpec, section_label

__all__ = [
    "KNOWN_FIELDS",
    "OFFICER_SECTIONS",
    "SECTIONS",
    "Item",
    "Paragraph",
    "ReportDocument",
    "Section",
    "SectionSpec",
    "blocks",
    "build_document",
    "gate_refusal",
    "known",
    "lock_for_edit",
    "meeting_mismatch",
    "prefill",
    "refresh_report",
    "report_refusal",
    "save_report",
    "section_label",
    "stale_fields",
    "start_report",
    "update_report",
    "writer_refusal",
]
