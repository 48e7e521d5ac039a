"""After a body approves with amendments, the strategy page tells the officer plainly what to do
next, while the text is open for the amendments."""

from __future__ import annotations

import pytest
from django.utils import timezone

from governance import workflow
from governance.models import Purpose
from tests.conftest import client_for
from tests.governance.conftest import decide, meeting_of

pytestmark = pytest.mark.django_db


def test_the_officer_is_told_what_to_do_after_approval_with_amendments(
    strategy, board, cabinet, officer, secretary, cabinet_secretary
):
    board_gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    cabinet_gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [board_gate])
    decide(
        board_gate, secretary, "approved_with_amendments",
        resolution="Approved, subject to a stronger priority on carers.",
    )  # fmt: skip
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "Next: make the amendments the Health and Wellbeing Board asked for" in page
    assert "subject to a stronger priority on carers" in page
    assert "take a revision" in page and "The amended text then goes to the Cabinet" in page
    # Once the Cabinet's papers fix the amended text, there is nothing more to do here.
    meeting = meeting_of(cabinet, days_ago=-10)
    workflow.schedule_gate(cabinet_gate, meeting, cabinet_secretary)
    workflow.publish_agenda(meeting, timezone.localdate(), cabinet_secretary)
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "Next: make the amendments" not in page


def test_nothing_is_said_after_a_plain_approval(strategy, board, officer, secretary):
    gate = workflow.add_gate(strategy, board, Purpose.ENDORSE, officer)
    decide(gate, secretary, "endorsed")
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "Next: make the amendments" not in page


def test_an_executive_gate_says_plainly_when_it_is_not_a_key_decision(strategy, cabinet, officer):
    from django.urls import reverse

    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    route = reverse("governance:route", kwargs={"slug": strategy.slug})
    page = client_for(officer).get(route).content.decode()
    assert "not a key decision, so no Forward Plan notice is needed" in page
