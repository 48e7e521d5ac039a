"""The timeline's drawing (portal/timeline/svg.py): what it draws for each thing chart.py lays
out, and that text from the data is escaped, so the drawing stays well-formed whatever the
names hold."""

from __future__ import annotations

import datetime
from xml.etree import ElementTree

from django.utils import timezone

from governance import workflow
from governance.models import Body, BodySecretary, Purpose
from portal.timeline import layout, load_timelines
from portal.timeline.svg import timeline_svg
from tests.governance.conftest import decide

SVG = "{http://www.w3.org/2000/svg}"


CROSS = "M -6 -6 L 6 6 M 6 -6 L -6 6"


def shape(mark) -> tuple[str, str, str | None]:
    """A mark's last shape (the one on top): its element, its colour and its path."""
    top = mark[-1]
    colour = top.get("fill") if top.get("fill") not in (None, "#ffffff") else top.get("stroke")
    return top.tag.removeprefix(SVG), colour, top.get("d")


def drawing(strategy, today):
    timelines = load_timelines([strategy], today)
    layout(timelines, today)
    timeline = timelines[0]
    markup = str(timeline_svg(timeline.chart, timeline))
    return timeline, markup, ElementTree.fromstring(markup)  # well-formed, or this raises


def test_names_are_escaped_and_long_body_names_shortened_with_the_whole_as_hover(
    officer, strategy, secretary, lead_org
):
    strategy.title = 'Health & <Care> "2030"'
    strategy.save()
    long_name = "Health and Adult Social Care & Wellbeing Overview and Scrutiny Committee <Joint>"
    body = Body.objects.create(organisation=lead_org, name=long_name, kind="scrutiny")
    BodySecretary.objects.create(body=body, user=secretary)
    gate = workflow.add_gate(
        strategy, body, Purpose.SCRUTINISE, officer, [], timezone.localdate(), "month"
    )
    decide(gate, secretary, "approved", days_ago=1)
    timeline, markup, root = drawing(strategy, timezone.localdate())
    assert root.get("aria-label") == f"Timeline drawing of {strategy.title} (scrolls sideways)"
    svg = root.find(f"{SVG}svg")
    assert svg.find(f"{SVG}title").text == f"Approval timeline of {strategy.title}"
    assert svg.find(f"{SVG}desc").text.startswith("1 gate from ")
    lane = timeline.lanes[0]
    assert lane.is_shortened
    label = svg.find(f"{SVG}g/{SVG}text")
    assert label.find(f"{SVG}title").text == long_name
    spans = label.findall(f"{SVG}tspan")
    assert [s.text for s in spans] == lane.label_lines and spans[1].get("dy") == "13"
    assert "<Joint>" not in markup and "&lt;Joint&gt;" in markup


def test_each_kind_of_decision_has_its_own_mark_and_the_plan_its_bar(
    officer, strategy, board, cabinet, secretary, cabinet_secretary
):
    today = timezone.localdate()
    approved = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [], today, "month")
    decide(approved, secretary, "approved", days_ago=3)
    refused = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [], today, "month")
    decide(refused, cabinet_secretary, "deferred", days_ago=2)
    decide(refused, cabinet_secretary, "rejected", days_ago=1)
    timeline, markup, root = drawing(strategy, today)
    gates = root.findall(f".//{SVG}g[@class='tl-gate']")
    assert len(gates) == 2
    # A green diamond for passed, an amber circle for deferred, a red cross drawn twice (a white
    # edge under it) for refused.
    first, second = ([shape(m) for m in g.findall(f"{SVG}g")] for g in gates)
    assert first == [("path", "#146c43", "M 0 -8 L 8 0 L 0 8 L -8 0 Z")]
    assert second == [("circle", "#8a4b00", None), ("path", "#b02a37", CROSS)]
    bars = [r for g in gates for r in g.findall(f"{SVG}rect") if r.get("height") == "14"]
    assert len(bars) == 2  # each gate's planned month
    assert f'fill="url(#tl-hatch-{strategy.pk})"' not in markup  # no consultation span here
    # Today is on the axis: its dashed line and its label.
    assert root.find(f".//{SVG}line[@stroke-dasharray='5 3']") is not None


def test_today_beyond_the_dates_is_said_at_the_edge(officer, strategy, board):
    plan = datetime.date(2017, 9, 1)
    workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [], plan, "month")
    _, markup, _ = drawing(strategy, datetime.date(2030, 1, 1))
    assert "Today, 1 January 2030, is later →" in markup
    _, markup, _ = drawing(strategy, datetime.date(2010, 1, 1))
    assert "← Today, 1 January 2010, is earlier" in markup


def test_an_overdue_gate_stretches_to_today_and_a_replanned_one_shows_both_plans(
    officer, strategy, board, cabinet
):
    today = timezone.localdate()
    late = workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [], today - datetime.timedelta(days=90), "day"
    )
    moved = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [], today, "month")
    workflow.replan_gate(moved, today + datetime.timedelta(days=120), "month", officer)
    timeline, _, root = drawing(strategy, today)
    late_line = next(line for line in timeline.lines if line.gate.pk == late.pk)
    moved_line = next(line for line in timeline.lines if line.gate.pk == moved.pk)
    rects = root.findall(f".//{SVG}g[@class='tl-gate']/{SVG}rect")
    overdue = [r for r in rects if r.get("fill") == "#b02a37"]
    assert [(float(r.get("x")), float(r.get("width"))) for r in overdue] == [
        (late_line.overdue.x, late_line.overdue.width)
    ]
    dashed = [r for r in rects if r.get("stroke-dasharray") == "4 2"]
    assert [float(r.get("x")) for r in dashed] == [moved_line.replanned_bar.x]
