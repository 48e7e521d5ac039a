"""A committee report laid out as numbered sections and paragraphs (`build_document`), the
one layout the report page, the print view, the Word file and the PDF all render
(portal/reports/files.py, templates/portal/_report_document.html). Plain text becomes
paragraphs, bullet points and listed items (`blocks`); empty sections are left out. The
appendices are the lines the officer typed, lettered, and the papers attached to the gate and
the strategy's equality impact assessment (documents), numbered (`attached_papers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import F, Q

from documents.models import Document
from governance.models import CommitteeReport, Gate

from .sections import SECTIONS

BULLET = re.compile(r"^\s*[-*•–]\s+(?P<text>.+)$")
ORDERED = re.compile(r"^\s*(?P<marker>(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+(?P<text>.+)$")
LEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•–])\s+")
LEADING_APPENDIX = re.compile(r"^\s*appendix\s+[a-z]\s*[:.–-]?\s*", re.IGNORECASE)


@dataclass
class Item:
    text: str
    marker: str = ""  # "1." or "a)" as the officer typed it; empty for a bullet point


@dataclass
class Paragraph:
    number: str  # "3.2"
    text: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Section:
    number: int
    field: str
    heading: str
    known: bool
    paragraphs: list[Paragraph]


@dataclass
class ReportDocument:
    report: CommitteeReport
    title: str
    meeting_line: str
    report_of: str
    author: str
    sections: list[Section]
    empty: list[str]  # headings of the officer's sections still empty
    appendices: list[tuple[str, str]]  # ("A", "Health and Wellbeing Strategy")
    # The papers kept in Waymark that go with the report, numbered: (1, Document), each with
    # its latest version (its format and size are printed beside its title).
    attached: list[tuple[int, Document]] = field(default_factory=list)
    # The council's numbers for the report and its item, from the gate (set on the meeting's
    # page), e.g. ("Report number", "CAB 12/17"), ("Agenda item", "7b").
    references: list[tuple[str, str]] = field(default_factory=list)

    @property
    def contact(self) -> dict[str, str]:
        r = self.report
        return {"name": r.contact_name, "phone": r.contact_phone, "email": r.contact_email}

    @property
    def has_contact(self) -> bool:
        return any(self.contact.values())


def blocks(text: str) -> list[tuple[str, list[Item]]]:
    """Plain text as paragraphs: a blank line starts a new one, a line starting "- " is a
    bullet point and one starting "1." or "a)" a listed item of the paragraph before it."""
    result: list[tuple[str, list[Item]]] = []
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip()):
        lead: list[str] = []
        items: list[Item] = []
        for line in chunk.split("\n"):
            if not line.strip():
                continue
            bullet, ordered = BULLET.match(line), ORDERED.match(line)
            if bullet:
                items.append(Item(bullet["text"].strip()))
            elif ordered:
                items.append(Item(ordered["text"].strip(), ordered["marker"]))
            elif items:  # text after a list starts a paragraph of its own
                result.append((" ".join(lead), items))
                lead, items = [line.strip()], []
            else:
                lead.append(line.strip())
        if lead or items:
            result.append((" ".join(lead), items))
    return result


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


# The kinds of a gate's documents that go with its report as appendices (the report itself, a
# committee report attached to the gate, is not one of its own appendices); of the strategy's
# own documents, its equality impact assessment goes with every report (councils append it to
# each decision).
APPENDIX_KINDS = [Document.Kind.APPENDIX, Document.Kind.EQUALITY_IMPACT]


def attached_papers(gate: Gate) -> list[Document]:
    """The current (not withdrawn) papers that go with the gate's report, in one query: the
    gate's own in the order they were added, then the strategy's equality impact assessment.
    Internal papers too: the report is read by those who read the strategy, as they are."""
    return list(
        Document.objects.current()
        .filter(
            Q(gate=gate, kind__in=APPENDIX_KINDS)
            | Q(
                pk__in=Document.objects.filter(strategy_id=gate.strategy_id)
                .of_strategy_itself()
                .filter(kind=Document.Kind.EQUALITY_IMPACT)
                .values("pk")
            )
        )
        .order_by(F("gate").asc(nulls_last=True), "created_at", "pk")
    )


def build_document(report: CommitteeReport) -> ReportDocument:
    strategy = report.gate.strategy
    sections = []
    empty = []
    for spec in SECTIONS:
        text = getattr(report, spec.field).strip()
        heading = spec.heading
        if spec.field == "strategy_content":
            heading = f"{strategy.top_level_label_plural} and objectives"
        if not text:
            if not spec.known:
                empty.append(heading)
            continue
        number = len(sections) + 1
        if spec.field == "recommendations":
            paragraphs = [
                Paragraph(f"{number}.{n}", LEADING_NUMBER.sub("", line))
                for n, line in enumerate(lines(text), start=1)
            ]
        else:
            paragraphs = [
                Paragraph(f"{number}.{n}", lead, items)
                for n, (lead, items) in enumerate(blocks(text), start=1)
            ]
        sections.append(Section(number, spec.field, heading, spec.known, paragraphs))
    appendices = [
        (chr(ord("A") + n), LEADING_APPENDIX.sub("", line))
        for n, line in enumerate(lines(report.appendices)[:26])
    ]
    return ReportDocument(
        report=report,
        title=report.title,
        meeting_line=report.meeting_line,
        report_of=f"Report of the {report.author_title}" if report.author_title else "",
        author=", ".join(x for x in (report.author_name, report.author_title) if x),
        sections=sections,
        empty=empty,
        appendices=appendices,
        attached=list(enumerate(attached_papers(report.gate), start=1)),
        references=[
            (label, value)
            for label, value in [
                ("Report number", report.gate.report_number),
                ("Agenda item", report.gate.agenda_item),
            ]
            if value
        ],
    )
