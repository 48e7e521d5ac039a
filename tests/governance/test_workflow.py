"""Every allowed and refused move of governance.workflow, and the rows each leaves."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance import workflow
from governance.forms import DecisionForm
from governance.models import (
    Decision,
    Gate,
    GateDependency,
    Meeting,
    Purpose,
    RouteTemplate,
    Transition,
)
from governance.route import build_steps, in_route_order
from governance.workflow import WorkflowError
from portal.projection import project_one
from strategies import access
from strategies.models import Revision, Strategy
from strategies.revisions import take_revision
from tests.factories import StrategyFactory, add_priority
from tests.governance.conftest import decide, meeting_of


def test_applying_a_route_creates_gates_with_their_dependencies(strategy, board, cabinet, officer):
    route = RouteTemplate.objects.create(name="Refresh")
    first = route.gates.create(position=1, body_kind="hwb", purpose=Purpose.APPROVE)
    second = route.gates.create(position=2, body=cabinet, purpose=Purpose.ADOPT)
    third = route.gates.create(position=3, body_kind="hwb", purpose=Purpose.NOTE)
    second.waits_for.add(first)
    third.waits_for.add(first)
    gates = workflow.apply_route(strategy, route, officer).gates
    assert [(g.body, g.purpose) for g in gates] == [
        (board, "approve"),
        (cabinet, "adopt"),
        (board, "note"),
    ]
    assert list(gates[1].waits_for.all()) == [gates[0]] == list(gates[2].waits_for.all())
    assert Transition.objects.filter(strategy=strategy, to_state="planned").count() == 3


def test_a_route_needing_a_missing_body_is_refused_whole(strategy, officer):
    route = RouteTemplate.objects.create(name="Needs scrutiny")
    route.gates.create(position=1, body_kind="scrutiny", purpose=Purpose.SCRUTINISE)
    with pytest.raises(WorkflowError, match="no Scrutiny committee"):
        workflow.apply_route(strategy, route, officer)
    assert not strategy.gates.exists()


@pytest.mark.parametrize("persona", ["secretary", "manager", "other_officer"])
def test_only_lead_officers_plan_the_route(request, strategy, board, persona):
    with pytest.raises(WorkflowError, match="lead organisation"):
        workflow.add_gate(strategy, board, Purpose.REVIEW, request.getfixturevalue(persona))


def test_replanning_keeps_the_precision(board_gate, officer):
    workflow.replan_gate(board_gate, datetime.date(2017, 12, 1), "month", officer, "Moved")
    board_gate.refresh_from_db()
    assert board_gate.planned == "December 2017"
    assert board_gate.history.first().history_change_reason == "Moved"
    with pytest.raises(WorkflowError, match="Give a planned date"):
        workflow.replan_gate(board_gate, None, "month", officer)


def test_scheduling_checks_body_and_meeting(
    board_gate, board, cabinet, secretary, cabinet_secretary, administrator
):
    with pytest.raises(WorkflowError, match="not the Cabinet"):
        workflow.schedule_gate(board_gate, meeting_of(cabinet), administrator)
    with pytest.raises(WorkflowError, match="secretary of the Health and Wellbeing Board"):
        workflow.schedule_gate(board_gate, meeting_of(board), cabinet_secretary)
    cancelled = meeting_of(board, days_ago=3, status=Meeting.Status.CANCELLED)
    with pytest.raises(WorkflowError, match="cancelled"):
        workflow.schedule_gate(board_gate, cancelled, secretary)
    gate = workflow.schedule_gate(board_gate, meeting_of(board), secretary)
    assert gate.state == Gate.State.SCHEDULED
    assert Strategy.objects.get().stage == Strategy.Stage.IN_GOVERNANCE


def test_publishing_the_agenda_freezes_the_text_until_the_decision(
    board_gate, board, secretary, officer
):
    meeting = meeting_of(board)
    workflow.schedule_gate(board_gate, meeting, secretary)
    revisions = workflow.publish_agenda(
        meeting, timezone.localdate() - datetime.timedelta(days=6), secretary
    )
    strategy = Strategy.objects.get()
    assert revisions[0].label.startswith("Papers for")
    assert "papers for the Health and Wellbeing Board" in access.content_edit_refusal(
        officer, strategy
    )
    decision = workflow.record_decision(board_gate, secretary, "noted", "Noted.")
    assert decision.revision == revisions[0]
    assert access.can_edit_content(officer, Strategy.objects.get())


def test_an_agenda_is_published_once_and_a_late_item_is_frozen_as_it_is_added(
    board_gate, board, secretary, officer, strategy
):
    meeting = meeting_of(board, days_ago=-10)
    workflow.schedule_gate(board_gate, meeting, secretary)
    published_on = timezone.localdate() - datetime.timedelta(days=1)
    workflow.publish_agenda(meeting, published_on, secretary)
    with pytest.raises(WorkflowError, match="The agenda was published on"):
        workflow.publish_agenda(meeting, timezone.localdate(), secretary)
    meeting.refresh_from_db()
    assert meeting.agenda_published_on == published_on  # not moved by the second try
    assert Revision.objects.count() == 1  # and the papers were not taken again
    late = workflow.add_gate(
        StrategyFactory(lead_organisation=strategy.lead_organisation), board, Purpose.REVIEW,
        officer,
    )  # fmt: skip
    late = workflow.schedule_gate(late, meeting, secretary)
    assert late.papers_revision.label == f"Papers for the {meeting}"
    assert "papers for the Health and Wellbeing Board" in access.content_edit_refusal(
        officer, Strategy.objects.get(pk=late.strategy_id)
    )


def test_a_decision_is_refused_before_the_gates_it_waits_for(
    strategy, board, cabinet, officer, secretary, cabinet_secretary
):
    first = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    second = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [first])
    workflow.schedule_gate(second, meeting_of(cabinet), cabinet_secretary)
    with pytest.raises(WorkflowError, match="waits for gates not yet passed.*a deferral"):
        workflow.record_decision(second, cabinet_secretary, "approved", "Adopted.")
    assert not Decision.objects.exists()


def test_only_the_bodys_secretaries_or_administrators_decide(
    board_gate, board, cabinet_secretary, officer, manager, administrator
):
    workflow.schedule_gate(board_gate, meeting_of(board), administrator)
    for user in (cabinet_secretary, officer, manager):
        with pytest.raises(WorkflowError, match="Only a secretary"):
            workflow.record_decision(board_gate, user, "approved", "Agreed.")
    assert workflow.record_decision(board_gate, administrator, "approved", "Agreed.")


def test_a_gate_is_decided_once(board_gate, secretary):
    decide(board_gate, secretary)
    with pytest.raises(WorkflowError, match="already been decided"):
        workflow.record_decision(Gate.objects.get(), secretary, "rejected", "No.", reasons="x")


def test_the_database_holds_one_final_decision_per_gate(board_gate, secretary):
    decision = decide(board_gate, secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            gate=decision.gate,
            meeting=decision.meeting,
            decided_on=decision.decided_on,
            outcome="approved",
            resolution="Again",
            revision=decision.revision,
            recorded_by=secretary,
            recorded_at=timezone.now(),
            record_hash="x",
        )


def test_decision_rules(board_gate, board, secretary):
    meeting = meeting_of(board, days_ago=2)
    workflow.schedule_gate(board_gate, meeting, secretary)
    today = timezone.localdate()
    cases = [
        ({"outcome": "approved", "resolution": "  "}, "resolution"),
        ({"outcome": "rejected", "resolution": "No."}, "reasons"),
        (
            {
                "outcome": "approved",
                "resolution": "Yes.",
                "decided_on": today + datetime.timedelta(days=1),
            },
            "future",
        ),
        (
            {
                "outcome": "approved",
                "resolution": "Yes.",
                "decided_on": today - datetime.timedelta(days=5),
            },
            "before its meeting",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(WorkflowError, match=message):
            workflow.record_decision(board_gate, secretary, **kwargs)


def test_no_decision_without_a_meeting(board_gate, secretary):
    with pytest.raises(WorkflowError, match="on a meeting"):
        workflow.record_decision(board_gate, secretary, "approved", "Agreed.")


@pytest.mark.parametrize(
    ("outcome", "gate_state", "stage"),
    [
        ("approved", "passed", "in_governance"),
        ("endorsed", "passed", "in_governance"),
        ("noted", "passed", "in_governance"),
        ("approved_with_amendments", "passed", "in_governance"),
        ("deferred", "planned", "draft"),
        ("referred_back", "referred_back", "draft"),
        ("rejected", "rejected", "withdrawn"),
    ],
)
def test_each_outcome_moves_gate_and_stage(
    strategy, board, cabinet, officer, secretary, outcome, gate_state, stage
):
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [gate])
    decision = decide(gate, secretary, outcome)
    gate.refresh_from_db()
    strategy.refresh_from_db()
    assert (gate.state, strategy.stage) == (gate_state, stage)
    assert decision.revision.strategy == strategy
    assert (
        Transition.objects.filter(gate=gate, to_state=gate_state).exists()
        or gate_state == "planned"
    )
    if outcome == "deferred":
        assert gate.meeting is None
        assert decide(gate, secretary, "approved").outcome == "approved"  # decided again later


def test_amendments_reopen_the_text_and_final_approval_closes_it(
    strategy, board, officer, secretary
):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    final = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [review])
    decide(review, secretary, "approved_with_amendments", resolution="Amend objective 2.")
    assert access.can_edit_content(officer, Strategy.objects.get())
    decide(final, secretary, "approved")
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.ADOPTED  # the last gate was the final approval
    assert not access.can_edit_content(officer, strategy)


def test_parallel_adoption_waits_for_both(
    strategy, board, cabinet, officer, secretary, cabinet_secretary, other_org
):
    from governance.models import Body, BodySecretary

    ccg = Body.objects.create(
        organisation=other_org, name="CCG Governing Body", kind="ccg_governing_body"
    )
    BodySecretary.objects.create(body=ccg, user=secretary)
    final = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    council = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [final])
    commissioners = workflow.add_gate(strategy, ccg, Purpose.ADOPT, officer, [final])
    decide(final, secretary, "approved")
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.APPROVED
    assert "approved as final" in strategy.editing_closed_reason
    decide(council, cabinet_secretary, "approved")
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.APPROVED  # the CCG has not adopted yet
    decide(commissioners, secretary, "approved")
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.ADOPTED


def test_referred_back_then_resubmitted(board_gate, secretary, officer):
    decide(board_gate, secretary, "referred_back")
    assert access.can_edit_content(officer, Strategy.objects.get())
    with pytest.raises(WorkflowError, match="lead organisation"):
        workflow.resubmit(board_gate, secretary)
    workflow.resubmit(Gate.objects.get(), officer, "Redrafted priority 2")
    assert Gate.objects.get().state == Gate.State.PLANNED
    assert decide(Gate.objects.get(), secretary, "approved").outcome == "approved"


def test_open_revision_after_adoption(board_gate, secretary, officer):
    board_gate.purpose = Purpose.SIGN_OFF
    board_gate.save()
    add_priority(board_gate.strategy)
    decide(board_gate, secretary, "approved")
    strategy = Strategy.objects.get()
    assert strategy.stage == Strategy.Stage.ADOPTED and not access.can_edit_content(
        officer, strategy
    )
    with pytest.raises(WorkflowError, match="Say why"):
        workflow.open_revision(strategy, officer, " ")
    revision = workflow.open_revision(strategy, officer, "Annual refresh")
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.UNDER_REVIEW and access.can_edit_content(
        officer, strategy
    )
    assert revision.label.startswith("Before reopening")


def test_remove_only_undecided_gates(board_gate, secretary, officer):
    decide(board_gate, secretary, "deferred")
    with pytest.raises(WorkflowError, match="considered stays"):
        workflow.remove_gate(Gate.objects.get(), officer)


def test_withdraw_removes_open_gates(board_gate, officer):
    workflow.withdraw(board_gate.strategy, officer, "Replaced by the ICS strategy")
    assert Gate.objects.get().state == Gate.State.REMOVED
    assert Strategy.objects.get().stage == Strategy.Stage.WITHDRAWN
    with pytest.raises(WorkflowError, match="route is closed"):
        workflow.withdraw(Strategy.objects.get(), officer, "Again")
    with pytest.raises(WorkflowError, match="route is closed"):
        workflow.add_gate(Strategy.objects.get(), board_gate.body, Purpose.APPROVE, officer)


def test_correcting_a_deferral_after_the_gate_moved_on(board_gate, board, secretary):
    deferral = decide(board_gate, secretary, "deferred", days_ago=5)
    assert deferral.meeting.status == Meeting.Status.HELD  # the meeting took place
    workflow.schedule_gate(Gate.objects.get(), meeting_of(board, days_ago=1), secretary)
    correction = workflow.correct_decision(
        deferral, secretary, "Deferred to the next meeting.", reasons="Papers late."
    )
    assert correction.corrects == deferral


def test_an_agenda_stands_once_the_meeting_is_held(board_gate, secretary):
    decision = decide(board_gate, secretary)
    with pytest.raises(WorkflowError, match="agenda stands"):
        workflow.publish_agenda(decision.meeting, decision.decided_on, secretary)


def test_a_route_template_whose_steps_wait_in_a_circle_is_refused(strategy, board, officer):
    route = RouteTemplate.objects.create(name="Looping")
    first = route.gates.create(position=1, body=board, purpose=Purpose.REVIEW)
    second = route.gates.create(position=2, body=board, purpose=Purpose.APPROVE)
    first.waits_for.add(second)
    second.waits_for.add(first)
    with pytest.raises(WorkflowError, match="Steps 1 and 2 wait for each other in a circle"):
        workflow.apply_route(strategy, route, officer)
    assert not strategy.gates.exists()


def test_decisions_chain_and_corrections_point_back(strategy, board, officer, secretary):
    first_gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    second_gate = workflow.add_gate(strategy, board, Purpose.NOTE, officer, [first_gate])
    first = decide(first_gate, secretary)
    second = decide(second_gate, secretary, "noted", days_ago=0)
    assert second.previous_hash == first.record_hash and first.previous_hash == ""
    correction = workflow.correct_decision(first, secretary, "Agreed, as amended.", comment="Typo")
    assert correction.corrects == first and correction.previous_hash == second.record_hash
    with pytest.raises(WorkflowError, match="already been corrected"):
        workflow.correct_decision(first, secretary, "Again")
    with pytest.raises(ValueError, match="never changed"):
        first.resolution = "Rewritten"
        first.save()


def test_decision_snapshot_is_the_text_decided_on(board_gate, secretary):
    take_revision(board_gate.strategy, "Earlier")
    decision = decide(board_gate, secretary)
    assert decision.revision.number == 2 and decision.revision.label.startswith("As decided by")


def test_a_meeting_just_after_midnight_in_summer_is_on_its_local_day(board_gate, board, secretary):
    """00:30 on 10 June in London is 23:30 on 9 June in UTC: every date the workflow takes from
    the meeting is the London one."""
    year = timezone.localdate().year - 1  # a June in the past: summer time
    day, day_before, day_after = (datetime.date(year, 6, d) for d in (10, 9, 11))
    london = zoneinfo.ZoneInfo("Europe/London")
    starts_at = datetime.datetime(year, 6, 10, 0, 30, tzinfo=london)
    assert starts_at.astimezone(datetime.UTC).date() == day_before
    meeting = Meeting.objects.get(pk=Meeting.objects.create(body=board, starts_at=starts_at).pk)
    assert meeting.when == f"10 June {year}"
    gate = workflow.schedule_gate(board_gate, meeting, secretary)
    assert gate.planned_date == day
    # The agenda may be published on the day of the meeting, not after it.
    with pytest.raises(WorkflowError, match="before the meeting"):
        workflow.publish_agenda(meeting, day_after, secretary)
    workflow.publish_agenda(meeting, day, secretary)
    # The decision form starts at the meeting's day; the day before is refused.
    form = DecisionForm(gate=gate)
    assert form.fields["decided_on"].initial == day
    with pytest.raises(WorkflowError, match="before its meeting"):
        workflow.record_decision(gate, secretary, "approved", "Agreed.", decided_on=day_before)
    decision = workflow.record_decision(gate, secretary, "approved", "Agreed.")
    assert decision.decided_on == day


def test_what_a_gate_waits_for_changes_one_recorded_link_at_a_time(strategy, board, officer):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [review])
    workflow.set_waits_for(approve, [consult], officer, "Approval follows the consultation")
    assert list(approve.waits_for.all()) == [consult]
    rows = GateDependency.history.filter(from_gate=approve).order_by("history_id")
    assert [(r.history_type, r.to_gate_id, r.history_change_reason) for r in rows] == [
        ("+", review.pk, "Gate added"),
        ("-", review.pk, "Approval follows the consultation"),
        ("+", consult.pk, "Approval follows the consultation"),
    ]
    # The same set again changes nothing and records nothing.
    workflow.set_waits_for(approve, [consult], officer)
    assert rows.count() == 3


def test_a_gate_may_not_wait_in_a_loop_nor_for_itself(strategy, board, officer):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [review])
    note = workflow.add_gate(strategy, board, Purpose.NOTE, officer, [approve])
    with pytest.raises(WorkflowError, match="Health and Wellbeing Board: Note .* already waits"):
        workflow.set_waits_for(review, [note], officer)  # note waits for approve, for review
    with pytest.raises(WorkflowError, match="cannot wait for itself"):
        workflow.set_waits_for(review, [review], officer)
    assert not review.waits_for.exists()


def test_a_gate_added_again_later_can_be_waited_for_and_the_route_reads_in_order(
    strategy, board, cabinet, officer
):
    """Consult, scrutinise, adopt; the scrutiny gate is replaced by a new one, which is added
    at the end of the route: the adoption waits for it, and the route, its steps and the
    projected dates follow the links rather than the order the gates were added in."""
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    scrutiny = workflow.add_gate(strategy, board, Purpose.SCRUTINISE, officer, [consult])
    adopt = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [scrutiny])
    workflow.remove_gate(scrutiny, officer, "Wrong committee")
    again = workflow.add_gate(strategy, board, Purpose.SCRUTINISE, officer, [consult])
    assert again.position > adopt.position
    workflow.set_waits_for(adopt, [scrutiny, again], officer, "The new scrutiny first")
    gates = list(strategy.gates.exclude(state=Gate.State.REMOVED).for_route())
    steps, _ = build_steps(gates, [])
    assert [[v.gate for v in step] for step in steps] == [[consult], [again], [adopt]]
    assert [g.pk for g in in_route_order(gates, lambda g: [w.pk for w in g.waits_for.all()])] == [
        consult.pk, again.pk, adopt.pk
    ]  # fmt: skip
    projection = project_one(strategy)
    assert [p.gate for p in projection.gates] == [consult, adopt, again]  # shown as added
    # The adoption's date follows the new scrutiny's, which has none yet (no meeting or plan):
    # had it been projected first, the link would have been missed and a date made up.
    plans = {p.gate.pk: p for p in projection.gates}
    assert plans[adopt.pk].basis == "Cabinet: waits for a gate with no date yet"


def test_what_a_gate_waits_for_is_checked(strategy, board, officer, secretary):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    other = StrategyFactory(lead_organisation=strategy.lead_organisation)
    elsewhere = workflow.add_gate(other, board, Purpose.REVIEW, officer)
    with pytest.raises(WorkflowError, match="same strategy"):
        workflow.set_waits_for(approve, [elsewhere], officer)
    with pytest.raises(WorkflowError, match="lead organisation"):
        workflow.set_waits_for(approve, [review], secretary)
    workflow.remove_gate(review, officer)
    with pytest.raises(WorkflowError, match="has been removed from the route"):
        workflow.set_waits_for(approve, [review], officer)
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)  # added again
    decide(review, secretary)
    with pytest.raises(WorkflowError, match="on record"):
        workflow.set_waits_for(review, [approve], officer)
    assert not GateDependency.objects.filter(from_gate__strategy=strategy).exists()


def test_a_link_to_a_gate_removed_since_is_kept_until_it_is_taken_away(strategy, board, officer):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [review, consult])
    workflow.remove_gate(consult, officer, "Consulted under the previous strategy")
    assert approve.waiting_for == [review]  # a removed gate holds nothing up
    workflow.set_waits_for(approve, [review, consult], officer)  # as the form shows it: kept
    assert set(approve.waits_for.all()) == {review, consult}
    assert GateDependency.history.filter(from_gate=approve).count() == 2  # nothing recorded
    workflow.set_waits_for(approve, [review], officer, "Tidied")
    assert list(approve.waits_for.all()) == [review]
