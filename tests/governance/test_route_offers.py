"""What the route page offers each person: each move the move's check allows, and nothing it
refuses."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import workflow
from governance.models import Gate, Meeting, Purpose
from strategies.models import Strategy
from tests.conftest import client_for
from tests.governance.conftest import decide, meeting_of


def route_page(user, strategy):
    return client_for(user).get(reverse("governance:route", kwargs={"slug": strategy.slug}))


def gate_views(response):
    return {v.gate.pk: v for step in response.context["steps"] for v in step}


def url(name: str, gate: Gate) -> str:
    return reverse(f"governance:{name}", kwargs={"slug": gate.strategy.slug, "pk": gate.pk})


@pytest.fixture
def three_gates(strategy, board, officer, secretary):
    """A gate deferred once (open, but considered), one referred back, one not yet considered."""
    deferred = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    decide(deferred, secretary, "deferred", days_ago=3)
    back = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer)
    decide(back, secretary, "referred_back", days_ago=2)
    fresh = workflow.add_gate(strategy, board, Purpose.NOTE, officer)
    return [Gate.objects.get(pk=g.pk) for g in (deferred, back, fresh)]


@pytest.mark.parametrize("persona", ["officer", "secretary", "manager", "administrator"])
def test_each_gate_offers_what_the_checks_allow(request, persona, three_gates):
    user = request.getfixturevalue(persona)
    response = route_page(user, three_gates[0].strategy)
    views = gate_views(response)
    page = response.content.decode()
    for gate in three_gates:
        view = views[gate.pk]
        checks = {
            "replan-gate": (view.can_replan, workflow.replan_gate_refusal(user, gate)),
            "remove-gate": (view.can_remove, workflow.remove_gate_refusal(user, gate)),
            "resubmit-gate": (view.can_resubmit, workflow.resubmit_refusal(user, gate)),
        }
        for name, (offered, refusal) in checks.items():
            assert offered == (refusal is None), (persona, gate, name, refusal)
            assert (url(name, gate) in page) == offered, (persona, gate, name)


def test_the_lead_officer_is_offered_each_gates_own_moves(officer, three_gates):
    deferred, back, fresh = three_gates
    page = route_page(officer, deferred.strategy).content.decode()
    assert url("replan-gate", deferred) in page and url("remove-gate", deferred) not in page
    assert url("resubmit-gate", back) in page and url("replan-gate", back) not in page
    assert url("replan-gate", fresh) in page and url("remove-gate", fresh) in page


def test_the_secretary_is_offered_the_decision_of_the_next_gate_on_a_meeting(
    board_gate, board, secretary, officer
):
    record = reverse("governance:record-decision", args=[board_gate.pk])
    assert record not in route_page(secretary, board_gate.strategy).content.decode()
    meeting = meeting_of(board)
    workflow.schedule_gate(board_gate, meeting, secretary)
    assert record in route_page(secretary, board_gate.strategy).content.decode()
    assert record not in route_page(officer, board_gate.strategy).content.decode()
    meeting.status = Meeting.Status.CANCELLED  # the move would refuse it now
    meeting.save()
    gate = Gate.objects.select_related("meeting").get()
    assert workflow.record_decision_refusal(secretary, gate) is not None
    assert record not in route_page(secretary, board_gate.strategy).content.decode()


def test_the_strategy_moves_follow_their_checks(strategy, cabinet, officer, cabinet_secretary):
    open_revision = reverse("governance:open-revision", kwargs={"slug": strategy.slug})
    withdraw = reverse("governance:withdraw", kwargs={"slug": strategy.slug})
    publish = reverse("governance:publish", kwargs={"slug": strategy.slug})
    page = route_page(officer, strategy).content.decode()
    assert withdraw in page and open_revision not in page and publish not in page
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    decide(gate, cabinet_secretary, days_ago=1, resolution="Adopted.")
    strategy = Strategy.objects.get()
    assert strategy.stage == Strategy.Stage.ADOPTED
    refusal = workflow.publication_refusal(strategy, officer)
    assert "call-in" in refusal
    page = route_page(officer, strategy).content.decode()
    assert open_revision in page and withdraw in page
    assert publish not in page and refusal in page  # what the button would have said
    workflow.withdraw(strategy, officer, "Replaced")
    page = route_page(officer, strategy).content.decode()
    assert withdraw not in page and open_revision not in page
    assert reverse("governance:add-gate", kwargs={"slug": strategy.slug}) not in page


@pytest.mark.parametrize("persona", ["secretary", "administrator"])
def test_the_checks_ask_nothing_more_of_the_database_per_gate(
    request, persona, strategy, board, officer, secretary
):
    user = request.getfixturevalue(persona)
    counts = []
    previous = []
    for size in (3, 9):
        while len(previous) < size:
            gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer, previous[-1:])
            if len(previous) < 2:
                decide(gate, secretary, "noted", days_ago=10 - len(previous))
            elif len(previous) == 2:  # the next gate, on a meeting: its decision is offered
                workflow.schedule_gate(gate, meeting_of(board), secretary)
            previous.append(gate)
        with CaptureQueriesContext(connection) as queries:
            response = route_page(user, strategy)
        assert [v.can_record for v in gate_views(response).values()].count(True) == 1
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_refused_planner_is_told_the_checks_own_reason(strategy, officer, secretary, board):
    """The planners' pages answer 403 with what planner_refusal said: a lead officer on a
    withdrawn strategy hears that its route is closed, not that they are no lead officer."""
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    posts = [
        reverse("governance:add-gate", kwargs={"slug": strategy.slug}),
        reverse("governance:apply-route", kwargs={"slug": strategy.slug}),
        reverse("governance:withdraw", kwargs={"slug": strategy.slug}),
        url("remove-gate", gate),
    ]
    not_a_planner = workflow.planner_refusal(secretary, strategy)
    assert not_a_planner == "Only officers of the lead organisation can plan this strategy's route."
    for address in posts:
        response = client_for(secretary).post(address, {"reason": "Because"})
        assert response.status_code == 403
        assert html.escape(not_a_planner) in response.text
    workflow.withdraw(strategy, officer, "Replaced by the joint strategy")
    strategy = Strategy.objects.get()
    closed = workflow.planner_refusal(officer, strategy)
    assert closed == "This strategy is withdrawn; its route is closed."
    for address in posts:
        response = client_for(officer).post(address, {"reason": "Because"})
        assert response.status_code == 403
        assert html.escape(closed) in response.text and "Only officers" not in response.text
