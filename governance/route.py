"""The route as people read it: steps in order, parallel gates side by side, what is next, and
each gate's number on the route ("1", "2a", "2b", "3"), which the route page, the timeline and
the CSV of gates all give."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from string import ascii_lowercase

from .deadlines import recorded_call_in
from .gate_runs import GateRun
from .models import Decision, ExecutiveResponse, Gate
from .workflow.scrutiny import gate_state_label


def in_route_order(gates: list[Gate], waits_of: Callable[[Gate], Iterable[int]]) -> list[Gate]:
    """The gates with every gate after those it waits for, and otherwise in their order on the
    route (position): a gate added later can be waited for by one added earlier. Links to
    gates not in the list (removed ones) are left out. The links form no loop
    (workflow.set_waits_for refuses one); were there one, its gates would follow by position."""
    by_pk = {g.pk: g for g in gates}
    waiting: dict[int, set[int]] = {
        g.pk: {pk for pk in waits_of(g) if pk in by_pk and pk != g.pk} for g in gates
    }
    unlocks: dict[int, list[int]] = {pk: [] for pk in by_pk}
    for pk, waits in waiting.items():
        for waited in waits:
            unlocks[waited].append(pk)
    ready = [(g.position, g.pk) for g in gates if not waiting[g.pk]]
    heapq.heapify(ready)
    ordered: list[Gate] = []
    while ready:
        _, pk = heapq.heappop(ready)
        ordered.append(by_pk[pk])
        for later in unlocks[pk]:
            waiting[later].discard(pk)
            if not waiting[later]:
                heapq.heappush(ready, (by_pk[later].position, later))
    placed = {g.pk for g in ordered}
    return ordered + sorted((g for g in gates if g.pk not in placed), key=lambda g: g.position)


def route_steps(gates: list[Gate], waits_of: Callable[[Gate], Iterable[int]]) -> list[list[Gate]]:
    """The live gates (not removed) in steps: a gate's step is one after the latest step of
    what it waits for, so gates that wait for the same thing (Cabinet and the CCG) share a
    step; within a step, in their order on the route."""
    live = [g for g in gates if g.state != Gate.State.REMOVED]
    level: dict[int, int] = {}
    for gate in in_route_order(live, waits_of):
        waits = [pk for pk in waits_of(gate) if pk in level]
        level[gate.pk] = 1 + max((level[w] for w in waits), default=-1)
    steps: dict[int, list[Gate]] = {}
    for gate in sorted(live, key=lambda g: g.position):
        steps.setdefault(level[gate.pk], []).append(gate)
    return [steps[k] for k in sorted(steps)]


def step_number(step: int, index: int, size: int) -> str:
    """A gate's number on the route: its step's, lettered when gates run in parallel ("2a")."""
    if size == 1:
        return str(step)
    letter = ascii_lowercase[index] if index < len(ascii_lowercase) else f"-{index + 1}"
    return f"{step}{letter}"


def gate_numbers(gates: list[Gate], waits_of: Callable[[Gate], Iterable[int]]) -> dict[int, str]:
    """Each live gate's number on the route ("1", "2a", "2b", "3"): the one numbering of the
    route page, the timeline and the CSV of gates (build_steps gives it to each GateView)."""
    return {
        gate.pk: step_number(n, i, len(step))
        for n, step in enumerate(route_steps(gates, waits_of), start=1)
        for i, gate in enumerate(step)
    }


@dataclass
class GateView:
    gate: Gate
    decision: Decision | None
    decisions: list[Decision] = field(default_factory=list)
    number: str = ""  # its number on the route (gate_numbers)
    is_next: bool = False
    notes: list = field(default_factory=list)  # deadline notes (governance.deadlines)
    # The moves the route page offers here, as their checks in governance.workflow allow.
    can_record: bool = False
    record_not_yet: str | None = None  # why its recorder cannot record the decision yet
    can_replan: bool = False
    can_remove: bool = False
    can_resubmit: bool = False
    report_mismatch: str | None = None  # its report names another meeting (meeting_mismatch)
    # The executive's response to its comments or recommendations, when the decisions were read
    # with it (the route page reads them so).
    response: ExecutiveResponse | None = None
    # What runs at it in place of a meeting (a consultation window), when the page asked.
    run: GateRun | None = None
    # Its papers and its decisions' (documents not withdrawn), when the route page counted them,
    # and the group of the strategy's Documents tab they are listed in ("gate-12").
    papers: int = 0
    papers_group: str = ""

    @property
    def when(self) -> str:
        """When it is decided (Gate.when), or for a consultation gate the span its window runs
        over (or ran over): "13 October to 3 December 2021", at the window's precision."""
        return (self.run and self.run.when) or self.gate.when

    @property
    def call_in(self):
        """The call-in recorded of its decision, as read with it (the route page reads it)."""
        return recorded_call_in(self.decision) if self.decision else None

    @property
    def state_label(self) -> str:
        """ "Comments made" or "Recommendations made" rather than "Passed" (scrutiny.py)."""
        return gate_state_label(self.gate, self.decision)

    @property
    def awaiting_response(self) -> bool:
        """Recommendations made, and the executive has not yet responded."""
        outcome = self.decision.outcome if self.decision else None
        return outcome == Decision.Outcome.RECOMMENDATIONS and self.response is None


def response_read(decisions: list[Decision]) -> ExecutiveResponse | None:
    """The executive's response among `decisions` (a gate's), if they were read with it."""
    for decision in decisions:
        if Decision.executive_response.is_cached(decision):
            try:
                return decision.executive_response
            except ExecutiveResponse.DoesNotExist:
                continue
    return None


def build_steps(
    gates: list[Gate], decisions: list[Decision]
) -> tuple[list[list[GateView]], list[GateView]]:
    """Group gates into steps: a gate's step is one after the latest step of what it waits for,
    so gates that wait for the same thing (Cabinet and the CCG) share a step."""
    by_gate: dict[int, list[Decision]] = {}
    for d in decisions:
        by_gate.setdefault(d.gate_id, []).append(d)
    corrected = {d.corrects_id for d in decisions if d.corrects_id}
    passed = {g.pk for g in gates if g.state in (Gate.State.PASSED, Gate.State.REMOVED)}
    steps = []
    for n, step in enumerate(route_steps(gates, lambda g: [w.pk for w in g.waits_for.all()]), 1):
        views = []
        for i, gate in enumerate(step):
            effective = [d for d in by_gate.get(gate.pk, []) if d.pk not in corrected]
            views.append(
                GateView(
                    gate,
                    effective[-1] if effective else None,
                    by_gate.get(gate.pk, []),
                    number=step_number(n, i, len(step)),
                    response=response_read(by_gate.get(gate.pk, [])),
                    is_next=gate.is_open and all(w.pk in passed for w in gate.waits_for.all()),
                )
            )
        steps.append(views)
    removed = [
        GateView(g, None, by_gate.get(g.pk, [])) for g in gates if g.state == Gate.State.REMOVED
    ]
    return steps, removed
