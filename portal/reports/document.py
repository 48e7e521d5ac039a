"""Committee reports: the covering report a body reads with the strategy at a gate.

`prefill(gate)` writes what Waymark knows in the shape of a council committee report (the
strategy's priorities and objectives, its evidence, the route so far with earlier decisions,
the timetable ahead with dates at their precision, the consultation's dates and results) and
drafts the rest for the officer to rewrite. `start_report` creates a gate's report from it,
`refresh_report` writes the known sections again without touching the officer's own, and
`build_document` lays a report out as numbered sections and paragraphs for the page, the print
view, the Word file and the PDF alike (portal/reports/files.py).

A report can change while its gate is open and its papers have not been published: from then
on it stays as sent, like the strategy's text (docs/decisions/0007).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.forms.models import model_to_dict

from governance.dates import Precision, describe
from governance.forms import CommitteeReportForm
from governance.models import CommitteeReport, Decision, Gate, Purpose, phone_validator
from governance.route import build_steps
from governance.workflow import WorkflowError
from portal.reports.consultation import GateSummary, window_summaries
from strategies.models import Priority, Strategy

Stage = Strategy.Stage


@dataclass(frozen=True)
class SectionSpec:
    field: str
    heading: str
    known: bool = False  # written by Waymark; "Refresh from Waymark" writes it again


# The order of a report's numbered sections; empty sections are left out of the document.
SECTIONS = [
    SectionSpec("purpose", "Purpose of report"),
    SectionSpec("recommendations", "Recommendations"),
    SectionSpec("background", "Background"),
    SectionSpec("evidence", "Evidence", known=True),
    SectionSpec("route_so_far", "The route so far", known=True),
    SectionSpec("key_issues", "Key issues"),
    SectionSpec("strategy_content", "Priorities and objectives", known=True),
    SectionSpec("consultation", "Consultation", known=True),
    SectionSpec("timetable", "Timetable", known=True),
    SectionSpec("finance", "Finance"),
    SectionSpec("law", "Law"),
    SectionSpec("equality", "Equality impact"),
]
# Everything Waymark knows and can write again: the meeting line and the known sections.
KNOWN_FIELDS = ["meeting_line", *[s.field for s in SECTIONS if s.known]]
OFFICER_SECTIONS = [s.field for s in SECTIONS if not s.known]

# What a body is asked to do at a gate, as a verb for the purpose and the recommendation.
ASKED_TO = {
    Purpose.DEVELOP: "agree the development of",
    Purpose.DISCUSS: "discuss",
    Purpose.REVIEW: "review",
    Purpose.APPROVE_CONSULTATION: "approve a public consultation on",
    Purpose.ENDORSE: "endorse",
    Purpose.APPROVE: "approve",
    Purpose.ADOPT: "adopt",
    Purpose.SIGN_OFF: "sign off",
    Purpose.SCRUTINISE: "scrutinise",
    Purpose.NOTE: "note",
    Purpose.CONSULT: "consult on",
}


def section_label(field_name: str) -> str:
    if field_name == "meeting_line":
        return "Meeting"
    return next(s.heading for s in SECTIONS if s.field == field_name)


# Who may change a report, and when ---------------------------------------------------------------


def gate_refusal(gate: Gate) -> str | None:
    """Why this gate's report cannot be started or changed now, whoever asks; None if it can."""
    strategy = gate.strategy
    if gate.purpose == Purpose.CONSULT:
        return (
            "A consultation gate runs with its consultation window, not at a meeting, so it has "
            "no committee report."
        )
    if strategy.route_is_closed:
        return f"The strategy is {strategy.get_stage_display().lower()}; its route is closed."
    if gate.state == Gate.State.REMOVED:
        return "This gate has been removed from the route."
    if gate.state == Gate.State.REFERRED_BACK:
        return (
            f"The {gate.body} referred the strategy back. Resubmit the gate on the route before "
            f"changing its report."
        )
    if not gate.is_open:
        return (
            f"The {gate.body} has decided on this gate ({gate.get_state_display().lower()}), so "
            f"its report stays as it was sent."
        )
    if gate.papers_revision_id:
        return (
            f"The papers for the {gate.body} meeting of {gate.when} have been published, so the "
            f"report stays as sent until the {gate.body} decides."
        )
    return None


def writer_refusal(user, strategy: Strategy) -> str | None:
    """Why `user` never writes this strategy's committee reports, or None if they do."""
    if not user.is_authenticated:
        return "Sign in to prepare committee reports."
    if not strategy.is_lead_officer(user):
        return "Only officers of the lead organisation prepare and edit its committee reports."
    return None


def report_refusal(user, gate: Gate) -> str | None:
    """Why `user` may not start or change this gate's report now, or None if they may."""
    return writer_refusal(user, gate.strategy) or gate_refusal(gate)


# What Waymark knows -----------------------------------------------------------------------------


@dataclass
class _Known:
    strategy: Strategy
    gate: Gate
    gates: list[Gate]
    steps: list
    decisions: list[Decision]
    summaries: dict[int, GateSummary]


def _load(gate: Gate) -> _Known:
    """Everything the report draws on, in a fixed number of queries."""
    strategy = (
        Strategy.objects.select_related("lead_organisation", "replaces")
        .prefetch_related(
            "partners",
            Prefetch("priorities", queryset=Priority.objects.prefetch_related("objectives")),
            "evidence",
        )
        .get(pk=gate.strategy_id)
    )
    gates = list(Gate.objects.filter(strategy=strategy).for_route())
    decisions = list(
        Decision.objects.filter(gate__strategy=strategy).select_related("meeting__body")
    )
    steps, _ = build_steps(gates, decisions)
    consult_ids = [
        g.pk for g in gates if g.purpose == Purpose.CONSULT and g.state != Gate.State.REMOVED
    ]
    return _Known(
        strategy=strategy,
        gate=next(g for g in gates if g.pk == gate.pk),
        gates=gates,
        steps=steps,
        decisions=decisions,
        summaries=window_summaries(consult_ids) if consult_ids else {},
    )


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def on_or_in(day, precision: str) -> str:
    """'on 13 September 2017', 'in June 2012', 'in summer 2017'."""
    text = describe(day, precision)
    return f"on {text}" if precision == Precision.DAY else f"in {text}"


def meeting_line(gate: Gate) -> str:
    return f"Meeting of the {gate.body} – {gate.when}"


def _evidence(k: _Known) -> str:
    sources = list(k.strategy.evidence.all())
    if not sources:
        return "No evidence sources are recorded for the strategy yet."
    lines = []
    for source in sources:
        line = f"- {source.title} {source.year}".rstrip()
        kind = source.get_kind_display()
        if kind.lower() not in source.title.lower() and source.kind != source.Kind.OTHER:
            line += f" ({kind.lower()})"
        if source.url:
            line += f": {source.url}"
        lines.append(line)
    return "The strategy is built on this evidence:\n" + "\n".join(lines)


def _strategy_content(k: _Known) -> str:
    strategy = k.strategy
    term, terms = strategy.top_level_label, strategy.top_level_label_plural.lower()
    priorities = list(strategy.priorities.all())
    paragraphs = []
    if strategy.vision:
        paragraphs.append(f"Vision: {strategy.vision}")
    if not priorities:
        paragraphs.append(f"The strategy has no {terms} yet.")
        return "\n\n".join(paragraphs)
    objectives = sum(len(p.objectives.all()) for p in priorities)
    paragraphs.append(
        f"The strategy has {_count(len(priorities), term.lower(), terms)} and "
        f"{_count(objectives, 'objective', 'objectives')}:"
    )
    for number, priority in enumerate(priorities, start=1):
        lead = f"{term} {number}: {priority.title}"
        if priority.description:
            lead += f". {priority.description}"
        lines = [lead]
        for objective in priority.objectives.all():
            line = f"- {objective.title}"
            level = objective.get_commitment_level_display()
            if objective.commitment_level and level.lower() not in objective.title.lower():
                line += f" ({level.lower()})"
            lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _effective(decisions: list[Decision]) -> list[Decision]:
    """Decisions as they stand: a corrected decision gives way to its correction."""
    corrected = {d.corrects_id for d in decisions if d.corrects_id}
    return [d for d in decisions if d.pk not in corrected]


def _cutoff(k: _Known):
    """For a gate already decided, the day of its decision: the route "so far" ends there."""
    if k.gate.is_open:
        return None
    own = [d for d in _effective(k.decisions) if d.gate_id == k.gate.pk]
    return max((d.decided_on for d in own), default=None)


def _final_decision(k: _Known) -> Decision | None:
    own = [d for d in _effective(k.decisions) if d.gate_id == k.gate.pk]
    return own[-1] if own and not k.gate.is_open else None


def _route_so_far(k: _Known) -> str:
    cutoff = _cutoff(k)
    final = _final_decision(k)
    events = []
    for d in _effective(k.decisions):
        if d == final or (cutoff and d.decided_on > cutoff):
            continue
        text = f"{d.meeting.body}, {d.meeting.when}: {d.get_outcome_display().lower()}."
        if d.resolution:
            text += f" {d.resolution}"
        events.append((d.decided_on, d.pk, text))
    for gate in k.gates:
        if gate.purpose != Purpose.CONSULT or gate.state != Gate.State.PASSED:
            continue
        if cutoff and gate.planned_date and gate.planned_date > cutoff:
            continue
        summary = k.summaries.get(gate.pk)
        title = summary.title if summary else f"Consultation with the {gate.body}"
        when = summary.when if summary else gate.when
        text = f"{title}, {when}: completed."
        if gate.note:
            text += f" {gate.note}"
        events.append((gate.planned_date, 0, text))
    if not events:
        return "No body has decided on the strategy yet."
    events.sort(key=lambda e: (e[0] is None, e[0], e[1]))
    return "\n\n".join(text for _, _, text in events)


def _latest_event(k: _Known, gate: Gate):
    own = [d.decided_on for d in _effective(k.decisions) if d.gate_id == gate.pk]
    if own:
        return max(own)
    return gate.planned_date if gate.purpose == Purpose.CONSULT else None


def _timetable(k: _Known) -> str:
    cutoff = _cutoff(k)
    lines = []
    for step in k.steps:
        for view in step:
            gate = view.gate
            # Open gates, referred-back ones waiting to go again, this gate, and (for a report
            # on a decided gate) whatever came after its decision.
            later = cutoff is not None and (_latest_event(k, gate) or cutoff) > cutoff
            listed = gate.is_open or gate.state == Gate.State.REFERRED_BACK
            if not (listed or later or gate.pk == k.gate.pk):
                continue
            summary = k.summaries.get(gate.pk)
            when = summary.when if summary else gate.when
            line = f"- {gate.body}: {gate.get_purpose_display().lower()} – {when}"
            notes = []
            if gate.pk == k.gate.pk:
                notes.append("this report")
            if view.decision and not gate.is_open:
                decision = view.decision
                notes.append(
                    f"{decision.get_outcome_display().lower()} "
                    f"{on_or_in(decision.decided_on, decision.meeting.date_precision)}"
                )
            elif gate.purpose == Purpose.CONSULT and gate.state == Gate.State.PASSED:
                notes.append("completed")
            elif gate.purpose == Purpose.CONSULT and gate.state == Gate.State.SCHEDULED:
                notes.append("under way")
            elif gate.state == Gate.State.SCHEDULED and gate.pk != k.gate.pk:
                notes.append("on the agenda")
            elif gate.state == Gate.State.REFERRED_BACK:
                notes.append("referred back; to be resubmitted")
            if notes:
                line += f" ({'; '.join(notes)})"
            if gate.note:
                line += f". {gate.note}"
            lines.append(line)
    if not lines:
        return ""
    return "The route from here, in order (dates at the precision known):\n" + "\n".join(lines)


def _consultation(k: _Known) -> str:
    paragraphs = []
    for step in k.steps:
        for view in step:
            gate = view.gate
            if gate.purpose != Purpose.CONSULT:
                continue
            summary = k.summaries.get(gate.pk)
            if summary:
                paragraphs.extend(summary.paragraphs)
            else:
                paragraphs.append(
                    f"A consultation with the {gate.body} is on the route ({gate.when}); its "
                    f"window has not been planned yet."
                )
    return "\n\n".join(paragraphs)


def _known(k: _Known) -> dict[str, str]:
    return {
        "meeting_line": meeting_line(k.gate),
        "evidence": _evidence(k),
        "route_so_far": _route_so_far(k),
        "strategy_content": _strategy_content(k),
        "consultation": _consultation(k),
        "timetable": _timetable(k),
    }


def known(gate: Gate) -> dict[str, str]:
    """What Waymark knows now, for the sections "Refresh from Waymark" writes again."""
    return _known(_load(gate))


def _valid_phone(phone: str) -> str:
    try:
        phone_validator(phone)
    except ValidationError:
        return ""
    return phone


def prefill(gate: Gate) -> dict[str, str]:
    """A report for `gate` as far as Waymark can write it: every field of CommitteeReport."""
    k = _load(gate)
    strategy, gate = k.strategy, k.gate
    title = f"{strategy.title} {strategy.period}"
    # "the Milton Keynes Joint Health …", but "Dudley's Health …" takes no article.
    named = title if title.split()[0].endswith(("'s", "’s")) else f"the {title}"
    asked = ASKED_TO.get(gate.purpose, gate.get_purpose_display().lower())
    background = []
    if strategy.summary:
        background.append(strategy.summary)
    partners = [o.display_name for o in strategy.partners.all()]
    led = f"The strategy is led by {strategy.lead_organisation.name}"
    background.append(led + (f" with {', '.join(sorted(partners))}." if partners else "."))
    if strategy.replaces:
        background.append(
            f"It refreshes and replaces the {strategy.replaces.title} {strategy.replaces.period}."
        )
    return {
        "title": title,
        "author_name": strategy.author_name,
        "author_title": strategy.author_title,
        "purpose": (
            f"To ask the {gate.body} to {asked} {named}. The report sets out what the "
            f"strategy contains, the evidence it rests on, the route it has taken so far and the "
            f"timetable ahead."
        ),
        "recommendations": f"That the {gate.body} {asked} {named}.",
        "background": "\n\n".join(background),
        "key_issues": "",
        "finance": "",
        "law": "",
        "equality": "",
        **_known(k),
        "contact_name": strategy.contact_name,
        "contact_phone": _valid_phone(strategy.contact_phone),
        "contact_email": strategy.contact_email,
        "appendices": title,
    }


# Starting and refreshing ----------------------------------------------------------------------


def _locked_gate(gate: Gate) -> Gate:
    """The gate read afresh under the strategy's row lock, the lock workflow moves take."""
    Strategy.objects.select_for_update().filter(pk=gate.strategy_id).first()
    return Gate.objects.select_related("strategy", "body", "meeting").get(pk=gate.pk)


def start_report(gate: Gate, by) -> CommitteeReport:
    """Create the gate's report from what Waymark knows."""
    with transaction.atomic():
        gate = _locked_gate(gate)
        refusal = report_refusal(by, gate)
        if refusal:
            raise WorkflowError(refusal)
        if CommitteeReport.objects.filter(gate=gate).exists():
            raise WorkflowError(f"The {gate.body} gate already has its committee report.")
        report = CommitteeReport(gate=gate, version=1, **prefill(gate))
        report._change_reason = "Report started from what Waymark knows"
        report._history_user = by
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # someone else started it a moment ago
            raise WorkflowError(f"The {gate.body} gate already has its committee report.") from None
        return report


def save_report(form, gate: Gate, by) -> CommitteeReport:
    """Save a validated CommitteeReportForm; the caller runs validation and this in one
    transaction after `lock_for_edit`, so the version check and the rules hold. A form sent
    back unchanged saves nothing: no new version, no row in the history."""
    if not form.has_changed():
        return form.instance
    report = form.save(commit=False)
    report._change_reason = form.cleaned_data.get("reason") or "Report edited"
    if by is not None and by.is_authenticated:
        report._history_user = by
    report.save()
    return report


def update_report(report: CommitteeReport, by, reason: str = "", **changes) -> CommitteeReport:
    """Change a report outside the browser (load_demo, scripts) through the same form, rules
    and version check as the edit page. Raises WorkflowError, or ValidationError with the
    form's errors."""
    with transaction.atomic():
        gate = lock_for_edit(report.gate, by)
        report = CommitteeReport.objects.get(pk=report.pk)
        data = {**model_to_dict(report), **changes, "version": report.version, "reason": reason}
        form = CommitteeReportForm(data, instance=report, strategy=gate.strategy)
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        return save_report(form, gate, by)


def lock_for_edit(gate: Gate, by) -> Gate:
    """Lock and re-read the gate inside the caller's transaction; refuse if the report may not
    change now (the papers may have been published since the form was opened)."""
    gate = _locked_gate(gate)
    refusal = report_refusal(by, gate)
    if refusal:
        raise WorkflowError(refusal)
    return gate


def refresh_report(report: CommitteeReport, by, fields: list[str]) -> list[str]:
    """Write the chosen known sections again from what Waymark knows now. The officer's own
    sections stay as they are. Returns the labels of the sections that changed."""
    fields = [f for f in fields if f in KNOWN_FIELDS]
    with transaction.atomic():
        gate = lock_for_edit(report.gate, by)
        report = CommitteeReport.objects.select_for_update().get(pk=report.pk)
        fresh = known(gate)
        changed = [f for f in fields if getattr(report, f) != fresh[f]]
        if changed:
            for f in changed:
                setattr(report, f, fresh[f])
            report.version += 1
            labels = ", ".join(section_label(f) for f in changed)
            report._change_reason = f"Refreshed from Waymark: {labels}"
            report._history_user = by
            report.save()
        return [section_label(f) for f in changed]


def stale_fields(report: CommitteeReport) -> list[str]:
    """The known sections whose text differs from what Waymark knows now."""
    fresh = known(report.gate)
    return [f for f in KNOWN_FIELDS if getattr(report, f) != fresh[f]]


# The report laid out ------------------------------------------------------------------------------

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
    )
