"""Scrutiny and comment: comments and recommendations recorded as such, offered only where a
body is asked for them, settling the gate without approving; and the executive's response."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.forms import DecisionForm
from governance.models import (
    Body,
    BodySecretary,
    Decision,
    ExecutiveResponse,
    Gate,
    Purpose,
)
from governance.workflow import WorkflowError
from portal.reports.drafting import prefill
from strategies.models import Strategy, User
from tests.conftest import client_for, downloaded
from tests.factories import UserFactory
from tests.governance.conftest import decide, meeting_of
from tests.governance.test_admin import action

RECOMMENDED = "That the Cabinet funds short breaks for carers."


@pytest.fixture
def scrutiny(lead_org):
    return Body.objects.create(
        organisation=lead_org, name="Adults Scrutiny Committee", kind="scrutiny"
    )


@pytest.fixture
def scrutiny_secretary(lead_org, scrutiny):
    user = UserFactory(username="sue", organisation=lead_org, role=User.Role.SECRETARY)
    BodySecretary.objects.create(body=scrutiny, user=user)
    return user


@pytest.fixture
def scrutiny_gate(strategy, scrutiny, officer):
    return workflow.add_gate(strategy, scrutiny, Purpose.SCRUTINISE, officer)


@pytest.fixture
def recommendations(scrutiny_gate, scrutiny_secretary):
    return decide(
        scrutiny_gate, scrutiny_secretary, "recommendations", resolution=RECOMMENDED, days_ago=5
    )


def offered(gate) -> list[str]:
    gate.meeting = meeting_of(gate.body)
    return [value for value, _ in DecisionForm(gate=gate).fields["outcome"].choices]


def test_a_planner_adds_a_gate_asking_a_body_to_comment(strategy, cabinet, officer):
    response = client_for(officer).post(
        reverse("governance:add-gate", kwargs={"slug": strategy.slug}),
        {"body": cabinet.pk, "purpose": "comment", "planned_precision": "not_set"},
    )
    assert response.status_code == 302
    assert strategy.gates.get().get_purpose_display() == "Comment before another decides"


# What each purpose may record ------------------------------------------------------------------


def test_scrutiny_is_offered_comments_and_recommendations(scrutiny_gate):
    assert {"comments", "recommendations", "noted"} <= set(offered(scrutiny_gate))


def test_a_body_asked_to_comment_is_offered_comments_noting_and_deferral(
    strategy, cabinet, officer
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.COMMENT, officer)
    assert offered(gate) == ["comments", "recommendations", "noted", "deferred"]


@pytest.mark.parametrize("purpose", [Purpose.APPROVE, Purpose.REVIEW, Purpose.ADOPT])
def test_other_purposes_are_not_offered_comments(strategy, board, officer, purpose):
    gate = workflow.add_gate(strategy, board, purpose, officer)
    assert not {"comments", "recommendations"} & set(offered(gate))


def test_the_workflow_refuses_comments_at_an_approving_gate(board_gate, secretary):
    with pytest.raises(WorkflowError, match="is asked to review") as refusal:
        decide(board_gate, secretary, "comments")
    assert refusal.value.field == "outcome"
    assert not Decision.objects.exists()
    assert Gate.objects.get().state == Gate.State.SCHEDULED


def test_the_workflow_refuses_approval_by_a_body_asked_to_comment(
    strategy, cabinet, cabinet_secretary, officer
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.COMMENT, officer)
    with pytest.raises(WorkflowError, match="asked for its comments"):
        decide(gate, cabinet_secretary, "approved")
    assert not Decision.objects.exists()


def test_the_browser_form_refuses_comments_at_an_approving_gate(board_gate, secretary):
    workflow.schedule_gate(board_gate, meeting_of(board_gate.body), secretary)
    response = client_for(secretary).post(
        reverse("governance:record-decision", kwargs={"pk": board_gate.pk}),
        {"outcome": "comments", "decided_on": timezone.localdate(), "resolution": "Comments."},
    )
    assert response.status_code == 200
    assert "outcome" in response.context["form"].errors
    assert not Decision.objects.exists()


def test_the_admin_action_holds_the_same_rule(
    administrator, board_gate, scrutiny_gate, board, scrutiny, secretary, scrutiny_secretary
):
    workflow.schedule_gate(board_gate, meeting_of(board), secretary)
    workflow.schedule_gate(scrutiny_gate, meeting_of(scrutiny), scrutiny_secretary)
    response = action(
        client_for(administrator), "governance_gate", "record_decision",
        [board_gate.pk, scrutiny_gate.pk], apply="1", outcome="comments",
        decided_on=timezone.localdate().isoformat(), resolution="Comments as minuted.",
        reasons="As discussed.", alternatives_considered="None.",
    )  # fmt: skip
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("is asked to review" in m for m in messages)
    assert list(Decision.objects.values_list("gate", "outcome")) == [(scrutiny_gate.pk, "comments")]


# Settling the gate without approving -----------------------------------------------------------


def test_recommendations_settle_the_gate_without_approving(recommendations, scrutiny_gate):
    scrutiny_gate.refresh_from_db()
    assert scrutiny_gate.state == Gate.State.PASSED
    strategy = Strategy.objects.get()
    # Every gate has passed, but none approves or adopts: the strategy is not adopted.
    assert strategy.stage == Strategy.Stage.IN_GOVERNANCE
    assert workflow.adopting_decisions(strategy) == []
    assert workflow.gate_state_label(scrutiny_gate, recommendations) == "Recommendations made"


def test_a_gate_waiting_for_comments_proceeds_once_they_are_made(
    strategy, board, cabinet, secretary, cabinet_secretary, officer
):
    asked = workflow.add_gate(strategy, cabinet, Purpose.COMMENT, officer)
    final = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [asked])
    with pytest.raises(WorkflowError, match="only decision that can be recorded is a deferral"):
        decide(final, secretary, days_ago=1)
    decide(asked, cabinet_secretary, "comments", resolution="Welcomes the focus on carers.")
    final.refresh_from_db()
    decision = workflow.record_decision(final, secretary, "approved", "Approved.")
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.ADOPTED
    assert workflow.adopting_decisions(strategy) == [decision]


def test_an_approval_cannot_be_dated_before_the_comments_it_waits_for(
    strategy, board, cabinet, secretary, cabinet_secretary, officer
):
    asked = workflow.add_gate(strategy, cabinet, Purpose.COMMENT, officer)
    final = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [asked])
    decide(asked, cabinet_secretary, "comments", days_ago=2)
    workflow.schedule_gate(final, meeting_of(board, days_ago=5), secretary)
    with pytest.raises(WorkflowError, match="cannot be earlier"):
        workflow.record_decision(final, secretary, "approved", "Approved.")


def test_comments_after_the_final_approval_complete_the_route_but_adopt_nothing(
    strategy, board, scrutiny_gate, secretary, scrutiny_secretary, officer
):
    final = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    approval = decide(final, secretary)
    assert Strategy.objects.get().stage == Strategy.Stage.APPROVED
    decide(scrutiny_gate, scrutiny_secretary, "comments")
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.ADOPTED
    assert workflow.adopting_decisions(strategy) == [approval]


def test_pages_name_the_comments_not_a_pass(recommendations, officer, strategy):
    client = client_for(officer)
    route = client.get(reverse("governance:route", kwargs={"slug": strategy.slug}))
    page = route.content.decode()
    assert "Recommendations made" in page
    assert "awaiting the executive's response" in page
    assert client.get(reverse("timeline")).status_code == 200
    assert client.get(strategy.get_absolute_url()).status_code == 200
    rows = list(csv.reader(io.StringIO(downloaded(client.get(reverse("governance:gates-csv"))))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["gate state"] == "Recommendations made"
    assert row["outcome"] == "Recommendations made"
    assert row["executive response"] == "awaiting the executive's response"


def test_a_report_asks_a_body_to_comment_before_the_final_approval(
    strategy, board, cabinet, officer
):
    asked = workflow.add_gate(strategy, cabinet, Purpose.COMMENT, officer)
    workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [asked])
    drafted = prefill(asked)
    assert drafted["recommendations"] == (
        f"That the Cabinet comment on the {strategy.title_with_period} before the Health and "
        f"Wellbeing Board's final approval."
    )


# The executive's response ----------------------------------------------------------------------


def respond(decision, by, body, days_after=3, **kw):
    kw.setdefault("response", "The Cabinet accepts the recommendation.")
    return workflow.record_executive_response(
        decision, by, body, decision.decided_on + datetime.timedelta(days=days_after), **kw
    )


def test_the_cabinet_secretary_records_the_response_and_it_is_shown(
    recommendations, cabinet, cabinet_secretary, officer, strategy
):
    client = client_for(cabinet_secretary)
    url = reverse("governance:record-response", kwargs={"pk": recommendations.pk})
    decision_page = client.get(recommendations.get_absolute_url()).content.decode()
    assert url in decision_page
    responded = recommendations.decided_on + datetime.timedelta(days=3)
    response = client.post(
        url,
        {
            "body": cabinet.pk,
            "responded_on": responded.isoformat(),
            "response": "Accepted: short breaks funded from April.",
            "minute_reference": "Minute 52/25",
        },
    )
    assert response.status_code == 302
    answer = ExecutiveResponse.objects.get()
    assert (answer.body, answer.decision, answer.recorded_by) == (
        cabinet,
        recommendations,
        cabinet_secretary,
    )
    reader = client_for(officer)
    page = reader.get(recommendations.get_absolute_url()).content.decode()
    assert "Accepted: short breaks funded from April." in page
    assert url not in page  # once only
    route = reader.get(reverse("governance:route", kwargs={"slug": strategy.slug}))
    assert f"the Cabinet responded on {responded:%-d %B %Y}" in route.content.decode()
    history = reader.get(reverse("strategy-history", kwargs={"slug": strategy.slug}))
    assert "Created executive response: Cabinet&#x27;s response to" in history.content.decode()
    rows = list(csv.reader(io.StringIO(downloaded(reader.get(reverse("governance:gates-csv"))))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["executive response"].startswith(f"Cabinet, {responded.isoformat()}: Accepted")


def test_the_scrutiny_secretary_may_record_it_too(recommendations, cabinet, scrutiny_secretary):
    assert respond(recommendations, scrutiny_secretary, cabinet).body == cabinet


def test_a_response_is_recorded_once(recommendations, cabinet, cabinet_secretary):
    respond(recommendations, cabinet_secretary, cabinet)
    with pytest.raises(WorkflowError, match="already been recorded"):
        respond(recommendations, cabinet_secretary, cabinet)


def test_no_response_is_recorded_on_a_withdrawn_strategy(
    recommendations, cabinet, cabinet_secretary, officer, strategy
):
    workflow.withdraw(strategy, officer, "Replaced by a joint strategy")
    with pytest.raises(WorkflowError, match="withdrawn"):
        respond(recommendations, cabinet_secretary, cabinet)


def test_only_comments_or_recommendations_get_a_response(
    board_gate, secretary, cabinet, administrator
):
    endorsed = decide(board_gate, secretary, "endorsed")
    with pytest.raises(WorkflowError, match="Only comments or recommendations"):
        respond(endorsed, administrator, cabinet)


def test_the_response_is_not_dated_before_the_recommendations(
    recommendations, cabinet, cabinet_secretary
):
    with pytest.raises(WorkflowError, match="cannot come before") as refusal:
        respond(recommendations, cabinet_secretary, cabinet, days_after=-1)
    assert refusal.value.field == "responded_on"
    with pytest.raises(WorkflowError, match="once it has been given"):
        respond(recommendations, cabinet_secretary, cabinet, days_after=30)


def test_the_response_comes_from_an_executive_body_of_the_council(
    recommendations, board, cabinet, other_org, administrator
):
    with pytest.raises(WorkflowError, match="executive body"):
        respond(recommendations, administrator, board)
    elsewhere = Body.objects.create(
        organisation=other_org, name="Cabinet", kind="cabinet", is_executive=True
    )
    with pytest.raises(WorkflowError, match="executive body"):
        respond(recommendations, administrator, elsewhere)


@pytest.mark.parametrize("who", ["officer", "secretary", "other_secretary", "manager"])
def test_others_may_not_record_the_response(request, recommendations, cabinet, who):
    person = request.getfixturevalue(who)
    assert workflow.executive_response_refusal(person, recommendations)
    with pytest.raises(WorkflowError, match="Only a secretary"):
        respond(recommendations, person, cabinet)
    assert not ExecutiveResponse.objects.exists()


def test_the_response_form_shows_every_problem(recommendations, cabinet, cabinet_secretary):
    response = client_for(cabinet_secretary).post(
        reverse("governance:record-response", kwargs={"pk": recommendations.pk}),
        {
            "body": cabinet.pk,
            "responded_on": (recommendations.decided_on - datetime.timedelta(days=1)).isoformat(),
            "response": " ",
            "recorded_from": "the minutes",
        },
    )
    errors = response.context["form"].errors
    assert {"responded_on", "response", "recorded_from"} <= set(errors)
    assert not ExecutiveResponse.objects.exists()


def test_the_admin_lists_responses_read_only(recommendations, cabinet, administrator):
    respond(recommendations, administrator, cabinet)
    client = client_for(administrator)
    listing = client.get(reverse("admin:governance_executiveresponse_changelist"))
    assert listing.status_code == 200
    assert "Add executive response" not in listing.content.decode()
