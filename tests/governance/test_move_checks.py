"""Each workflow move's check: it says None when this person may make the move now and the
refusal in words when not, without making it; and the move refuses with the same sentence."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from governance import gate_holders, workflow
from governance.models import Gate, Meeting, Purpose
from governance.workflow import WorkflowError
from strategies.models import Strategy
from tests.governance.conftest import decide, meeting_of

PLANNERS_ONLY = "Only officers of the lead organisation can plan this strategy's route."
BOARD_SECRETARIES_ONLY = (
    "Only a secretary of the Health and Wellbeing Board (or an administrator) can do this."
)


def refuses(move, *args, **kwargs) -> WorkflowError:
    """The refusal `move` raises (and a failure if it makes the move instead)."""
    with pytest.raises(WorkflowError) as raised:
        move(*args, **kwargs)
    return raised.value


def test_a_check_makes_no_move(board_gate, officer):
    assert workflow.remove_gate_refusal(officer, board_gate) is None
    assert Gate.objects.get().state == Gate.State.PLANNED


# Removing a gate -------------------------------------------------------------------------------


def test_the_lead_officer_may_remove_an_undecided_gate(board_gate, officer, administrator):
    assert workflow.remove_gate_refusal(officer, board_gate) is None
    assert workflow.remove_gate_refusal(administrator, board_gate) is None
    workflow.remove_gate(board_gate, officer, "Not needed")
    assert Gate.objects.get().state == Gate.State.REMOVED


@pytest.mark.parametrize("persona", ["secretary", "manager", "other_officer"])
def test_only_planners_remove_a_gate(request, board_gate, persona):
    user = request.getfixturevalue(persona)
    assert workflow.remove_gate_refusal(user, board_gate) == PLANNERS_ONLY
    assert refuses(workflow.remove_gate, board_gate, user).message == PLANNERS_ONLY
    assert Gate.objects.get().state == Gate.State.PLANNED


def test_a_gate_a_body_has_considered_is_not_removed(board_gate, officer, secretary):
    decide(board_gate, secretary, "deferred")
    gate = Gate.objects.get()
    sentence = "A gate that a body has considered stays on the route."
    assert workflow.remove_gate_refusal(officer, gate) == sentence
    assert refuses(workflow.remove_gate, gate, officer).message == sentence


def test_a_gate_held_by_an_app_above_is_not_removed(board_gate, officer, monkeypatch):
    monkeypatch.setattr(gate_holders, "GATE_HOLDERS", [lambda gate: "Something runs here."])
    assert workflow.remove_gate_refusal(officer, board_gate) == "Something runs here."
    # The route page does not ask the apps above (a query per gate); the move always does.
    assert workflow.remove_gate_refusal(officer, board_gate, holders=False) is None
    assert refuses(workflow.remove_gate, board_gate, officer).message == "Something runs here."


# Resubmitting a gate ---------------------------------------------------------------------------


def test_only_a_referred_back_gate_is_resubmitted(board_gate, officer, secretary):
    sentence = "Only a gate that was referred back can be resubmitted."
    assert workflow.resubmit_refusal(officer, board_gate) == sentence
    assert refuses(workflow.resubmit, board_gate, officer).message == sentence
    decide(board_gate, secretary, "referred_back")
    gate = Gate.objects.get()
    assert workflow.resubmit_refusal(officer, gate) is None
    assert workflow.resubmit_refusal(secretary, gate) == PLANNERS_ONLY
    assert refuses(workflow.resubmit, gate, secretary).message == PLANNERS_ONLY
    workflow.resubmit(gate, officer, "Redrafted")
    assert Gate.objects.get().state == Gate.State.PLANNED


# Withdrawing a strategy ------------------------------------------------------------------------


def test_the_lead_officer_may_withdraw_once(strategy, officer, manager):
    assert workflow.withdraw_refusal(officer, strategy) is None
    assert workflow.withdraw_refusal(manager, strategy) == PLANNERS_ONLY
    assert refuses(workflow.withdraw, strategy, manager, "Merged").message == PLANNERS_ONLY
    # What was typed is the move's to check: the person and the state allow it.
    assert refuses(workflow.withdraw, strategy, officer, " ").message == (
        "Give the reason for withdrawing the strategy."
    )
    workflow.withdraw(strategy, officer, "Merged")
    strategy = Strategy.objects.get()
    closed = "This strategy is withdrawn; its route is closed."
    assert workflow.withdraw_refusal(officer, strategy) == closed
    assert refuses(workflow.withdraw, strategy, officer, "Again").message == closed


# Opening a new revision ------------------------------------------------------------------------


def test_only_approved_text_is_reopened(board_gate, officer, secretary, manager):
    strategy = board_gate.strategy
    sentence = "Only approved or adopted text needs a new revision to change."
    assert workflow.open_revision_refusal(officer, strategy) == sentence
    assert refuses(workflow.open_revision, strategy, officer, "Refresh").message == sentence
    board_gate.purpose = Purpose.SIGN_OFF
    board_gate.save()
    decide(board_gate, secretary)
    strategy = Strategy.objects.get()
    assert strategy.stage == Strategy.Stage.ADOPTED
    assert workflow.open_revision_refusal(officer, strategy) is None
    assert workflow.open_revision_refusal(manager, strategy) == PLANNERS_ONLY
    assert refuses(workflow.open_revision, strategy, manager, "Refresh").message == PLANNERS_ONLY
    workflow.open_revision(strategy, officer, "Refresh")
    assert Strategy.objects.get().stage == Strategy.Stage.UNDER_REVIEW


def test_approved_text_is_not_reopened_while_its_papers_are_with_a_body(
    board_gate, board, officer, secretary
):
    board_gate.purpose = Purpose.SIGN_OFF
    board_gate.save()
    decide(board_gate, secretary)
    note = workflow.add_gate(board_gate.strategy, board, Purpose.NOTE, officer)
    meeting = meeting_of(board, days_ago=-7)
    workflow.schedule_gate(note, meeting, secretary)
    workflow.publish_agenda(meeting, timezone.localdate(), secretary)
    strategy = Strategy.objects.get()
    sentence = "The papers are with a body; wait for its decision."
    assert workflow.open_revision_refusal(officer, strategy) == sentence
    assert refuses(workflow.open_revision, strategy, officer, "Refresh").message == sentence


# Putting a gate on a meeting -------------------------------------------------------------------


def test_the_bodys_secretary_may_put_its_gate_on_its_meeting(
    board_gate, board, secretary, administrator
):
    meeting = meeting_of(board)
    assert workflow.schedule_gate_refusal(secretary, board_gate, meeting) is None
    assert workflow.schedule_gate_refusal(administrator, board_gate, meeting) is None
    assert workflow.schedule_gate(board_gate, meeting, secretary).state == Gate.State.SCHEDULED


def test_a_gate_is_put_only_on_a_meeting_of_its_own_body_not_cancelled(
    board_gate, board, cabinet, secretary, cabinet_secretary, administrator, officer
):
    cases = [
        (cabinet_secretary, meeting_of(board), BOARD_SECRETARIES_ONLY),
        (officer, meeting_of(board), BOARD_SECRETARIES_ONLY),
        (
            administrator,
            meeting_of(cabinet),
            "This gate is for the Health and Wellbeing Board, not the Cabinet.",
        ),
        (
            secretary,
            meeting_of(board, status=Meeting.Status.CANCELLED),
            "That meeting was cancelled; put the strategy on another meeting.",
        ),
    ]
    for user, meeting, sentence in cases:
        assert workflow.schedule_gate_refusal(user, board_gate, meeting) == sentence
        assert refuses(workflow.schedule_gate, board_gate, meeting, user).message == sentence
    assert Gate.objects.get().state == Gate.State.PLANNED


def test_a_consultation_gate_is_not_put_on_a_meeting(strategy, board, officer, secretary):
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    meeting = meeting_of(board)
    sentence = "A consultation gate runs with its consultation window, not a meeting."
    assert workflow.schedule_gate_refusal(secretary, consult, meeting) == sentence
    assert refuses(workflow.schedule_gate, consult, meeting, secretary).message == sentence


# Recording a decision --------------------------------------------------------------------------


def test_a_decision_is_recorded_by_the_bodys_secretary_at_a_gate_on_a_meeting(
    board_gate, board, secretary, officer, cabinet_secretary
):
    sentence = "Put the gate on a meeting of the body before recording its decision."
    assert workflow.record_decision_refusal(secretary, board_gate) == sentence
    error = refuses(workflow.record_decision, board_gate, secretary, "approved", "Agreed.")
    assert error.message == sentence
    workflow.schedule_gate(board_gate, meeting_of(board), secretary)
    gate = Gate.objects.select_related("meeting").get()
    assert workflow.record_decision_refusal(secretary, gate) is None
    for user in (officer, cabinet_secretary):
        assert workflow.record_decision_refusal(user, gate) == BOARD_SECRETARIES_ONLY
        error = refuses(workflow.record_decision, gate, user, "approved", "Agreed.")
        assert error.message == BOARD_SECRETARIES_ONLY
    workflow.record_decision(gate, secretary, "approved", "Agreed.")
    gate = Gate.objects.get()
    decided = "This gate has already been decided (passed)."
    assert workflow.record_decision_refusal(secretary, gate) == decided
    error = refuses(workflow.record_decision, gate, secretary, "noted", "Noted.")
    assert error.message == decided


def test_no_decision_is_recorded_at_a_cancelled_meeting(board_gate, board, secretary):
    meeting = meeting_of(board)
    workflow.schedule_gate(board_gate, meeting, secretary)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    gate = Gate.objects.select_related("meeting").get()
    sentence = "That meeting was cancelled; put the gate on another meeting."
    assert workflow.record_decision_refusal(secretary, gate) == sentence
    error = refuses(workflow.record_decision, gate, secretary, "approved", "Agreed.")
    assert error.message == sentence


def test_a_gate_still_waiting_may_be_deferred_only(
    strategy, board, cabinet, officer, cabinet_secretary
):
    first = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    second = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [first])
    workflow.schedule_gate(second, meeting_of(cabinet), cabinet_secretary)
    second = Gate.objects.select_related("meeting").get(pk=second.pk)
    # The check is about the person and the gate: a deferral may be recorded...
    assert workflow.record_decision_refusal(cabinet_secretary, second) is None
    # ...and the outcome is the move's to check, beside its field.
    error = refuses(
        workflow.record_decision,
        second,
        cabinet_secretary,
        "approved",
        "Adopted.",
        reasons="Needed.",
        alternatives_considered="None.",
    )
    assert error.field == "outcome" and "only decision that can be recorded" in error.message


# The other moves -------------------------------------------------------------------------------


def test_only_an_open_gate_is_re_planned_or_given_new_waits(board_gate, officer, secretary):
    assert workflow.replan_gate_refusal(officer, board_gate) is None
    assert workflow.set_waits_for_refusal(officer, board_gate) is None
    assert workflow.replan_gate_refusal(secretary, board_gate) == PLANNERS_ONLY
    decide(board_gate, secretary)
    gate = Gate.objects.get()
    on_record = "This gate has been decided; its date is part of the record."
    assert workflow.replan_gate_refusal(officer, gate) == on_record
    error = refuses(workflow.replan_gate, gate, datetime.date(2030, 1, 1), "day", officer)
    assert error.message == on_record
    waits = "This gate has been decided; what it waited for is on record."
    assert workflow.set_waits_for_refusal(officer, gate) == waits
    assert refuses(workflow.set_waits_for, gate, [], officer).message == waits


def test_planning_moves_are_the_lead_officers(strategy, board, officer, secretary):
    for check in (workflow.apply_route_refusal, workflow.add_gate_refusal):
        assert check(officer, strategy) is None
        assert check(secretary, strategy) == PLANNERS_ONLY
    error = refuses(workflow.add_gate, strategy, board, Purpose.REVIEW, secretary)
    assert error.message == PLANNERS_ONLY


def test_an_agenda_is_published_by_the_bodys_secretary_once(board, secretary, officer):
    meeting = meeting_of(board, days_ago=-7)
    today = timezone.localdate()
    assert workflow.publish_agenda_refusal(secretary, meeting) is None
    assert workflow.publish_agenda_refusal(officer, meeting) == BOARD_SECRETARIES_ONLY
    error = refuses(workflow.publish_agenda, meeting, today, officer)
    assert error.message == BOARD_SECRETARIES_ONLY
    workflow.publish_agenda(meeting, today, secretary)
    meeting.refresh_from_db()
    sentence = workflow.publish_agenda_refusal(secretary, meeting)
    assert sentence.startswith("The agenda was published on")
    assert refuses(workflow.publish_agenda, meeting, today, secretary).message == sentence


def test_a_decision_is_corrected_once_by_the_bodys_secretary(board_gate, secretary, officer):
    decision = decide(board_gate, secretary)
    assert workflow.correct_decision_refusal(secretary, decision) is None
    assert workflow.correct_decision_refusal(officer, decision) == BOARD_SECRETARIES_ONLY
    error = refuses(workflow.correct_decision, decision, officer, "Agreed, as amended.")
    assert error.message == BOARD_SECRETARIES_ONLY
    workflow.correct_decision(decision, secretary, "Agreed, as amended.")
    decision.refresh_from_db()
    sentence = "This decision has already been corrected; correct the correction."
    assert workflow.correct_decision_refusal(secretary, decision) == sentence
    assert refuses(workflow.correct_decision, decision, secretary, "Again.").message == sentence
