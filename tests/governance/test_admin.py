"""The governance admin: every model listed, moves as actions through the workflow."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import Decision, Gate, GateDependency, Purpose, RouteTemplate
from strategies.models import Strategy
from tests.conftest import client_for
from tests.governance.conftest import decide, meeting_of


@pytest.mark.parametrize(
    "model",
    ["body", "meeting", "routetemplate", "gate", "gatedependency", "decision", "transition"],
)
def test_every_model_is_listed(administrator, board_gate, secretary, model):
    decide(board_gate, secretary)
    assert (
        client_for(administrator).get(reverse(f"admin:governance_{model}_changelist")).status_code
        == 200
    )


def action(client, model, name, ids, **data):
    url = reverse(f"admin:{model}_changelist")
    return client.post(url, {"action": name, "_selected_action": ids, **data})


def test_apply_route_and_withdraw_actions(administrator, strategy, board):
    route = RouteTemplate.objects.create(name="Simple")
    route.gates.create(position=1, body=board, purpose=Purpose.APPROVE)
    client = client_for(administrator)
    form_page = action(client, "strategies_strategy", "apply_route", [strategy.pk])
    assert form_page.status_code == 200 and "Apply a route template" in form_page.content.decode()
    action(client, "strategies_strategy", "apply_route", [strategy.pk], route=route.pk, apply="1")
    assert strategy.gates.count() == 1
    action(client, "strategies_strategy", "withdraw", [strategy.pk], reason="Merged", apply="1")
    assert Strategy.objects.get().stage == Strategy.Stage.WITHDRAWN


def test_schedule_and_record_decision_actions(administrator, board_gate, board, cabinet):
    client = client_for(administrator)
    wrong = meeting_of(cabinet)
    response = action(
        client, "governance_gate", "schedule", [board_gate.pk], meeting=wrong.pk, apply="1"
    )
    # Refused for every gate chosen: the form comes back with the refusal and the choice kept.
    assert response.status_code == 200
    assert "not the Cabinet" in response.content.decode()
    assert response.context["form"]["meeting"].value() == str(wrong.pk)
    meeting = meeting_of(board)
    action(client, "governance_gate", "schedule", [board_gate.pk], meeting=meeting.pk, apply="1")
    assert Gate.objects.get().meeting == meeting
    action(
        client,
        "governance_gate",
        "record_decision",
        [board_gate.pk],
        apply="1",
        outcome="approved",
        decided_on=timezone.localdate().isoformat(),
        resolution="Agreed.",
    )
    assert Decision.objects.get().recorded_by == administrator


def test_a_refused_decision_comes_back_with_what_was_typed(administrator, board_gate):
    client = client_for(administrator)
    response = action(
        client,
        "governance_gate",
        "record_decision",
        [board_gate.pk],
        apply="1",
        outcome="approved",
        decided_on=timezone.localdate().isoformat(),
        resolution="Agreed, with thanks to the working group.",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Put the gate on a meeting" in page
    assert "Agreed, with thanks to the working group." in page
    assert not Decision.objects.exists()


def test_an_action_refused_for_some_gates_only_reports_each(
    administrator, board_gate, strategy, board, cabinet, officer
):
    elsewhere = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    meeting = meeting_of(board)
    response = action(
        client_for(administrator), "governance_gate", "schedule",
        [board_gate.pk, elsewhere.pk], meeting=meeting.pk, apply="1",
    )  # fmt: skip
    assert response.status_code == 302
    board_gate.refresh_from_db()
    assert board_gate.meeting == meeting
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("on the agenda" in m for m in messages)
    assert any("not the Health and Wellbeing Board" in m for m in messages)


def test_decisions_and_transitions_are_read_only(administrator, board_gate, secretary):
    decision = decide(board_gate, secretary)
    client = client_for(administrator)
    change = reverse("admin:governance_decision_change", args=[decision.pk])
    client.post(change, {"resolution": "Rewritten"})
    assert Decision.objects.get().resolution == "Agreed."
    assert client.get(reverse("admin:governance_decision_add")).status_code == 403
    assert client.get(reverse("admin:governance_gate_add")).status_code == 403


def test_replan_action_sets_the_date_and_the_key_decision(administrator, strategy, cabinet):
    from governance import workflow

    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, administrator)
    client = client_for(administrator)
    form_page = action(client, "governance_gate", "replan", [gate.pk])
    assert form_page.status_code == 200 and "Key decision" in form_page.content.decode()
    action(
        client, "governance_gate", "replan", [gate.pk], apply="1", planned_date="2031-03-12",
        planned_precision="day", key_decision="on", comment="Cabinet in March",
    )  # fmt: skip
    gate.refresh_from_db()
    assert gate.planned_date.isoformat() == "2031-03-12" and gate.key_decision
    assert gate.history.first().history_change_reason == "Cabinet in March"


def test_replan_action_refuses_a_key_decision_at_a_board(administrator, board_gate):
    client = client_for(administrator)
    response = action(
        client, "governance_gate", "replan", [board_gate.pk], apply="1",
        planned_precision="not_set", key_decision="on",
    )  # fmt: skip
    assert "not an executive body" in response.content.decode()
    board_gate.refresh_from_db()
    assert not board_gate.key_decision


def test_gate_dependencies_are_read_with_their_history_but_changed_only_on_the_re_plan_page(
    administrator, strategy, board, officer
):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [review])
    link = GateDependency.objects.get(from_gate=approve)
    client = client_for(administrator)
    listing = client.get(reverse("admin:governance_gatedependency_changelist")).content.decode()
    assert "Health and Wellbeing Board: Approve" in listing
    assert reverse("admin:governance_gatedependency_add") not in listing
    history = client.get(reverse("admin:governance_gatedependency_history", args=[link.pk]))
    assert history.status_code == 200 and "Gate added" in history.content.decode()
    change = client.post(
        reverse("admin:governance_gatedependency_change", args=[link.pk]),
        {"from_gate": review.pk, "to_gate": approve.pk},
    )
    assert change.status_code == 403
    assert GateDependency.objects.get().to_gate == review


def test_an_integrated_care_board_is_a_kind_of_body(administrator, lead_org):
    # NHS partners since July 2022 are integrated care boards, not CCGs.
    client = client_for(administrator)
    page = client.get(reverse("admin:governance_body_add")).content.decode()
    assert '<option value="icb_board">Integrated care board (ICB)</option>' in page
    from governance.models import Body

    Body(organisation=lead_org, name="NHS Cornwall ICB Board", kind="icb_board").full_clean()
