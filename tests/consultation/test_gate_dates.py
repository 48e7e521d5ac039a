"""A consultation gate's date, wherever it is read: the route, /gates.csv, the timeline, the
committee report, the dashboard and the projected adoption date all take it from the window's
dates, as planned, as it really closed, and at the length it is planned to run."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow
from governance.dates import describe_span, long_date
from governance.models import Gate
from portal.dashboard.consultations import consultations_section
from portal.projection import project_one
from portal.reports.consultation import window_summaries
from portal.timeline import load_timelines
from tests.conftest import client_for, downloaded
from tests.consultation.conftest import days
from tests.consultation.test_recorded_later_pages import dashboard_for


def consult_line(strategy):
    timeline = load_timelines([strategy], timezone.localdate())[0]
    return next(line for line in timeline.lines if line.gate.purpose == "consult")


def csv_planned(user, gate) -> str:
    response = client_for(user).get(reverse("governance:gates-csv"))
    rows = csv.DictReader(io.StringIO(downloaded(response)))
    return next(row["planned"] for row in rows if row["purpose"] == "Consult")


def route_when(user, strategy) -> str:
    """When the route says its (first) gate, the consultation's, runs, as it reads."""
    page = client_for(user).get(reverse("governance:route", args=[strategy.slug]))
    when = re.search(r"<dt>When</dt><dd>(.*?)</dd>", page.content.decode()).group(1)
    return html.unescape(when)


# A consultation closed early ------------------------------------------------------------------


def test_a_consultation_closed_early_is_dated_the_day_it_closed_everywhere(
    open_window, officer, strategy
):
    planned_close = long_date(open_window.closes_on)
    window = workflow.close_window(open_window, officer, "The Board asked for an early close")
    today = long_date(timezone.localdate())
    gate = Gate.objects.get(pk=window.gate_id)
    assert gate.planned == today != planned_close
    # The route and the CSV give the span it ran, from its opening to the day it closed.
    ran = describe_span(window.opens_on, timezone.localdate(), "day")
    assert route_when(officer, strategy) == ran and ran.endswith(today)
    opened = window.opens_on.isoformat()
    assert csv_planned(officer, gate) == f"{opened}/{timezone.localdate().isoformat()}"
    line = consult_line(strategy)
    assert line.planned_text == today and line.final.day == timezone.localdate()
    assert line.first_planned_text == planned_close  # what slippage is measured against


# Before a window opens: one date, the window's ------------------------------------------------


def test_before_it_opens_its_gate_reads_the_windows_planned_closing_everywhere(
    strategy, consult_gate, officer, lead_org
):
    assert consult_gate.planned == "date to be set"
    window = workflow.save_window(
        ConsultationWindow(
            strategy=strategy,
            gate=consult_gate,
            title="Have your say",
            slug="have-your-say",
            opens_on=days(5),
            closes_on=days(100),
        ),
        officer,
    )
    closes = long_date(window.closes_on)
    gate = Gate.objects.get(pk=consult_gate.pk)
    assert (gate.planned_date, gate.planned) == (window.closes_on, closes)
    # The route gives the span it is planned to run, not "Date to be set".
    assert route_when(officer, strategy) == describe_span(days(5), days(100), "day")
    assert route_when(officer, strategy).endswith(closes)
    line = consult_line(strategy)
    assert line.planned_text == closes and line.slippage.text == "not yet due"  # not "no date"
    assert window_summaries([gate.pk])[gate.pk].when == window.dates  # the report
    assert window.dates.endswith(closes)
    section = consultations_section(dashboard_for(officer, timezone.localdate()))
    assert [w.late_to_open for w in section["opening"]] == [False]  # not "the date has passed"
    # Re-planned, to a month: the gate follows, at the window's precision.
    window.closes_on, window.date_precision = days(130), "month"
    workflow.save_window(window, officer)
    gate.refresh_from_db()
    assert gate.planned == window.dates.split(" to ")[1] == consult_line(strategy).planned_text


def test_a_gate_under_way_keeps_its_date_when_its_window_is_saved(open_window, officer):
    gate = Gate.objects.get(pk=open_window.gate_id)
    open_window.title = "Renamed"
    workflow.save_window(open_window, officer)
    assert Gate.objects.get(pk=gate.pk).planned_date == gate.planned_date


# The projection -------------------------------------------------------------------------------


def test_a_window_planned_shorter_with_its_reason_is_projected_at_that_length(
    strategy, consult_gate, officer
):
    ConsultationWindow.objects.create(
        strategy=strategy,
        gate=consult_gate,
        title="A short one",
        slug="a-short-one",
        opens_on=days(-100),
        closes_on=days(-41),  # 60 days, its dates gone by while it was still planned
        minimum_days=84,
        short_window_reason="A refresh of the 2012 strategy: six weeks agreed by the Board.",
    )
    plan = next(p for p in project_one(strategy).gates if p.gate.pk == consult_gate.pk)
    assert plan.decided_on == timezone.localdate() + datetime.timedelta(days=59)
    assert plan.basis.startswith("60 days of consultation (its planned length")


def test_without_a_recorded_reason_the_projection_keeps_the_policy_minimum(
    strategy, consult_gate, officer
):
    ConsultationWindow.objects.create(
        strategy=strategy,
        gate=consult_gate,
        title="No dates yet",
        slug="no-dates-yet",
        minimum_days=84,
    )
    plan = next(p for p in project_one(strategy).gates if p.gate.pk == consult_gate.pk)
    assert plan.decided_on == timezone.localdate() + datetime.timedelta(days=83)
    assert plan.basis.startswith("84 days of consultation (the policy minimum)")
