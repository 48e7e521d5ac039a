"""The approval timeline: its layout maths (portal/timeline/), /timeline/ and the strategy
page's timeline panel."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.dates import Precision
from governance.models import Body, Gate, Purpose
from portal.timeline import Period, layout, load_timelines, slippage
from portal.views import TIMELINE_PAGE_SIZE
from strategies.models import Strategy
from tests.bulk import bulk_strategies
from tests.conftest import client_for
from tests.factories import StrategyFactory
from tests.governance.conftest import decide
from tests.ladder import climb

TODAY = datetime.date(2018, 3, 15)
BEFORE = datetime.date(2017, 6, 1)  # before the plans below: no gate is overdue yet


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def timeline_of(strategy, today=None):
    today = today or timezone.localdate()
    timelines = load_timelines([strategy], today)
    layout(timelines, today)
    return timelines[0]


def line_of(timeline, gate):
    return next(line for line in timeline.lines if line.gate.pk == gate.pk)


@pytest.fixture
def ccg(other_org):
    return Body.objects.create(
        organisation=other_org, name="CCG Governing Body", kind="ccg_governing_body"
    )


# Layout -----------------------------------------------------------------------------------------


def test_parallel_gates_take_their_own_lanes(officer, strategy, board, cabinet, ccg):
    approve = workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [], datetime.date(2017, 12, 1), "month"
    )
    january = datetime.date(2018, 1, 1)
    adopt = workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, [approve], january, "month"
    )
    ccg_adopt = workflow.add_gate(
        strategy, ccg, Purpose.ADOPT, officer, [approve], january, "month"
    )
    # Two of the Board's gates in one step go on two lanes even though they do not overlap.
    note = workflow.add_gate(
        strategy, board, Purpose.NOTE, officer, [approve], datetime.date(2018, 3, 1), "day"
    )
    review = workflow.add_gate(
        strategy, board, Purpose.REVIEW, officer, [approve], datetime.date(2018, 5, 1), "day"
    )
    timeline = timeline_of(strategy, BEFORE)

    lanes = {gate.pk: line_of(timeline, gate).lane for gate in (approve, adopt, ccg_adopt)}
    assert len(set(lanes.values())) == 3
    assert line_of(timeline, adopt).step == line_of(timeline, ccg_adopt).step == 2
    assert line_of(timeline, note).lane != line_of(timeline, review).lane
    assert [lane.label for lane in timeline.lanes] == [
        "Health and Wellbeing Board",
        "Health and Wellbeing Board",
        "Cabinet",
        "CCG Governing Body",
    ]
    # The Board's note follows its approval on the first lane; its review, in the same step as
    # the note, takes a second lane of the Board.
    assert line_of(timeline, approve).lane == line_of(timeline, note).lane == 0
    assert line_of(timeline, review).lane == 1


def test_sequential_gates_of_a_body_share_its_lane(officer, strategy, board):
    first = workflow.add_gate(
        strategy, board, Purpose.REVIEW, officer, [], datetime.date(2017, 9, 1), "month"
    )
    second = workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [first], datetime.date(2017, 12, 1), "month"
    )
    timeline = timeline_of(strategy, BEFORE)
    assert line_of(timeline, first).lane == line_of(timeline, second).lane == 0
    assert len(timeline.lanes) == 1


def test_an_overdue_gate_stretches_to_today_so_the_next_takes_another_lane(
    officer, strategy, board
):
    first = workflow.add_gate(
        strategy, board, Purpose.REVIEW, officer, [], datetime.date(2017, 9, 1), "month"
    )
    second = workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [first], datetime.date(2017, 12, 1), "month"
    )
    timeline = timeline_of(strategy, TODAY)
    assert line_of(timeline, first).slippage.kind == "overdue"
    assert (line_of(timeline, first).lane, line_of(timeline, second).lane) == (0, 1)


@pytest.mark.parametrize(
    "planned, precision, starts_on, ends_on, text",
    [
        (
            datetime.date(2018, 2, 14),
            "day",
            datetime.date(2018, 2, 14),
            datetime.date(2018, 2, 14),
            "14 February 2018",
        ),
        (
            datetime.date(2018, 2, 14),
            "month",
            datetime.date(2018, 2, 1),
            datetime.date(2018, 2, 28),
            "February 2018",
        ),
        (
            datetime.date(2018, 7, 1),
            "season",
            datetime.date(2018, 6, 1),
            datetime.date(2018, 8, 31),
            "summer 2018",
        ),
        (
            datetime.date(2018, 1, 15),
            "season",
            datetime.date(2017, 12, 1),
            datetime.date(2018, 2, 28),
            "winter 2017/18",
        ),
        (
            datetime.date(2018, 5, 9),
            "quarter",
            datetime.date(2018, 4, 1),
            datetime.date(2018, 6, 30),
            "Q2 2018",
        ),
    ],
)
def test_planned_bars_span_their_precision(
    officer, strategy, board, planned, precision, starts_on, ends_on, text
):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [], planned, precision)
    timeline = timeline_of(strategy, TODAY)
    line = line_of(timeline, gate)
    chart = timeline.chart
    assert (line.first_plan.starts_on, line.first_plan.ends_on) == (starts_on, ends_on)
    assert line.planned_text == text
    assert line.bar.x == pytest.approx(chart.x(starts_on), abs=3.1)
    span = ((ends_on - starts_on).days + 1) * chart.pixels_per_day
    assert line.bar.width == pytest.approx(max(span, 6.0), abs=0.2)
    assert chart.starts_on <= starts_on and ends_on <= chart.ends_on


def test_slippage_is_measured_against_the_first_plan_after_replan_and_schedule(
    officer, strategy, board, secretary
):
    today = timezone.localdate()
    first_plan = today - days(60)
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, [], first_plan, "month")
    workflow.replan_gate(gate, today - days(20), "day", officer, "Moved to a later meeting")
    decision = decide(gate, secretary, "approved", days_ago=3)  # scheduling overwrites the plan
    gate.refresh_from_db()
    assert gate.planned_date == decision.decided_on

    line = line_of(timeline_of(strategy), gate)
    late = (decision.decided_on - Period(first_plan, "month").ends_on).days
    assert line.first_plan == Period(first_plan, "month")
    assert line.slippage.kind == "late" and line.slippage.days == late
    assert line.slippage.text == f"{late} days late"
    assert line.first_planned_text == Period(first_plan, "month").text
    assert [m.kind for m in line.marks] == ["passed"] and line.final.day == decision.decided_on


def test_decided_before_the_plan_is_early_and_within_it_on_time(
    officer, strategy, board, secretary
):
    today = timezone.localdate()
    early = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, [], today + days(10), "day")
    decision = decide(early, secretary, "noted", days_ago=1)
    on_time = workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [early], decision.decided_on, "month"
    )
    decide(on_time, secretary, "approved", days_ago=1)
    timeline = timeline_of(strategy)
    assert line_of(timeline, early).slippage.text == "11 days early"
    assert line_of(timeline, early).slippage.days == -11
    assert line_of(timeline, on_time).slippage.text == "on time"


def test_an_open_gate_past_its_planned_period_is_overdue(officer, strategy, board):
    today = timezone.localdate()
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, [], today - days(20), "day")
    future = workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [gate], today + days(40), "day"
    )
    timeline = timeline_of(strategy)
    line = line_of(timeline, gate)
    assert line.slippage.kind == "overdue" and line.slippage.text == "overdue by 20 days"
    chart = timeline.chart
    assert line.overdue.x == pytest.approx(chart.x(today - days(19)), abs=0.2)
    assert line.overdue.x + line.overdue.width == pytest.approx(chart.x(today), abs=0.2)
    assert chart.today_x is not None and chart.today_beyond == ""
    assert line_of(timeline, future).slippage.text == "not yet due"


def test_replanned_open_gate_shows_both_plans_and_how_far_it_moved(officer, strategy, board):
    today = timezone.localdate()
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, [], today + days(5), "day")
    workflow.replan_gate(gate, today + days(35), "day", officer, "Papers not ready")
    line = line_of(timeline_of(strategy), gate)
    assert line.slippage.text == "not yet due; 30 days later than first planned"
    assert line.bar and line.replanned_bar and line.replanned_bar.x > line.bar.x


def test_gates_with_no_date_are_listed_not_drawn(officer, strategy, board, cabinet, as_user):
    dated = workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [], datetime.date(2017, 12, 1), "month"
    )
    undated = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [dated])
    timeline = timeline_of(strategy, TODAY)
    assert line_of(timeline, undated).lane is None
    assert line_of(timeline, undated).slippage.text == "no date set"
    assert [line.gate for line in timeline.undrawn] == [undated]
    assert all("Cabinet" not in lane.label for lane in timeline.lanes)
    page = as_user(officer).get(reverse("timeline")).content.decode()
    assert "Not on the drawing (no date yet): Cabinet: adopt." in page
    assert "date to be set" in page


def test_a_route_with_no_dates_draws_nothing(officer, strategy, board):
    workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    timeline = timeline_of(strategy, TODAY)
    assert timeline.chart is None and timeline.lanes == []


def test_a_correction_replaces_what_it_corrects_and_deferrals_are_earlier_marks(
    officer, strategy, board, secretary
):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    deferral = decide(gate, secretary, "deferred", days_ago=30)
    correction = workflow.correct_decision(deferral, secretary, "Deferred to March.", "Papers late")
    approval = decide(gate, secretary, "approved", days_ago=2)
    line = line_of(timeline_of(strategy), gate)
    assert [(m.kind, m.url) for m in line.marks] == [
        ("deferred", correction.get_absolute_url()),
        ("passed", approval.get_absolute_url()),
    ]
    assert line.final.day == approval.decided_on


def test_rejection_is_a_cross_and_a_final_decision(officer, strategy, board, secretary):
    gate = workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [], timezone.localdate(), "month"
    )
    decision = decide(gate, secretary, "rejected", days_ago=1)
    line = line_of(timeline_of(strategy), gate)
    assert [m.kind for m in line.marks] == ["refused"] and line.final.day == decision.decided_on


def test_removed_gates_are_left_out(officer, strategy, board):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    workflow.remove_gate(gate, officer, "Not needed")
    assert timeline_of(strategy, TODAY).lines == []


def test_today_far_from_the_dates_does_not_stretch_the_axis(officer, strategy, board):
    workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [], datetime.date(2012, 9, 1), "month"
    )
    chart = timeline_of(strategy, TODAY).chart
    assert chart.ends_on < TODAY and chart.today_beyond == "after" and chart.today_x is None


@pytest.mark.parametrize(
    "actual, expected",
    [
        (datetime.date(2018, 1, 10), ("late", 10, "10 days late")),
        (datetime.date(2018, 1, 1), ("late", 1, "1 day late")),
        (datetime.date(2017, 12, 31), ("on_time", 0, "on time")),
        (datetime.date(2017, 12, 1), ("on_time", 0, "on time")),
        (datetime.date(2017, 11, 28), ("early", -3, "3 days early")),
    ],
)
def test_slippage_in_days_against_a_month(actual, expected):
    plan = Period(datetime.date(2017, 12, 1), Precision.MONTH)
    gate = Gate(state=Gate.State.PASSED)
    result = slippage(gate, plan, plan, actual, TODAY)
    assert (result.kind, result.days, result.text) == expected


# /timeline/ -------------------------------------------------------------------------------------


@pytest.fixture
def routes(officer, strategy, board, other_officer, other_org, ccg):
    """The lead organisation's draft with a Board gate; another organisation's draft with a
    CCG gate, and its adopted strategy (which everyone reads)."""
    workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [], TODAY, "month")
    theirs = StrategyFactory(lead_organisation=other_org, title="Milton Keynes draft strategy")
    workflow.add_gate(theirs, ccg, Purpose.ADOPT, other_officer, [], TODAY, "day")
    adopted = StrategyFactory(
        lead_organisation=other_org, title="Milton Keynes adopted strategy", stage="adopted"
    )
    return strategy, theirs, adopted


def titles(response) -> list[str]:
    return [t.strategy.title for t in response.context["timelines"]]


def test_timeline_ladder(request, routes):
    climb(
        request,
        reverse("timeline"),
        {
            "officer": 200,
            "secretary": 200,
            "manager": 200,
            "administrator": 200,
            "other_officer": 200,
        },
    )


def test_officer_of_another_organisation_does_not_see_our_draft(other_officer, routes):
    response = client_for(other_officer).get(reverse("timeline"))
    assert sorted(titles(response)) == [
        "Milton Keynes adopted strategy",
        "Milton Keynes draft strategy",
    ]
    assert "Dudley Health and Wellbeing Strategy" not in response.content.decode()


def test_officer_sees_their_own_and_adopted_strategies(officer, routes):
    response = client_for(officer).get(reverse("timeline"))
    assert sorted(titles(response)) == [
        "Dudley Health and Wellbeing Strategy",
        "Milton Keynes adopted strategy",
    ]


def test_manager_sees_every_strategy(manager, routes):
    response = client_for(manager).get(reverse("timeline"))
    assert len(titles(response)) == 3
    text = response.content.decode()
    assert 'role="img"' in text and "<caption" in text and 'scope="rowgroup"' in text


def test_filters_by_organisation_stage_and_body(manager, routes, other_org, board, ccg):
    client = client_for(manager)
    url = reverse("timeline")
    assert sorted(titles(client.get(url, {"organisation": other_org.pk}))) == [
        "Milton Keynes adopted strategy",
        "Milton Keynes draft strategy",
    ]
    assert titles(client.get(url, {"stage": "adopted"})) == ["Milton Keynes adopted strategy"]
    assert titles(client.get(url, {"body": board.pk})) == ["Dudley Health and Wellbeing Strategy"]
    both = client.get(url, {"body": ccg.pk, "organisation": other_org.pk, "stage": "draft"})
    assert titles(both) == ["Milton Keynes draft strategy"]
    text = both.content.decode()
    # Each body named with its organisation: councils' bodies share names (Cabinet).
    assert f'<option value="{ccg.pk}" selected>{ccg.with_organisation}</option>' in text
    assert f"organisation={other_org.pk}" in text and "print=1" in text  # the print view link


def test_a_removed_gate_does_not_count_for_the_body_filter(manager, officer, strategy, cabinet):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    workflow.remove_gate(gate, officer, "Not needed")
    response = client_for(manager).get(reverse("timeline"), {"body": cabinet.pk})
    assert titles(response) == []


@pytest.mark.parametrize(
    "query",
    [
        {"organisation": "abc"},
        {"organisation": "999999"},
        {"organisation": "1" * 40},
        {"organisation": "-1"},
        {"stage": "nonsense"},
        {"body": "0x10"},
        {"body": "99999999"},
        {"page": "zzz"},
        {"page": "99999"},
        {"print": "yes", "organisation": "١٢"},
    ],
)
def test_odd_filter_values_never_fail(manager, routes, query):
    response = client_for(manager).get(reverse("timeline"), query)
    assert response.status_code == 200
    assert len(titles(response)) == 3
    if set(query) & {"organisation", "stage", "body"}:
        assert "is not one Waymark knows" in response.content.decode()


def test_print_view_keeps_the_filters_and_leaves_out_the_navigation(manager, routes, other_org):
    response = client_for(manager).get(
        reverse("timeline"), {"print": "1", "organisation": other_org.pk}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "portal/timeline_print.html"
    assert "navbar" not in text and "css/print-landscape.css" in text  # A4 landscape
    assert "lead organisation Milton Keynes Council" in text
    assert len(titles(response)) == 2


def test_timeline_pages_ten_strategies_at_a_time(manager, lead_org):
    for n in range(23):
        StrategyFactory(lead_organisation=lead_org, title=f"Strategy {n:02d}")
    client = client_for(manager)
    first = client.get(reverse("timeline"))
    assert len(titles(first)) == 10 and "Page 1 of 3" in first.content.decode()
    assert len(titles(client.get(reverse("timeline"), {"page": 3}))) == 3


def build_routes(lead_org, officer, secretary, board, cabinet, count: int) -> None:
    """`count` strategies, each with three gates (two parallel), decisions and a deferral."""
    for n in range(count):
        strategy = StrategyFactory(lead_organisation=lead_org, title=f"Strategy {n:03d}")
        review = workflow.add_gate(
            strategy, board, Purpose.REVIEW, officer, [], datetime.date(2018, 1, 1), "month"
        )
        decide(review, secretary, "deferred", days_ago=40)
        decide(review, secretary, "approved", days_ago=30)
        workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [review], TODAY, "season")
        workflow.add_gate(strategy, board, Purpose.NOTE, officer, [review], TODAY, "day")


@pytest.mark.parametrize("count", [10, 24])
def test_timeline_query_count_does_not_grow(
    manager, lead_org, officer, secretary, board, cabinet, count, django_assert_num_queries
):
    build_routes(lead_org, officer, secretary, board, cabinet, count)
    client = client_for(manager)
    # session, user with their organisation (header); organisations and bodies (filters);
    # count and page of strategies; gates, what they wait for, decisions, first plans, windows
    # + the strategies' partner links, to name joint leads
    with django_assert_num_queries(12):
        response = client.get(reverse("timeline"))
    assert response.status_code == 200 and len(titles(response)) == min(count, TIMELINE_PAGE_SIZE)


@pytest.mark.parametrize("count", [10, 500])
def test_timeline_query_count_is_fixed_from_10_to_500_strategies(
    manager, lead_org, board, cabinet, count, django_assert_num_queries
):
    bulk_strategies(lead_org, board, cabinet, count)
    client = client_for(manager)
    # + the strategies' partner links, to name joint leads
    with django_assert_num_queries(12):
        response = client.get(reverse("timeline"))
    assert response.status_code == 200 and len(titles(response)) == min(count, TIMELINE_PAGE_SIZE)


# The strategy page's panel ----------------------------------------------------------------------


def test_strategy_page_shows_its_own_timeline(officer, strategy, board, cabinet, secretary):
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [], TODAY, "month")
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [approve])
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "Approval timeline" in page
    assert f'aria-labelledby="tl-title-{strategy.pk} tl-desc-{strategy.pk}"' in page
    assert "<details" in page and "The timeline as a table" in page
    assert "Not on the drawing (no date yet): Cabinet: adopt." in page


def test_strategy_page_without_a_route_has_no_timeline(officer, strategy):
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "Approval timeline" not in page


@pytest.mark.parametrize("gates", [2, 9])
def test_strategy_page_timeline_query_count_does_not_grow(
    officer, strategy, board, secretary, gates, django_assert_num_queries
):
    from portal import panels

    previous = []
    for n in range(gates):
        gate = workflow.add_gate(
            strategy, board, Purpose.DISCUSS, officer, previous[-1:], TODAY + days(n), "day"
        )
        if n < 2:
            decide(gate, secretary, "noted", days_ago=10 - n)
        previous.append(gate)
    fresh = Strategy.objects.get(pk=strategy.pk)
    # gates (the removed ones too, for the adoption panel), what they wait for, decisions,
    # windows (the route, read once for both panels); first plans
    with django_assert_num_queries(5):
        context = panels.timeline(panels.load_route(fresh, TODAY))
    assert len(context["timeline"].lines) == gates
