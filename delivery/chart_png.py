"""An indicator's trend chart as a PNG picture, for the Word file of a progress report, which
cannot hold SVG (portal/reports/progress_files.py). It draws the same placed chart as the SVG
(delivery/charts.py `chart_model`) with Pillow, already installed with WeasyPrint and needing no
system library: the same points, whiskers, trajectory, baseline and target, axes and labels, at
`SCALE` times the SVG's size (960 by 495 pixels, about 150 dots an inch at the 16 cm it is
placed at), in the SVG's colours (charts.py's palette). Its labels are set in DejaVu Sans,
shipped in delivery/fonts/ (a unit such as "£ per head" or "m²", Welsh names with ŵ and ŷ):
never a font of the machine, which a server or CI may lack, so the picture looks the same on
every server (docs/decisions/0034-word-charts-as-pictures.md)."""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .charts import AXIS, GRID, LEVEL, MARK, PAPER, SERIES, TEXT, TRAJECTORY, Chart

SCALE = 1.5
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # SVG's text-anchor, at the baseline
# DejaVu Sans 2.37 (npm package dejavu-fonts-ttf; its licence beside it): Latin with its
# accents (Welsh ŵ and ŷ too), Greek, Cyrillic and the signs units use (£ € ² ≥ ×). Pillow's
# own font draws those as empty boxes.
FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _dashed(draw, start, end, dash: float, gap: float, fill: str, width: int) -> None:
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if not length:
        return
    dx, dy, done = (x2 - x1) / length, (y2 - y1) / length, 0.0
    while done < length:
        stop = min(done + dash, length)
        draw.line(
            [(x1 + dx * done, y1 + dy * done), (x1 + dx * stop, y1 + dy * stop)],
            fill=fill,
            width=width,
        )
        done = stop + gap


def trend_png(chart: Chart) -> bytes:
    """The chart as PNG bytes."""
    s = SCALE
    image = Image.new("RGB", (round(chart.width * s), round(chart.height * s)), PAPER)
    draw = ImageDraw.Draw(image)
    labels = font(round(11 * s))

    def w(pixels: float) -> int:  # a line's width
        return max(1, round(pixels * s))

    def at(x: float, y: float) -> tuple[float, float]:
        return (x * s, y * s)

    def text(x: float, y: float, words: str, anchor: str = "ls", fill: str = TEXT) -> None:
        draw.text(at(x, y), words, font=labels, fill=fill, anchor=anchor)

    if chart.empty:
        text(chart.width / 2, chart.height / 2, "No values to draw yet", "ms")
        return _bytes(image)
    left, right_edge = chart.left, chart.width - chart.right
    axis_y = chart.top + chart.plot_h
    for y, label in chart.y_ticks:
        draw.line([at(left, y), at(right_edge, y)], fill=GRID, width=w(1))
        text(left - 4, y + 4, label, "rs")
    if chart.unit:
        text(4, chart.top - 12, chart.unit)
    draw.line([at(left, axis_y), at(right_edge, axis_y)], fill=AXIS, width=w(1))
    for x, anchor, label in chart.x_labels:
        text(x, axis_y + 16, label, ANCHORS[anchor])
    text(left + (right_edge - left) / 2, chart.height - 4, "Period", "ms")
    if chart.trajectory:
        x1, y1, x2, y2 = chart.trajectory
        _dashed(draw, at(x1, y1), at(x2, y2), 6 * s, 4 * s, TRAJECTORY, w(2))
    for _name, y in chart.levels:
        _dashed(draw, at(left, y), at(right_edge, y), 2 * s, 3 * s, LEVEL, w(1))
    for x, lower, upper in chart.whiskers:
        for segment in (
            [(x - 3, lower), (x + 3, lower)],
            [(x, lower), (x, upper)],
            [(x - 3, upper), (x + 3, upper)],
        ):
            draw.line([at(*p) for p in segment], fill=AXIS, width=w(1))
    if chart.points:
        if len(chart.points) > 1:
            line = [at(x, y) for x, y, _, _ in chart.points]
            draw.line(line, fill=SERIES, width=w(2), joint="curve")
        r = chart.radius * s
        for x, y, _, _ in chart.points:
            cx, cy = at(x, y)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=SERIES)
    for name, x, y in chart.marks:
        if name == "Baseline":
            draw.rectangle(
                [at(x - 5, y - 5), at(x + 5, y + 5)], fill=PAPER, outline=MARK, width=w(2)
            )
        else:
            diamond = [at(x, y - 7), at(x + 7, y), at(x, y + 7), at(x - 7, y)]
            draw.polygon(diamond, fill=PAPER, outline=TRAJECTORY, width=w(2))
        if chart.size == "large":
            text(x, y - 10, name, "ms")
    return _bytes(image)


def _bytes(image: Image.Image) -> bytes:
    """As a PNG of 32 colours: the chart has eight (charts.py's palette) and their anti-aliased
    edges, and a palette picture is a third of the size and quicker to compress than a
    full-colour one."""
    out = io.BytesIO()
    image.quantize(colors=32, method=Image.Quantize.FASTOCTREE).save(out, format="PNG")
    return out.getvalue()
