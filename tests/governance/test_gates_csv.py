"""The CSV of gates and decisions: every date column writes a date in one form for each
precision, and a decision called in and referred back keeps its row, on the gate taken off the
route for it, with who called it in, when, and the committee that referred it back. (A
consultation gate's row: tests/consultation/test_window_on_the_route.py.)"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import Body, CallIn, Meeting, Purpose
from tests.conftest import client_for, downloaded
from tests.governance.conftest import decide

D = datetime.date
TODAY = timezone.localdate()
CALLED_IN_BY = "Councillors Ali, Jennings and nine others"
REFERRED_BACK = "Removed: called in and referred back, to be decided again at a new gate"


def csv_rows(user) -> list[dict]:
    response = client_for(user).get(reverse("governance:gates-csv"))
    return list(csv.DictReader(io.StringIO(downloaded(response))))


# One form for each precision -------------------------------------------------------------------


def test_every_date_column_writes_one_form_for_each_precision(strategy, board, officer, secretary):
    """A month is 2017-03 in every column (the plan, the meeting, the decision), not "March
    2017" in some; a day is 2030-06-29, a quarter 2030-Q3, a date not yet set is empty."""
    approve = workflow.add_gate(
        strategy, board, Purpose.APPROVE, officer, [], D(2017, 3, 1), "month"
    )
    starts = timezone.make_aware(datetime.datetime(2017, 3, 1, 14))
    march = Meeting.objects.create(body=board, starts_at=starts, date_precision="month")
    workflow.schedule_gate(approve, march, secretary)
    workflow.record_decision(
        approve, secretary, "approved", "The Board approved the strategy.",
        decided_on=D(2017, 3, 20), decided_precision="month", recorded_later=True,
        recorded_from="the minutes of the Board of March 2017",
    )  # fmt: skip
    planned = {
        Purpose.ENDORSE: (D(2030, 6, 29), "day"),
        Purpose.ADOPT: (D(2030, 8, 1), "quarter"),
        Purpose.NOTE: (D(2030, 7, 1), "season"),
        Purpose.SIGN_OFF: (None, "not_set"),
    }
    for purpose, (day, precision) in planned.items():
        workflow.add_gate(strategy, board, purpose, officer, [approve], day, precision)
    rows = {row["purpose"]: row for row in csv_rows(officer)}
    approved = rows["Approve"]
    assert approved["planned"] == "2017-03"
    assert approved["meeting"] == "Health and Wellbeing Board — 2017-03"
    assert approved["decided on"] == "2017-03"
    assert rows["Endorse"]["planned"] == "2030-06-29"
    assert rows["Adopt"]["planned"] == "2030-Q3"
    assert rows["Note"]["planned"] == "summer 2030"  # no standard form that people read
    assert rows["Sign off"]["planned"] == ""


def test_a_meeting_on_a_day_is_written_as_the_day(board_gate, secretary, officer):
    decide(board_gate, secretary, days_ago=3)
    (row,) = csv_rows(officer)
    day = (TODAY - datetime.timedelta(days=3)).isoformat()
    assert row["meeting"] == f"Health and Wellbeing Board — {day}"
    assert row["decided on"] == day


# A call-in referred back -----------------------------------------------------------------------


@pytest.fixture
def scrutiny(lead_org):
    return Body.objects.create(organisation=lead_org, name="Scrutiny Committee", kind="scrutiny")


@pytest.fixture
def adoption(strategy, cabinet, officer, cabinet_secretary):
    """The Cabinet adopted the strategy yesterday, its only gate."""
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    return decide(gate, cabinet_secretary, "approved", days_ago=1)


@pytest.mark.parametrize("day_on_record", [True, False])
def test_a_decision_called_in_and_referred_back_keeps_its_row(
    adoption, cabinet_secretary, scrutiny, officer, day_on_record
):
    kept = {} if day_on_record else {"recorded_later": True, "recorded_from": "the minutes"}
    row = workflow.record_call_in(
        adoption, cabinet_secretary, TODAY if day_on_record else None, CALLED_IN_BY, **kept
    )
    workflow.record_call_in_outcome(
        row, cabinet_secretary, CallIn.Outcome.REFERRED_BACK, scrutiny, TODAY
    )
    called, again = csv_rows(officer)
    # The gate taken off the route, with its decision and what became of it ...
    assert (called["purpose"], called["step"], called["gate state"]) == ("Adopt", "", REFERRED_BACK)
    assert (called["outcome"], called["decided on"]) == (
        "Approved",
        adoption.decided_on.isoformat(),
    )
    day = TODAY.isoformat() if day_on_record else "day not on record"
    assert called["call-in"] == (
        f"{day}; Referred back to the decision maker (Scrutiny Committee, {TODAY.isoformat()}); "
        f"called in by {CALLED_IN_BY}"
    )
    # ... then the gate that decides it again, in its place on the route.
    assert (again["purpose"], again["step"], again["gate state"]) == ("Adopt", "1", "Planned")
    assert again["outcome"] == again["call-in"] == ""
    assert called["stage"] == again["stage"]


def test_a_gate_removed_by_its_planner_is_still_left_out(strategy, board, officer):
    kept = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    removed = workflow.add_gate(strategy, board, Purpose.NOTE, officer)
    workflow.remove_gate(removed, officer, "Not needed")
    assert [row["purpose"] for row in csv_rows(officer)] == [kept.get_purpose_display()]


def test_a_call_in_not_referred_back_names_who_called_it_in(
    adoption, cabinet_secretary, scrutiny, officer
):
    row = workflow.record_call_in(adoption, cabinet_secretary, TODAY, CALLED_IN_BY)
    workflow.record_call_in_outcome(
        row, cabinet_secretary, CallIn.Outcome.NO_FURTHER_ACTION, scrutiny, TODAY
    )
    (line,) = csv_rows(officer)
    assert line["gate state"] == "Passed"
    assert line["call-in"].endswith(f"(Scrutiny Committee, {TODAY}); called in by {CALLED_IN_BY}")
