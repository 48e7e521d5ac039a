"""The projected adoption date on constructed routes, and what it rests on."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance import workflow
from governance.deadlines import end_of_working_days
from governance.models import Body, Meeting, Purpose
from portal.projection import project, project_one
from tests.factories import StrategyFactory
from tests.governance.conftest import at, decide
from tests.ladder import client_for

ONE_DAY = datetime.timedelta(days=1)


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def meeting_in(body: Body, days: int, **kw) -> Meeting:
    return Meeting.objects.create(body=body, starts_at=at(-days, hour=10), **kw)


@pytest.fixture
def ccg(lead_org):
    return Body.objects.create(organisation=lead_org, name="CCG Governing Body", kind="ccg")


def test_planned_day_then_next_meeting_of_an_executive_body_plus_call_in(
    strategy, board, cabinet, officer
):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(20), "day")
    adopt = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [review])
    meeting_in(cabinet, 15)  # before the board: no use
    meeting_in(cabinet, 40)
    projection = project_one(strategy)
    assert projection.gates[0].decided_on == in_days(20)
    assert projection.gates[1].decided_on == in_days(40)
    expected = end_of_working_days(in_days(40), 5) + ONE_DAY
    assert projection.adoption_on == expected
    assert "next meeting of the Cabinet" in projection.basis
    assert "call-in" in projection.basis
    assert not projection.adopted and adopt.pk == projection.gates[1].gate.pk


def test_month_precision_counts_to_the_end_of_the_month(strategy, board, officer):
    day = in_days(60)
    workflow.add_gate(strategy, board, Purpose.ADOPT, officer, (), day, "month")
    projection = project_one(strategy)
    end_of_month = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - ONE_DAY
    assert projection.adoption_on == end_of_month
    assert "its last day" in projection.basis


def test_parallel_gates_adopt_on_the_later_of_the_two(strategy, board, cabinet, ccg, officer):
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, (), in_days(10), "day")
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [approve], in_days(30), "day")
    workflow.add_gate(strategy, ccg, Purpose.ADOPT, officer, [approve], in_days(45), "day")
    projection = project_one(strategy)
    cabinet_effect = end_of_working_days(in_days(30), 5) + ONE_DAY
    assert cabinet_effect < in_days(45)
    assert projection.adoption_on == in_days(45)
    assert projection.basis.startswith("CCG Governing Body")


def test_no_meeting_scheduled_gives_a_reason_not_a_date(strategy, board, cabinet, officer):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(5), "day")
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [review])
    projection = project_one(strategy)
    assert projection.adoption_on is None
    assert "no meeting of the Cabinet is scheduled" in projection.unknown_reason


def test_no_meeting_after_a_gate_already_decided_says_the_day_plainly(
    strategy, board, cabinet, secretary, officer
):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    decide(review, secretary, "noted", days_ago=20)
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [review])
    reason = project_one(strategy).unknown_reason
    today = timezone.localdate()
    assert f"is scheduled on or after {today:%-d %B %Y}. Add the meeting" in reason
    assert "from today" not in reason


def test_no_meeting_in_time_for_the_forward_plan_says_why(strategy, cabinet, officer):
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, key_decision=True)
    reason = project_one(strategy).unknown_reason
    assert "clear days' Forward Plan notice)." in reason and "from today" not in reason


def test_a_key_decision_waits_for_its_forward_plan_notice(strategy, cabinet, officer):
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, key_decision=True)
    meeting_in(cabinet, 14)  # too soon for 28 clear days' notice
    meeting_in(cabinet, 35)
    projection = project_one(strategy)
    assert projection.gates[0].decided_on == in_days(35)
    assert "Forward Plan notice" in projection.gates[0].basis


def test_a_meeting_whose_agenda_deadline_has_passed_is_skipped(strategy, board, officer):
    workflow.add_gate(strategy, board, Purpose.ADOPT, officer)
    meeting_in(board, 2)  # agenda should already be out: too late to join it
    meeting_in(board, 30)
    assert project_one(strategy).adoption_on == in_days(30)


def test_a_plan_that_has_passed_falls_to_the_next_meeting(strategy, board, officer):
    workflow.add_gate(strategy, board, Purpose.ADOPT, officer, (), in_days(-20), "day")
    meeting_in(board, 21)
    projection = project_one(strategy)
    assert projection.adoption_on == in_days(21)
    assert "has passed" in projection.basis


def test_consultation_without_dates_takes_the_policy_minimum(strategy, board, officer, lead_org):
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    workflow.add_gate(strategy, board, Purpose.ADOPT, officer, [consult], in_days(200), "day")
    projection = project_one(strategy)
    assert projection.gates[0].decided_on == in_days(lead_org.consultation_minimum_days - 1)
    assert projection.adoption_on == in_days(200)


def test_adopted_strategy_reports_the_date_it_took_effect(strategy, board, secretary, officer):
    gate = workflow.add_gate(strategy, board, Purpose.ADOPT, officer)
    decision = decide(gate, secretary, days_ago=3)
    projection = project_one(strategy)
    assert projection.adopted and projection.adoption_on == decision.decided_on
    assert projection.call_in_until is None


def test_referred_back_or_withdrawn_gives_no_date(strategy, board_gate, secretary, officer):
    decide(board_gate, secretary, outcome="referred_back")
    assert "needs replanning" in project_one(strategy).unknown_reason
    workflow.withdraw(strategy, officer, "No longer needed")
    strategy.refresh_from_db()
    assert "withdrawn" in project_one(strategy).unknown_reason


def test_route_with_nothing_that_adopts(strategy, board, officer):
    workflow.add_gate(strategy, board, Purpose.NOTE, officer, (), in_days(5), "day")
    assert "adopts or approves" in project_one(strategy).unknown_reason


def _strategies_with_routes(lead_org, officer, board, cabinet, count):
    strategies = []
    for _ in range(count):
        strategy = StrategyFactory(lead_organisation=lead_org)
        first = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(9), "day")
        workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [first], key_decision=True)
        strategies.append(strategy)
    meeting_in(cabinet, 60)
    return strategies


@pytest.mark.parametrize("count", [2, 12])
def test_projection_runs_a_fixed_number_of_queries(lead_org, officer, board, cabinet, count):
    strategies = _strategies_with_routes(lead_org, officer, board, cabinet, count)
    with CaptureQueriesContext(connection) as queries:
        projections = project(strategies)
        for p in projections.values():
            p.notes(timezone.localdate())
    assert all(p.adoption_on for p in projections.values())
    # the gates with their bodies and meetings (one query, portal/routes.py), their
    # dependencies, decisions, consultation spans, the meetings ahead
    assert len(queries) == 5


def test_strategy_page_shows_the_projection_and_deadlines(strategy, board, cabinet, officer):
    workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, (), in_days(40), "day", key_decision=True
    )
    page = client_for(officer).get(strategy.get_absolute_url()).text
    assert "Projected adoption" in page
    assert "How the date is worked out" in page
    assert "publish notice on the Forward Plan" in page


def test_strategy_page_says_why_there_is_no_date(strategy, board, officer):
    workflow.add_gate(strategy, board, Purpose.ADOPT, officer)
    page = client_for(officer).get(strategy.get_absolute_url()).text
    assert "No adoption date can be projected yet" in page


def test_a_plan_too_soon_for_the_forward_plan_says_so(strategy, cabinet, officer):
    workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, (), in_days(9), "day", key_decision=True
    )
    meeting_in(cabinet, 40)
    basis = project_one(strategy).gates[0].basis
    assert "too soon for 28 clear days' notice on the Forward Plan" in basis
    assert "waits for" not in basis


def test_a_consultation_planned_later_counts_from_its_plan(strategy, board, officer):
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer, (), in_days(30), "day")
    projection = project_one(strategy)
    assert projection.gates[0].decided_on == in_days(30 + 84 - 1)
    assert consult.pk == projection.gates[0].gate.pk
