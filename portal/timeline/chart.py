"""Where everything goes on the drawing: the shared time axis and its scale (`axis`), a lane
per body (`assign_lanes`), and the bars, boxes and marks in SVG user units that `layout`
places for svg.py to draw.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.dateformat import format as date_format

from governance.dates import first_day, latest_day

from .loading import GateLine, StrategyTimeline, day_text

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


@dataclass
class Box:
    """A horizontal extent on the drawing (a planned period, a window, an overdue stretch)."""

    x: float
    width: float


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
