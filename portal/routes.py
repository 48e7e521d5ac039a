"""Strategies' routes as read once for the pages that show them: the gates still on each route
(with their bodies, organisations and meetings, and the ids of the gates each waits for,
`waits_for_ids`), their decisions and
their consultation spans. The projection of adoption dates (portal/projection.py) and the
timeline (portal/timeline/) are both worked out from this, so that the strategy page, which
shows both, reads the route once: four queries however many strategies, gates and decisions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from governance.deadlines import note_call_in
from governance.models import Decision, Gate
from portal.spans import GateSpan, span_windows, spans_of
from strategies import prepared
from strategies.models import Strategy


@dataclass
class Routes:
    strategies: list[Strategy]
    today: datetime.date
    gates: list[Gate]  # still on a route (not removed), by strategy then position
    decisions: dict[int, list[Decision]]  # by gate, in the order recorded, each with its gate
    spans: dict[int, GateSpan]  # the consultation spans, by gate
    # The gates removed from the routes, when read (read_routes(include_removed=True)): so
    # that a route since emptied still counts as planned, and its decisions as recorded.
    removed: list[Gate] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_strategy: dict[int, list[Gate]] = defaultdict(list)
        for gate in self.gates:
            self._by_strategy[gate.strategy_id].append(gate)

    def of(self, strategy: Strategy) -> list[Gate]:
        return self._by_strategy.get(strategy.pk, [])

    def decisions_of(self, gates: list[Gate]) -> list[Decision]:
        return [d for g in gates for d in self.decisions.get(g.pk, [])]

    def is_planned(self, strategy: Strategy) -> bool:
        """Whether the strategy has a route, or had one (when removed gates were read)."""
        return bool(self.of(strategy)) or any(g.strategy_id == strategy.pk for g in self.removed)

    def latest_decision(self, strategy: Strategy) -> Decision | None:
        """The decision last recorded on the strategy's route, a removed gate's included when
        removed gates were read; None before any."""
        gates = self.of(strategy) + [g for g in self.removed if g.strategy_id == strategy.pk]
        recorded = self.decisions_of(gates)
        return max(recorded, key=lambda d: (d.recorded_at, d.pk), default=None)


def _gates(strategies: tuple[int, ...], include_removed: bool = False):
    """The gates of these strategies (by id), those removed from the routes too if asked."""
    gates = Gate.objects.filter(strategy_id__in=strategies)
    return gates if include_removed else gates.exclude(state=Gate.State.REMOVED)


def read_routes(
    strategies: Iterable[Strategy], today: datetime.date, *, include_removed: bool = False
) -> Routes:
    """The routes of these strategies: four queries (gates with their bodies, organisations
    and meetings; what they wait for; decisions; consultation spans), none after the first when
    there are no gates. With `include_removed`, removed gates (and their decisions) are read too,
    kept apart in `Routes.removed`: only to tell whether a route was ever planned and which
    decision was recorded last. Each query is chosen by the strategies' ids, so that its SQL is
    built once per process for each number of strategies (strategies/prepared.py)."""
    strategies = list(strategies)
    ids = [s.pk for s in strategies]
    gates = prepared.rows(
        f"routes:gates:{'all' if include_removed else 'on-route'}",
        lambda strategies: (
            _gates(strategies, include_removed)
            .select_related("body__organisation", "meeting")
            .order_by("strategy_id", "position")
        ),
        strategies=ids,
    )
    removed = [g for g in gates if g.state == Gate.State.REMOVED]
    gates = [g for g in gates if g.state != Gate.State.REMOVED]
    if gates:
        waits = prepared.rows(
            "routes:waits-for",
            lambda strategies: Gate.waits_for.through.objects.filter(
                from_gate__in=_gates(strategies)
            ).values_list("from_gate_id", "to_gate_id"),
            strategies=ids,
        )
    else:
        waits = []
    waits_for: dict[int, list[int]] = defaultdict(list)
    for gate_id, waits_for_id in waits:
        waits_for[gate_id].append(waits_for_id)
    for gate in gates:
        gate.waits_for_ids = waits_for.get(gate.pk, [])
        if gate.meeting is not None and gate.meeting.body_id == gate.body_id:
            gate.meeting.body = gate.body  # a gate is only ever on its own body's meetings
    decisions: dict[int, list[Decision]] = defaultdict(list)
    by_pk = {g.pk: g for g in gates + removed}
    if by_pk:
        recorded = prepared.rows(
            f"routes:decisions:{'all' if include_removed else 'on-route'}",
            lambda strategies: (
                Decision.objects.filter(gate__in=_gates(strategies, include_removed).values("pk"))
                .select_related("call_in", "corrects__call_in")
                .order_by("recorded_at", "pk")
            ),
            strategies=ids,
        )
    else:
        recorded = []
    for decision in recorded:
        decision.gate = by_pk[decision.gate_id]
        decisions[decision.gate_id].append(decision)
    # Whether an adopted strategy's adoption can still be called in, from the decisions read.
    note_call_in(strategies, today, [d for g in gates for d in decisions.get(g.pk, [])])
    spans = (
        spans_of(
            prepared.rows(
                "routes:spans",
                lambda strategies: span_windows(_gates(strategies).values("pk")),
                strategies=ids,
            )
        )
        if gates
        else {}
    )
    return Routes(strategies, today, gates, decisions, spans, removed)
