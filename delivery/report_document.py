"""A progress report laid out for reading: the one layout its page, print view, Word file and
PDF render (templates/delivery/_progress_document.html; portal/reports/progress_files.py for
Word). What it says about delivery is its snapshot (report_snapshot.py), kept since it was sent
or taken now; the officer's sections come from the report itself, empty ones left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from .charts import Chart, chart_model, svg
from .models import ProgressReport
from .report_snapshot import chart_objects, take_snapshot

RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "": "Not rated"}


def indicator_chart(indicator: dict) -> Chart | None:
    """The trend chart of an indicator of the snapshot, placed, or None when it has nothing to
    draw (no values, and no baseline or target with a date). The page, print view and PDF draw
    it as SVG, the Word file as a picture (portal/reports/progress_files.py): both ask here, so an
    indicator has its chart in every format or in none."""
    chart = chart_model(*chart_objects(indicator), "large")
    return None if chart.empty else chart


@dataclass
class PrioritySection:
    number: str  # "3.1"
    heading: str
    commentary: str
    actions: list[dict]
    indicators: list[dict]  # each with its "chart" (SVG, or "" without one) beside its figures


@dataclass
class ProgressDocument:
    report: ProgressReport
    snapshot: dict
    summary: str
    recommendations: list[str]
    priorities: list[PrioritySection]
    changes: dict
    risks: str
    next_steps: str
    frozen: bool
    # The numbered headings in their order: (number, heading, key), empty ones left out.
    outline: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.report.title

    @property
    def has_changes(self) -> bool:
        c = self.changes
        return any(
            c.get(k)
            for k in ("rag_changes", "completed", "milestones_completed", "indicators_moved")
        )

    @property
    def numbers(self) -> dict[str, int]:
        """Each section's number by its key, for the templates."""
        return {key: n for n, _, key in self.outline}


def lines(text: str) -> list[str]:
    """One recommendation a line, any number the officer typed taken off (they are numbered
    for them)."""
    found = []
    for line in text.replace("\r", "\n").split("\n"):
        line = line.strip().lstrip("-*•–").strip()
        head, _, rest = line.partition(" ")
        if rest and head.rstrip(".)").isdigit():
            line = rest.strip()
        if line:
            found.append(line)
    return found


def build_document(report: ProgressReport, charts: bool = True) -> ProgressDocument:
    frozen = report.sent_at is not None and bool(report.snapshot)
    snapshot = report.snapshot if frozen else take_snapshot(report)
    label = snapshot.get("label") or report.strategy.top_level_label
    outline: list[tuple[int, str, str]] = []

    def add(heading: str, key: str) -> int:
        outline.append((len(outline) + 1, heading, key))
        return len(outline)

    if report.summary.strip():
        add("Summary", "summary")
    recommendations = lines(report.recommendations)
    if recommendations:
        add("Recommendations", "recommendations")
    progress = add("Progress", "progress")
    add("What changed since the last report", "changes")
    if report.risks.strip():
        add("Risks and issues", "risks")
    if report.next_steps.strip():
        add("Next steps", "next_steps")
    commentary = report.commentary if isinstance(report.commentary, dict) else {}
    sections = []
    for n, entry in enumerate(snapshot["priorities"], start=1):
        indicators = []
        for indicator in entry["indicators"]:
            drawn: SafeString | str = ""
            if charts and (chart := indicator_chart(indicator)):
                drawn = svg(chart)
            indicators.append({**indicator, "chart": drawn})
        heading = entry["title"]
        if entry["position"] is not None:
            heading = f"{label.capitalize()} {entry['position']}: {entry['title']}"
        sections.append(
            PrioritySection(
                number=f"{progress}.{n}",
                heading=heading,
                commentary=str(commentary.get(str(entry["id"]), "") or "").strip(),
                actions=[
                    {**a, "rag_word": RAG_WORDS.get(a["rag"], a["rag"])} for a in entry["actions"]
                ],
                indicators=indicators,
            )  # fmt: skip
        )
    return ProgressDocument(
        report=report,
        snapshot=snapshot,
        summary=report.summary.strip(),
        recommendations=recommendations,
        priorities=sections,
        changes=snapshot.get("changes", {}),
        risks=report.risks.strip(),
        next_steps=report.next_steps.strip(),
        frozen=frozen,
        outline=outline,
    )
