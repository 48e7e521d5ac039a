"""The approval timeline: each strategy's route drawn planned against actual.

`load_timelines(strategies, today)` reads the gates of any number of strategies, their decisions,
the first plan in each gate's history and the consultation windows in a fixed number of queries,
and `layout(timelines, today)` works out where everything goes on a shared time axis. Both are
plain functions: templates/governance/_timeline.html only draws what they give it, and
/timeline/ and the strategy page's panel share them.

Slippage is measured against the first plan recorded for a gate, because putting a gate on a
meeting overwrites its planned date with the meeting's (governance/workflow.py schedule_gate):
measured against the current plan, every scheduled gate would look on time.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.dateformat import format as date_format

from governance.dates import Precision, describe, first_day, latest_day
from governance.models import Decision, Gate, Purpose, effective_decisions
from governance.route import build_steps
from portal.spans import GateSpan, gate_spans
from strategies.models import Strategy

ONE_DAY = datetime.timedelta(days=1)

# Geometry of the drawing, in SVG user units (CSS pixels at 100%).
LABEL_WIDTH = 220  # the lane labels (body names) on the left
PLOT_MIN_WIDTH = 860
PLOT_MAX_WIDTH = 3600
PIXELS_PER_DAY = 2.0  # preferred scale; squeezed to fit between the widths above
RIGHT_PADDING = 16
AXIS_HEIGHT = 58  # "Today" label, year row, month row
LANE_HEIGHT = 32
BOTTOM_PADDING = 8
MARGIN_DAYS = 14  # space before the first and after the last date drawn
TODAY_REACH_DAYS = 400  # today stretches the axis only when it is this close to the dates
SHARED_DAYS = 3 * 366  # timelines further apart than this each get their own axis
LABEL_CHARACTERS = 33  # a lane label's line at 11px; longer names wrap onto a second line


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


@dataclass
class Box:
    """A horizontal extent on the drawing (a planned period, a window, an overdue stretch)."""

    x: float
    width: float


@dataclass(eq=False)
class GateLine:
    gate: Gate
    step: int
    plan: Period | None  # the plan now
    first_plan: Period | None  # the first plan on record: what slippage is measured against
    marks: list[Mark]
    final: Mark | None  # the decision that closed the gate (passed, rejected), if any
    span: GateSpan | None
    slippage: Slippage
    lane: int | None = None
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


@dataclass(eq=False)
class Lane:
    label: str
    lines: list[GateLine] = field(default_factory=list)
    y: float = 0.0

    @property
    def label_lines(self) -> list[str]:
        """The body's name on at most two lines, shortened with "…" if it needs more (the
        full name is in the lane's hover text and in the table)."""
        lines = [""]
        for word in self.label.split():
            joined = f"{lines[-1]} {word}".strip()
            if len(joined) <= LABEL_CHARACTERS or not lines[-1]:
                lines[-1] = joined
            else:
                lines.append(word)
        if len(lines) > 2:
            lines = [lines[0], " ".join(lines[1:])]
        return [
            line if len(line) <= LABEL_CHARACTERS else line[: LABEL_CHARACTERS - 1] + "…"
            for line in lines
        ]

    @property
    def is_shortened(self) -> bool:
        return " ".join(self.label_lines) != " ".join(self.label.split())

    @property
    def middle(self) -> float:
        return self.y + LANE_HEIGHT / 2


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


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    is_year: bool


@dataclass
class Chart:
    """The shared axis of the timelines drawn on one page."""

    starts_on: datetime.date
    ends_on: datetime.date
    pixels_per_day: float
    width: float
    ticks: list[Tick]
    today: datetime.date
    today_x: float | None  # None when today lies beyond the dates drawn
    today_beyond: str  # "", "before" or "after"

    def x(self, day: datetime.date) -> float:
        return round(LABEL_WIDTH + (day - self.starts_on).days * self.pixels_per_day, 1)

    @property
    def plot_right(self) -> float:
        return round(self.width - RIGHT_PADDING, 1)

    @property
    def lane_left(self) -> int:
        return LABEL_WIDTH

    @property
    def start_year(self) -> str:
        """The year at the left edge, when the axis does not start in January."""
        return "" if self.starts_on.month == 1 else str(self.starts_on.year)

    @property
    def today_text(self) -> str:
        return day_text(self.today)


# Loading ---------------------------------------------------------------------------------------


def first_plans(gate_ids: list[int]) -> dict[int, Period]:
    """The first plan recorded in each gate's history (one query)."""
    rows = (
        Gate.history.filter(id__in=gate_ids, planned_date__isnull=False)
        .exclude(planned_precision=Precision.NOT_SET)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "planned_date", "planned_precision")
    )
    plans: dict[int, Period] = {}
    for gate_id, date, precision in rows:
        plans.setdefault(gate_id, Period(date, precision))
    return plans


def _mark(decision: Decision) -> Mark:
    if decision.outcome in Decision.Outcome.passing():
        kind = "passed"
    elif decision.outcome == Decision.Outcome.DEFERRED:
        kind = "deferred"
    else:
        kind = "refused"
    return Mark(
        day=decision.decided_on,
        kind=kind,
        label=f"{decision.get_outcome_display()} on {day_text(decision.decided_on)}",
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
        # A consultation passes when its window closes; there is no decision to link to.
        final = Mark(span.ends_on, "passed", f"Closed on {day_text(span.ends_on)}", span.url)
        marks.append(final)
    plan = Period.of(gate.planned_date, gate.planned_precision)
    first_plan = first_plan or plan
    return GateLine(
        gate=gate,
        step=step,
        plan=plan,
        first_plan=first_plan,
        marks=marks,
        final=final,
        span=span,
        slippage=slippage(gate, plan, first_plan, final.day if final else None, today),
    )


def load_timelines(strategies: Iterable[Strategy], today: datetime.date) -> list[StrategyTimeline]:
    """The timelines of these strategies, in the order given: five queries however many
    strategies, gates and decisions there are (gates with their bodies, what they wait for,
    decisions, first plans, consultation spans)."""
    strategies = list(strategies)
    gates = list(
        Gate.objects.filter(strategy__in=strategies)
        .exclude(state=Gate.State.REMOVED)
        .select_related("body")
        .prefetch_related(Prefetch("waits_for", queryset=Gate.objects.only("pk")))
        .order_by("strategy_id", "position")
    )
    gate_ids = [g.pk for g in gates]
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for decision in Decision.objects.filter(gate_id__in=gate_ids).order_by("recorded_at", "pk"):
        decisions[decision.gate_id].append(decision)
    plans = first_plans(gate_ids)
    spans = gate_spans(gate_ids)
    by_strategy: dict[int, list[Gate]] = defaultdict(list)
    for gate in gates:
        by_strategy[gate.strategy_id].append(gate)
    timelines = []
    for strategy in strategies:
        route = by_strategy.get(strategy.pk, [])
        steps, _ = build_steps(route, [d for g in route for d in decisions.get(g.pk, [])])
        lines = [
            _line(
                view.gate,
                number,
                decisions.get(view.gate.pk, []),
                plans.get(view.gate.pk),
                spans.get(view.gate.pk),
                today,
            )
            for number, step in enumerate(steps, start=1)
            for view in step
        ]
        timelines.append(StrategyTimeline(strategy, lines))
    return timelines


# Layout ----------------------------------------------------------------------------------------


def assign_lanes(timeline: StrategyTimeline, reach: dict[int, datetime.date]) -> None:
    """One lane per body, in the order the route first reaches it; a gate that shares a step
    with another of the lane's gates, or overlaps one in time, takes a further lane of that
    body. Gates with no date are left off the drawing (lane None). `reach` extends a gate's
    extent (an overdue gate reaches to today)."""
    lanes_of_body: dict[int, list[Lane]] = {}
    taken: dict[int, list[tuple[set[int], datetime.date]]] = {}
    for line in timeline.lines:
        dates = line.dates()
        if not dates:
            line.lane = None
            continue
        start, end = min(dates), max([*dates, reach.get(line.gate.pk, min(dates))])
        body_lanes = lanes_of_body.setdefault(line.gate.body_id, [])
        occupancy = taken.setdefault(line.gate.body_id, [])
        for index, (steps, lane_end) in enumerate(occupancy):
            if line.step not in steps and start > lane_end:
                steps.add(line.step)
                occupancy[index] = (steps, end)
                lane = body_lanes[index]
                break
        else:
            occupancy.append(({line.step}, end))
            lane = Lane(str(line.gate.body))
            body_lanes.append(lane)
        lane.lines.append(line)
    # A body's further lanes stay together, under its first.
    timeline.lanes = [lane for lanes in lanes_of_body.values() for lane in lanes]
    for index, lane in enumerate(timeline.lanes):
        for line in lane.lines:
            line.lane = index


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _ticks(chart: Chart) -> list[Tick]:
    per_month = chart.pixels_per_day * 30.4
    step = 1 if per_month >= 44 else 3 if per_month >= 16 else 12
    ticks = []
    month = _next_month(chart.starts_on) if chart.starts_on.day > 1 else chart.starts_on
    while month <= chart.ends_on:
        if month.month == 1:
            ticks.append(Tick(chart.x(month), str(month.year), True))
        elif (month.month - 1) % step == 0:
            ticks.append(Tick(chart.x(month), date_format(month, "M"), False))
        month = _next_month(month)
    return ticks


def axis(timelines: list[StrategyTimeline], today: datetime.date) -> Chart | None:
    """The time axis covering every date of these timelines, with a margin each side and
    today when it is near; None when none of them has a date to draw."""
    dates = [d for t in timelines for line in t.lines for d in line.dates()]
    if not dates:
        return None
    first, last = min(dates), max(dates)
    near = datetime.timedelta(days=TODAY_REACH_DAYS)
    if first - near <= today <= last + near:
        first, last = min(first, today), max(last, today)
    starts_on = _month_start(first - datetime.timedelta(days=MARGIN_DAYS))
    ends_on = _next_month(last + datetime.timedelta(days=MARGIN_DAYS)) - ONE_DAY
    days = (ends_on - starts_on).days + 1
    plot = min(max(days * PIXELS_PER_DAY, PLOT_MIN_WIDTH), PLOT_MAX_WIDTH)
    beyond = "before" if today < starts_on else "after" if today > ends_on else ""
    chart = Chart(
        starts_on=starts_on,
        ends_on=ends_on,
        pixels_per_day=plot / days,
        width=round(LABEL_WIDTH + plot + RIGHT_PADDING, 1),
        ticks=[],
        today=today,
        today_x=None,
        today_beyond=beyond,
    )
    chart.ticks = _ticks(chart)
    if not beyond:
        chart.today_x = round(chart.x(today) + chart.pixels_per_day / 2, 1)
    return chart


def layout(timelines: list[StrategyTimeline], today: datetime.date) -> bool:
    """Place every timeline on a time axis (each timeline's `chart`, None when it has nothing
    to draw). They share one axis, so that they can be compared down the page, unless their
    dates lie too far apart to read on one; then each has its own. True when shared."""
    shared = axis(timelines, today)
    is_shared = shared is not None and (shared.ends_on - shared.starts_on).days <= SHARED_DAYS
    for timeline in timelines:
        chart = shared if is_shared else axis([timeline], today)
        timeline.chart = chart
        if chart is None:
            continue
        # An overdue gate's stretch runs to today, or off the edge when today is beyond it.
        edge = min(today, chart.ends_on + ONE_DAY)
        reach = {line.gate.pk: edge for line in timeline.lines if line.slippage.kind == "overdue"}
        assign_lanes(timeline, reach)
        for index, lane in enumerate(timeline.lanes):
            lane.y = AXIS_HEIGHT + index * LANE_HEIGHT
        timeline.height = AXIS_HEIGHT + len(timeline.lanes) * LANE_HEIGHT + BOTTOM_PADDING
        for line in timeline.lines:
            if line.is_drawn:
                _place(chart, line, reach.get(line.gate.pk))
    return is_shared


def _box(chart: Chart, starts_on: datetime.date, ends_on: datetime.date, least=6.0) -> Box:
    """From the start of the first day to the end of the last; at least `least` wide so a
    single day stays visible, centred on it."""
    x0, x1 = chart.x(starts_on), chart.x(ends_on + ONE_DAY)
    if x1 - x0 < least:
        middle = (x0 + x1) / 2
        x0, x1 = middle - least / 2, middle + least / 2
    return Box(round(x0, 1), round(x1 - x0, 1))


def _place(chart: Chart, line: GateLine, reach: datetime.date | None) -> None:
    if line.first_plan:
        line.bar = _box(chart, line.first_plan.starts_on, line.first_plan.ends_on)
    if line.plan and line.plan != line.first_plan and line.gate.is_open:
        line.replanned_bar = _box(chart, line.plan.starts_on, line.plan.ends_on)
    span = line.span
    if span and (span.starts_on or span.ends_on):
        opens = first_day(span.starts_on or span.ends_on, span.precision)
        closes = latest_day(span.ends_on or span.starts_on, span.precision)
        line.span_box = _box(chart, opens, closes)
    for mark in line.marks:
        mark.x = round(chart.x(mark.day) + chart.pixels_per_day / 2, 1)
    if reach is not None and line.plan:
        start = chart.x(line.plan.ends_on + ONE_DAY)
        line.overdue = Box(round(start, 1), round(max(chart.x(reach) - start, 0), 1))
