"""Each strategy's route as the timeline reads it: its gates in route order, each with the
plan now, the first plan on record, its decisions and consultation window, and how far it has
slipped. `load_timelines` reads them for any number of strategies in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.dateformat import format as date_format

from governance.dates import Precision, describe, first_day, latest_day
from governance.models import Decision, Gate, Purpose, effective_decisions
from governance.route import route_steps, step_number
from governance.workflow import settling_outcomes
from portal.routes import Routes, read_routes
from portal.spans import GateSpan
from strategies import prepared
from strategies.models import Strategy

if TYPE_CHECKING:
    from .chart import Box, Chart, Lane


def day_text(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def days_text(days: int) -> str:
    return f"{days} day{'' if days == 1 else 's'}"


@dataclass(frozen=True)
class Period:
    """A planned date as a span of days: one day, a month, a quarter, a season."""

    date: datetime.date
    precision: str

    @property
    def starts_on(self) -> datetime.date:
        return first_day(self.date, self.precision)

    @property
    def ends_on(self) -> datetime.date:
        return latest_day(self.date, self.precision)

    @property
    def text(self) -> str:
        return describe(self.date, self.precision)

    @classmethod
    def of(cls, date: datetime.date | None, precision: str) -> Period | None:
        if date is None or precision == Precision.NOT_SET:
            return None
        return cls(date, precision)


@dataclass(frozen=True)
class Slippage:
    """How the actual date stands against the plan. `days` is positive when late (the decision
    came after the last day of the planned period) and negative when early (before its first
    day); a decision inside the planned period is on time."""

    kind: str  # late, on_time, early, overdue, due, waiting, none
    days: int | None
    text: str


@dataclass
class Mark:
    """A decision (or the close of a consultation) on the day it happened."""

    day: datetime.date
    kind: str  # passed, refused (rejected or referred back), deferred
    label: str
    url: str
    x: float = 0.0


@dataclass(eq=False)
class GateLine:
    gate: Gate
    step: int  # the route's step (gates of one step share no lane)
    plan: Period | None  # the plan now
    first_plan: Period | None  # the first plan on record: what slippage is measured against
    marks: list[Mark]
    final: Mark | None  # the decision that closed the gate (passed, rejected), if any
    span: GateSpan | None
    slippage: Slippage
    lane: int | None = None
    number: str = ""  # its number on the route, as the route page and the CSV give it
    # Filled in by layout():
    bar: Box | None = None  # the first plan
    replanned_bar: Box | None = None  # the plan now, when it differs and the gate is open
    span_box: Box | None = None
    overdue: Box | None = None

    @property
    def name(self) -> str:
        return f"{self.gate.body}: {self.gate.get_purpose_display().lower()}"

    @property
    def planned_text(self) -> str:
        return self.plan.text if self.plan else "date to be set"

    @property
    def first_planned_text(self) -> str:
        """The first plan, when it differs from the plan now (else empty)."""
        if self.first_plan and self.first_plan != self.plan:
            return self.first_plan.text
        return ""

    @property
    def is_drawn(self) -> bool:
        return self.lane is not None

    @property
    def span_text(self) -> str:
        span = self.span
        if span is None or (span.starts_on is None and span.ends_on is None):
            return ""
        opens = describe(span.starts_on, span.precision) if span.starts_on else "not set"
        closes = describe(span.ends_on, span.precision) if span.ends_on else "not set"
        return f"{span.label}: opens {opens}, closes {closes}"

    @property
    def summary(self) -> str:
        """Everything about the gate in one sentence, for the drawing's hover text."""
        parts = [self.name, f"planned {self.planned_text}"]
        if self.first_planned_text:
            parts.append(f"first planned {self.first_planned_text}")
        parts += [m.label for m in self.marks]
        if self.span_text:
            parts.append(f"consultation {self.span_text}")
        parts.append(self.slippage.text)
        return "; ".join(parts)

    def dates(self) -> list[datetime.date]:
        days = [m.day for m in self.marks]
        for period in (self.first_plan, self.plan):
            if period:
                days += [period.starts_on, period.ends_on]
        if self.span:
            days += [d for d in (self.span.starts_on, self.span.ends_on) if d]
        return days


@dataclass
class StrategyTimeline:
    strategy: Strategy
    lines: list[GateLine]  # every gate still on the route, in route order
    lanes: list[Lane] = field(default_factory=list)
    height: float = 0.0
    chart: Chart | None = None  # set by layout()

    @property
    def undrawn(self) -> list[GateLine]:
        return [line for line in self.lines if not line.is_drawn]

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for line in self.lines:
            counts[line.slippage.kind] += 1
        return counts


def first_plans(gate_ids: list[int]) -> dict[int, Period]:
    """The first plan recorded in each gate's history (one query, its SQL prepared once per
    process for each number of gates: strategies/prepared.py)."""
    if not gate_ids:
        return {}
    rows = prepared.rows(
        "timeline:first-plans",
        lambda gates: (
            Gate.history.filter(id__in=gates, planned_date__isnull=False)
            .exclude(planned_precision=Precision.NOT_SET)
            .order_by("id", "history_date", "history_id")
            .values_list("id", "planned_date", "planned_precision")
        ),
        gates=gate_ids,
    )
    plans: dict[int, Period] = {}
    for gate_id, date, precision in rows:
        plans.setdefault(gate_id, Period(date, precision))
    return plans


def _mark(decision: Decision) -> Mark:
    if decision.outcome in settling_outcomes():  # comments settle the gate, as passing does
        kind = "passed"
    elif decision.outcome == Decision.Outcome.DEFERRED:
        kind = "deferred"
    else:
        kind = "refused"
    return Mark(
        day=decision.decided_on,
        kind=kind,
        label=f"{decision.get_outcome_display()} {decision.decided_on_or_in}",
        url=decision.get_absolute_url(),
    )


def slippage(
    gate: Gate,
    plan: Period | None,
    first_plan: Period | None,
    actual: datetime.date | None,
    today: datetime.date,
) -> Slippage:
    """Late, on time or early against the first plan once decided; overdue while open when
    the planned period has ended."""
    if actual is not None:
        if first_plan is None:
            return Slippage("none", None, "no plan to measure against")
        if actual > first_plan.ends_on:
            days = (actual - first_plan.ends_on).days
            return Slippage("late", days, f"{days_text(days)} late")
        if actual < first_plan.starts_on:
            days = (actual - first_plan.starts_on).days
            return Slippage("early", days, f"{days_text(-days)} early")
        return Slippage("on_time", 0, "on time")
    if gate.state == Gate.State.REJECTED:
        return Slippage("none", None, "rejected")
    if plan is None:
        return Slippage("none", None, "no date set")
    if today > plan.ends_on:
        days = (today - plan.ends_on).days
        return Slippage("overdue", days, f"overdue by {days_text(days)}")
    if first_plan and plan.ends_on > first_plan.ends_on:
        days = (plan.ends_on - first_plan.ends_on).days
        return Slippage("due", days, f"not yet due; {days_text(days)} later than first planned")
    return Slippage("due", None, "not yet due")


def _line(
    gate: Gate,
    step: int,
    number: str,
    decisions: list[Decision],
    first_plan: Period | None,
    span: GateSpan | None,
    today: datetime.date,
) -> GateLine:
    marks = [_mark(d) for d in effective_decisions(decisions)]
    final = next((m for m in reversed(marks) if m.kind == "passed"), None)
    if final is None and gate.state == Gate.State.REJECTED and marks:
        final = marks[-1]
    if (
        gate.purpose == Purpose.CONSULT
        and gate.state == Gate.State.PASSED
        and span is not None
        and span.ends_on
    ):
        # A consultation passes when its window closes; there is no decision to link to. One
        # recorded after the fact is drawn on the day it really closed, and says so.
        label = f"Closed on {day_text(span.ends_on)}"
        if span.recorded:
            label += f". {span.recorded}"
        final = Mark(span.ends_on, "passed", label, span.url)
        marks.append(final)
    plan = Period.of(gate.planned_date, gate.planned_precision)
    first_plan = first_plan or plan
    return GateLine(
        gate=gate,
        step=step,
        number=number,
        plan=plan,
        first_plan=first_plan,
        marks=marks,
        final=final,
        span=span,
        slippage=slippage(gate, plan, first_plan, final.day if final else None, today),
    )


def load_timelines(strategies: Iterable[Strategy], today: datetime.date) -> list[StrategyTimeline]:
    """The timelines of these strategies, in the order given: five queries however many
    strategies, gates and decisions there are (gates with their bodies and meetings, what they
    wait for, decisions, consultation spans, first plans)."""
    return timelines_of(read_routes(strategies, today))


def timelines_of(routes: Routes) -> list[StrategyTimeline]:
    """The timelines of routes already read (portal/routes.py, which the strategy page reads
    once for its panels): one query more, for the gates' first plans."""
    today = routes.today
    plans = first_plans([g.pk for g in routes.gates])
    timelines = []
    for strategy in routes.strategies:
        steps = route_steps(routes.of(strategy), lambda g: g.waits_for_ids)
        lines = [
            _line(
                gate,
                step_no,
                step_number(step_no, index, len(step)),
                routes.decisions.get(gate.pk, []),
                plans.get(gate.pk),
                routes.spans.get(gate.pk),
                today,
            )
            for step_no, step in enumerate(steps, start=1)
            for index, gate in enumerate(step)
        ]
        timelines.append(StrategyTimeline(strategy, lines))
    return timelines
