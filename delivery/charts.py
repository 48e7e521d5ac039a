"""An indicator's trend chart, drawn on the server as SVG (no JavaScript): its values as a line
with a point each, their confidence intervals as whiskers, the baseline and the target as
marked points, the trajectory between them as a dashed line, and axes labelled with the unit and
the periods. The chart scales to its box (a viewBox, no fixed size), so it reads at 320 pixels
wide; its <title> and <desc> say what it shows for screen readers, and the page puts the same
figures in a table beside it (templates/delivery/_values_table.html).

One model of the chart (`chart_model`: every line, point and label placed in the chart's own
coordinates) is drawn twice: as SVG here, and as a PNG for the Word file of a progress report
(delivery/chart_png.py, with Pillow), so the two cannot differ in their figures.

Values are placed at the end of their period, as the indicator's latest date is. Drawing is
plain arithmetic on the values already read: no query."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from strategies.models import OutcomeIndicator

from .models import IndicatorValue

# The chart's colours, for both drawings: the SVG below and the Word file's PNG
# (delivery/chart_png.py imports them), so the two cannot drift apart. Literal, not design
# tokens (static/css/tokens.css, whose header lists this place): Pillow reads no CSS, and the
# SVG carries them as presentation attributes, which take no var().
SERIES = "#0b5ed7"  # the values: their line and points
TRAJECTORY = "#6f42c1"  # baseline to target, dashed; and the target's diamond
LEVEL = "#6c757d"  # an undated baseline or target, across the chart
AXIS = "#505050"  # the period axis and the confidence whiskers
GRID = "#d0d0d0"
MARK = "#212529"  # the baseline's square
PAPER = "#fff"  # the chart's ground, and the inside of the baseline and target marks
TEXT = "#000"  # labels (the SVG's text is black by default)

SIZES = {  # width, height, left, right, top, bottom margins, most x labels
    "large": (640, 330, 64, 24, 30, 50, 8),
    "small": (320, 160, 48, 12, 24, 40, 3),
}


def _number(value: Decimal | float) -> str:
    """A figure as the axis and descriptions write it: no trailing zeros, no exponent."""
    text = f"{Decimal(str(value)).normalize():f}"
    return text


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round numbers spanning low..high, for the value axis."""
    if high == low:
        high, low = high + 1, low - 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, tick = [], first
    while tick <= high + step / 2:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def describe(indicator: OutcomeIndicator, values: list[IndicatorValue]) -> str:
    """The chart in words, for its <desc>."""
    unit = f" {indicator.unit}" if indicator.unit else ""
    parts = []
    if values:
        first, last = values[0], values[-1]
        parts.append(
            f"{len(values)} value{'s' if len(values) != 1 else ''} from {first.period} "
            f"({_number(first.value)}{unit}) to {last.period} ({_number(last.value)}{unit})."
        )
    else:
        parts.append("No values yet.")
    if indicator.baseline is not None:
        parts.append(f"Baseline {_number(indicator.baseline)}{unit}.")
    if indicator.target is not None:
        when = f" by {indicator.target_date:%B %Y}" if indicator.target_date else ""
        parts.append(f"Target {_number(indicator.target)}{unit}{when}.")
    parts.append(str(OutcomeIndicator.Polarity(indicator.polarity).label) + ".")
    return " ".join(parts)


@dataclass
class Chart:
    """What a trend chart shows, placed: x and y are in the chart's own units (its viewBox)."""

    size: str
    width: int
    height: int
    left: int
    right: int
    top: int
    plot_h: int
    chart_id: str
    title: str
    desc: str
    empty: bool = False
    unit: str = ""
    y_ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    x_labels: list[tuple[float, str, str]] = field(default_factory=list)  # (x, anchor, text)
    trajectory: tuple[float, float, float, float] | None = None  # x1, y1, x2, y2
    levels: list[tuple[str, float]] = field(default_factory=list)  # undated baseline/target
    whiskers: list[tuple[float, float, float]] = field(default_factory=list)  # x, low, high
    points: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, y, period, value
    marks: list[tuple[str, float, float]] = field(default_factory=list)  # name, x, y

    @property
    def radius(self) -> int:
        return 3 if self.size == "large" else 2


def chart_model(
    indicator: OutcomeIndicator, values: list[IndicatorValue], size: str = "large"
) -> Chart:
    """The chart of `values` (oldest first) of `indicator`, placed."""
    width, height, left, right, top, bottom, most_labels = SIZES[size]
    plot_w, plot_h = width - left - right, height - top - bottom
    chart = Chart(
        size, width, height, left, right, top, plot_h, f"chart-{indicator.pk}-{size}",
        f"{indicator.title}: trend", describe(indicator, values), unit=indicator.unit or "",
    )  # fmt: skip
    points = [(v.period_end, float(v.value)) for v in values]
    marks = []  # (date, figure) of the baseline and target, where dated
    if indicator.baseline is not None and indicator.baseline_date:
        marks.append((indicator.baseline_date, float(indicator.baseline)))
    if indicator.target is not None and indicator.target_date:
        marks.append((indicator.target_date, float(indicator.target)))
    figures = [y for _, y in points + marks]
    figures += [float(v.lower_ci) for v in values if v.lower_ci is not None]
    figures += [float(v.upper_ci) for v in values if v.upper_ci is not None]
    for undated in (indicator.baseline, indicator.target):
        if undated is not None:
            figures.append(float(undated))
    dates = [d for d, _ in points + marks]
    if not figures or not dates:
        chart.empty = True
        return chart
    ticks = _ticks(min(figures), max(figures))
    low, high = ticks[0], ticks[-1]
    first_day = min(dates).toordinal()
    last_day = max(dates).toordinal()
    span = max(last_day - first_day, 1)

    def x(day: datetime.date) -> float:
        offset = 0.5 if last_day == first_day else (day.toordinal() - first_day) / span
        return round(left + offset * plot_w, 1)

    def y(figure: float) -> float:
        return round(top + (1 - (figure - low) / (high - low)) * plot_h, 1)

    chart.y_ticks = [(y(tick), _number(tick)) for tick in ticks]
    # Period axis: at most `most_labels` labels, evenly taken, the last always.
    if values:
        step = max(1, math.ceil(len(values) / most_labels))
        for i in sorted(range(len(values) - 1, -1, -step)):
            at = x(values[i].period_end)
            # A label at either end of the axis runs inwards, never off the chart.
            anchor = "end" if at > width - right - 30 else "start" if at < left + 30 else "middle"
            chart.x_labels.append((at, anchor, values[i].period))
    if len(marks) == 2:  # the trajectory from baseline to target
        (d0, f0), (d1, f1) = marks
        chart.trajectory = (x(d0), y(f0), x(d1), y(f1))
    for name, figure, dated in (
        ("Baseline", indicator.baseline, indicator.baseline_date),
        ("Target", indicator.target, indicator.target_date),
    ):
        if figure is not None and not dated:
            chart.levels.append((name, y(float(figure))))
        elif figure is not None:
            chart.marks.append((name, x(dated), y(float(figure))))
    chart.whiskers = [
        (x(v.period_end), y(float(v.lower_ci)), y(float(v.upper_ci)))
        for v in values
        if v.lower_ci is not None and v.upper_ci is not None
    ]
    chart.points = [
        (x(v.period_end), y(float(v.value)), v.period, _number(v.value)) for v in values
    ]
    return chart


def trend_chart(
    indicator: OutcomeIndicator, values: list[IndicatorValue], size: str = "large"
) -> SafeString:
    """The SVG for `values` (oldest first) of `indicator`."""
    return svg(chart_model(indicator, values, size))


def svg(chart: Chart) -> SafeString:
    width, height, left, right, top = chart.width, chart.height, chart.left, chart.right, chart.top
    chart_id, plot_h, size = chart.chart_id, chart.plot_h, chart.size
    plot_w = width - left - right
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="trend-chart trend-chart-{size}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(chart.desc)}</desc>',
    ]
    if chart.empty:
        out.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="empty">'
            "No values to draw yet</text></svg>"
        )
        return mark_safe("".join(out))
    # Value axis: gridlines and labels, with the unit.
    out.append('<g class="axis y-axis" font-size="11">')
    for at, label in chart.y_ticks:
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{at}" y2="{at}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{at + 4}" text-anchor="end">{label}</text>'
        )
    if chart.unit:
        out.append(f'<text x="4" y="{top - 12}" class="unit">{escape(chart.unit)}</text>')
    out.append("</g>")
    out.append(
        f'<g class="axis x-axis" font-size="11"><line x1="{left}" x2="{width - right}" '
        f'y1="{top + plot_h}" y2="{top + plot_h}" stroke="{AXIS}"/>'
    )
    for at, anchor, text in chart.x_labels:
        out.append(
            f'<text x="{at}" y="{top + plot_h + 16}" text-anchor="{anchor}">{escape(text)}</text>'
        )
    out.append(
        f'<text x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle" class="axis-label">'
        f"Period</text></g>"
    )
    if chart.trajectory:  # dashed, from baseline to target
        x1, y1, x2, y2 = chart.trajectory
        out.append(
            f'<line class="trajectory" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
            f'stroke="{TRAJECTORY}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    for name, at in chart.levels:  # undated baseline or target: a level across the chart
        out.append(
            f'<line class="{name.lower()}-level" x1="{left}" x2="{width - right}" '
            f'y1="{at}" y2="{at}" stroke="{LEVEL}" stroke-dasharray="2 3"/>'
        )
    # Whiskers, then the line, then the points over them.
    for cx, lower, upper in chart.whiskers:
        out.append(
            f'<path class="ci" d="M{cx - 3} {lower}h6M{cx} {lower}V{upper}M{cx - 3} '
            f'{upper}h6" stroke="{AXIS}" fill="none"/>'
        )
    if chart.points:
        path = " ".join(f"{px},{py}" for px, py, _, _ in chart.points)
        out.append(
            f'<polyline class="series" points="{path}" fill="none" stroke="{SERIES}" '
            f'stroke-width="2"/>'
        )
        for px, py, period, figure in chart.points:
            out.append(
                f'<circle class="point" cx="{px}" cy="{py}" r="{chart.radius}" fill="{SERIES}">'
                f"<title>{escape(period)}: {figure}</title></circle>"
            )
    # Baseline (a square) and target (a diamond), each labelled in words.
    for name, cx, cy in chart.marks:
        if name == "Baseline":
            out.append(
                f'<rect class="baseline" x="{cx - 5}" y="{cy - 5}" width="10" height="10" '
                f'fill="{PAPER}" stroke="{MARK}" stroke-width="2"/>'
            )
        else:
            out.append(
                f'<path class="target" d="M{cx} {cy - 7}L{cx + 7} {cy}L{cx} {cy + 7}L{cx - 7} '
                f'{cy}Z" fill="{PAPER}" stroke="{TRAJECTORY}" stroke-width="2"/>'
            )
        if size == "large":
            out.append(
                f'<text x="{cx}" y="{cy - 10}" text-anchor="middle" font-size="11">{name}</text>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))
