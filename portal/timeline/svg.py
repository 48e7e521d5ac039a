"""The drawing of one strategy's route on the shared axis that chart.py laid out, as SVG.

Written here rather than in a template: a page of timelines draws thousands of ticks, bars and
marks, and the template language took a third of the timeline page's time to write them
(docs/decisions/0038). Every text from the data goes through `escape`; numbers are written as
Python writes them, never localised. The table beside the drawing says everything it shows;
the drawing is an image named and described for screen readers. Its colours are SVG
presentation attributes (tests/test_design_tokens.py names this file among the few places that
keep literal colours).
"""

from __future__ import annotations

from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .chart import Chart
from .loading import StrategyTimeline

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
MARKS = {
    "passed": '<path d="M 0 -8 L 8 0 L 0 8 L -8 0 Z" fill="#146c43" stroke="#ffffff" '
    'stroke-width="1.5"/>',
    "refused": '<path d="M -6 -6 L 6 6 M 6 -6 L -6 6" stroke="#ffffff" stroke-width="5"/>'
    '<path d="M -6 -6 L 6 6 M 6 -6 L -6 6" stroke="#b02a37" stroke-width="3"/>',
}
NEXT_LINE = ' dy="13"'  # a lane label's second line
DEFERRED_MARK = '<circle r="6" fill="#ffffff" stroke="#8a4b00" stroke-width="2.5"/>'


def timeline_svg(chart: Chart, timeline: StrategyTimeline) -> SafeString:
    """The drawing in its scrolling region, ready to put in a page."""
    pk = timeline.strategy.pk
    title = escape(timeline.strategy.title)
    width, height = chart.width, timeline.height
    count = len(timeline.lines)
    period = f"{date_format(chart.starts_on, 'F Y')} to {date_format(chart.ends_on, 'F Y')}"
    out = [
        f'<div class="timeline-scroll" tabindex="0" role="region" aria-label="Timeline drawing'
        f' of {title} (scrolls sideways)">',
        f'<svg class="timeline-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="tl-title-{pk} tl-desc-{pk}" font-family="{FONT}" '
        f'font-size="12">',
        f'<title id="tl-title-{pk}">Approval timeline of {title}</title>',
        f'<desc id="tl-desc-{pk}">{count} gate{"" if count == 1 else "s"} from {period}: '
        "planned periods as outlined bars, decisions as marks on their dates. The table of "
        "gates gives every date and the slippage in words.</desc>",
        f'<defs><pattern id="tl-hatch-{pk}" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3effa"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#59359a" stroke-width="2"/></pattern></defs>',
    ]
    add = out.append
    # Lanes: alternate shading and their bodies' names.
    for number, lane in enumerate(timeline.lanes, start=1):
        add(f'<g transform="translate(0,{lane.y})">')
        if number % 2 == 0:
            add(f'<rect x="0" y="0" width="{width}" height="32" fill="#f4f6f8"/>')
        label_lines = lane.label_lines
        hover = f"<title>{escape(lane.label)}</title>" if lane.is_shortened else ""
        spans = "".join(
            f'<tspan x="8"{"" if index == 0 else NEXT_LINE}>{escape(text)}</tspan>'
            for index, text in enumerate(label_lines)
        )
        y = 14 if len(label_lines) > 1 else 20
        add(f'<text x="8" y="{y}" font-size="11" fill="#212529">{hover}{spans}</text></g>')
    # Axis: years and months, with grid lines down through the lanes.
    left = chart.lane_left
    if chart.start_year:
        add(
            f'<text x="{left + 4}" y="30" font-weight="600" fill="#212529">'
            f"{chart.start_year}</text>"
        )
    for tick in chart.ticks:
        label = escape(tick.label)
        if tick.is_year:
            add(
                f'<line x1="{tick.x}" y1="18" x2="{tick.x}" y2="{height}" stroke="#8c959f" '
                f'stroke-width="1"/><text x="{tick.x}" y="30" dx="4" font-weight="600" '
                f'fill="#212529">{label}</text>'
            )
        else:
            add(
                f'<line x1="{tick.x}" y1="38" x2="{tick.x}" y2="{height}" stroke="#d5dadf" '
                f'stroke-width="1"/><text x="{tick.x}" y="48" dx="4" fill="#495057">'
                f"{label}</text>"
            )
    add(
        f'<line x1="{left}" y1="56" x2="{chart.plot_right}" y2="56" stroke="#495057" '
        f'stroke-width="1"/><line x1="{left}" y1="18" x2="{left}" y2="{height}" '
        f'stroke="#495057" stroke-width="1"/>'
    )
    # Gates: planned periods, re-planned ones, overdue stretches and decisions.
    for lane in timeline.lanes:
        add(f'<g transform="translate(0,{lane.y})">')
        for line in lane.lines:
            add(f'<g class="tl-gate"><title>{escape(line.summary)}</title>')
            if box := line.span_box:
                add(
                    f'<rect x="{box.x}" y="5" width="{box.width}" height="22" '
                    f'fill="url(#tl-hatch-{pk})" stroke="#59359a" stroke-width="1"/>'
                )
            if box := line.bar:
                add(
                    f'<rect x="{box.x}" y="9" width="{box.width}" height="14" rx="2" '
                    'fill="#ffffff" fill-opacity="0.7" stroke="#1d3d5c" stroke-width="1.5"/>'
                )
            if box := line.replanned_bar:
                add(
                    f'<rect x="{box.x}" y="11" width="{box.width}" height="10" rx="2" '
                    'fill="none" stroke="#1d3d5c" stroke-width="1.5" stroke-dasharray="4 2"/>'
                )
            if box := line.overdue:
                add(
                    f'<rect x="{box.x}" y="14.5" width="{box.width}" height="3" fill="#b02a37"'
                    f' opacity="0.85"/><path d="M {box.x} 11 v 10" stroke="#b02a37" '
                    'stroke-width="2"/>'
                )
            for mark in line.marks:
                drawn = MARKS.get(mark.kind, DEFERRED_MARK)
                add(f'<g transform="translate({mark.x},16)">{drawn}</g>')
            add("</g>")
        add("</g>")
    # Today.
    today = escape(chart.today_text)
    if chart.today_x is not None:
        add(
            f"<g><title>Today, {today}</title>"
            f'<line x1="{chart.today_x}" y1="16" x2="{chart.today_x}" y2="{height}" '
            'stroke="#000000" stroke-width="1.5" stroke-dasharray="5 3"/>'
            f'<text x="{chart.today_x}" y="12" text-anchor="middle" font-weight="700" '
            'fill="#000000">Today</text></g>'
        )
    elif chart.today_beyond == "after":
        add(
            f'<text x="{chart.plot_right}" y="12" text-anchor="end" font-weight="700" '
            f'fill="#000000">Today, {today}, is later →</text>'
        )
    elif chart.today_beyond == "before":
        add(
            f'<text x="{left + 4}" y="12" font-weight="700" fill="#000000">← Today, {today}, '
            "is earlier</text>"
        )
    add("</svg></div>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
