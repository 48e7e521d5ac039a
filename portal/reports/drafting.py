"""What Waymark knows, written as a committee report: the strategy's priorities and objectives,
its evidence, the route so far, the timetable ahead and the consultation. `prefill(gate)` drafts
every field of a new report from it, `known(gate)` writes the known sections again for a
refresh; both read in a fixed number of queries (`_load`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from governance.models import Decision, Gate, Purpose, phone_validator
from governance.route import build_steps
from strategies.models import Priority, Strategy, partner_links_prefetch

from .consultation import GateSummary, window_summaries

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
    Purpose.COMMENT: "comment on",  # followed by whose decision it comes before (_before)
    Purpose.NOTE: "note",
    Purpose.CONSULT: "consult on",
    Purpose.MONITOR: "monitor the delivery of",
}


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
            partner_links_prefetch(),
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


def _before(k: _Known) -> str:
    """For a body asked for its comments, whose decision they come before: " before the Health
    and Wellbeing Board's final approval" (the adopting gate that waits for this one, or else
    the first later on the route); empty for any other purpose."""
    gate = k.gate
    if gate.purpose != Purpose.COMMENT:
        return ""
    live = [g for g in k.gates if g.state != Gate.State.REMOVED and g.pk != gate.pk]
    deciding = [g for g in live if g.purpose in Purpose.adopting()]
    waiting = [g for g in deciding if gate.pk in {w.pk for w in g.waits_for.all()}]
    later = waiting or [g for g in deciding if g.position > gate.position]
    if not later:
        return " before another body decides"
    decider = min(later, key=lambda g: g.position)
    what = "adoption" if decider.purpose == Purpose.ADOPT else "final approval"
    return f" before the {decider.body}'s {what}"


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


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
        # As the minutes give it: the date at its precision, and the minute's reference.
        minute = f" ({d.minute_cited})" if d.minute_reference else ""
        text = f"{d.meeting.body}, {d.decided_when}{minute}: {d.get_outcome_display().lower()}."
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
                outcome = decision.get_outcome_display().lower()
                notes.append(f"{outcome} {decision.decided_on_or_in}")
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
    title = strategy.title_with_period
    # "the Milton Keynes Joint Health …", but "Dudley's Health …" takes no article.
    named = title if title.split()[0].endswith(("'s", "’s")) else f"the {title}"
    asked = ASKED_TO.get(gate.purpose, gate.get_purpose_display().lower())
    named += _before(k)
    background = []
    if strategy.summary:
        background.append(strategy.summary)
    partners = [o.display_name for o in strategy.other_partners]
    led = f"The strategy is led by {strategy.leads_named}"
    background.append(led + (f" with {', '.join(sorted(partners))}." if partners else "."))
    if strategy.replaces:
        background.append(f"It refreshes and replaces the {strategy.replaces.title_with_period}.")
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
