"""A route brought in half-way: a meeting already held takes the strategy on its agenda, and
its decision is recorded after the fact, at the precision the minutes give."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import Gate, Meeting, Purpose
from governance.workflow import WorkflowError
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def held_meeting(body, year=2017, month=3, day=14, **kw) -> Meeting:
    when = timezone.make_aware(datetime.datetime(year, month, day, 14))
    return Meeting.objects.create(body=body, starts_at=when, status=Meeting.Status.HELD, **kw)


def test_a_meeting_already_held_takes_the_strategy_through_its_page(
    board, officer, secretary, strategy
):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    meeting = held_meeting(board, date_precision="month")
    client = client_for(secretary)
    page = client.get(meeting.get_absolute_url(), {"gate": gate.pk})
    assert "Add to the agenda" in page.content.decode()
    response = client.post(
        meeting.get_absolute_url(),
        {"gate": gate.pk, "agenda_item": "6", "report_number": "HWB 03/17"},
    )
    assert response.status_code == 302
    gate.refresh_from_db()
    assert (gate.meeting, gate.state, gate.agenda_item) == (meeting, Gate.State.SCHEDULED, "6")


def test_its_decision_is_recorded_after_the_fact_to_the_month(board, officer, secretary, strategy):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    meeting = held_meeting(board, date_precision="month")
    workflow.schedule_gate(gate, meeting, secretary)
    decision = workflow.record_decision(
        gate,
        secretary,
        "approved",
        "The Board approved the strategy.",
        decided_on=datetime.date(2017, 3, 14),
        decided_precision="month",
        minute_reference="Minute 12/17",
        recorded_later=True,
        recorded_from="the minutes of the Board of March 2017",
    )
    assert decision.decided_when == "March 2017"
    route = client_for(officer).get(reverse("governance:route", kwargs={"slug": strategy.slug}))
    page = route.content.decode()
    assert "March 2017" in page and "Minute 12/17" in page
    assert "the minutes of the Board of March 2017" in page


def test_a_cancelled_meeting_still_takes_nothing(board, officer, secretary, strategy):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    cancelled = Meeting.objects.create(
        body=board,
        starts_at=timezone.make_aware(datetime.datetime(2017, 3, 14, 14)),
        status=Meeting.Status.CANCELLED,
    )
    with pytest.raises(WorkflowError, match="cancelled"):
        workflow.schedule_gate(gate, cancelled, secretary)
    page = client_for(secretary).get(cancelled.get_absolute_url()).content.decode()
    assert "Add to the agenda" not in page


def test_a_gate_decided_before_waymark_can_have_its_report_entered(
    board, officer, secretary, strategy
):
    from governance.workflow.reports import gate_refusal

    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    workflow.schedule_gate(gate, held_meeting(board), secretary)
    workflow.record_decision(
        gate, secretary, "approved", "Approved.", decided_on=datetime.date(2017, 3, 14),
        recorded_later=True, recorded_from="the minutes of the Board of 14 March 2017",
    )  # fmt: skip
    gate.refresh_from_db()
    assert gate_refusal(gate) is None
    start = reverse("start-report", kwargs={"slug": strategy.slug, "pk": gate.pk})
    assert client_for(officer).post(start).status_code == 302
    assert gate.report


def test_a_gate_decided_in_waymark_keeps_its_report_as_sent(board, officer, secretary, strategy):
    from governance.workflow.reports import gate_refusal
    from tests.governance.conftest import decide

    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    decide(gate, secretary)
    gate.refresh_from_db()
    assert "stays as it was sent" in gate_refusal(gate)


def test_the_admin_lists_decisions_with_their_strategy(board, officer, secretary, strategy):
    from tests.governance.conftest import decide

    administrator = type(officer).objects.create_superuser("root", "root@example.org", "x" * 14)
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    decide(gate, secretary)
    page = client_for(administrator).get(reverse("admin:governance_decision_changelist"))
    assert f"{strategy.title_with_period} (" in page.content.decode()


def test_a_decision_recorded_after_the_fact_does_not_claim_the_text_it_was_taken_on(
    board, officer, secretary, strategy
):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    workflow.schedule_gate(gate, held_meeting(board), secretary)
    decision = workflow.record_decision(
        gate, secretary, "approved", "Approved.", decided_on=datetime.date(2017, 3, 14),
        recorded_later=True, recorded_from="the minutes",
    )  # fmt: skip
    assert decision.revision.label.endswith("decision was recorded after the fact")
    assert "As decided by" not in decision.revision.label


def test_the_meeting_and_decision_pages_point_at_each_other_with_references(
    board, officer, secretary, strategy
):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    meeting = held_meeting(board)
    workflow.schedule_gate(gate, meeting, secretary, report_number="HWB 03/17", agenda_item="6")
    decision = workflow.record_decision(
        gate, secretary, "approved", "Approved.", decided_on=datetime.date(2017, 3, 14),
        minute_reference="Minute 12/17", recorded_later=True, recorded_from="the minutes",
    )  # fmt: skip
    client = client_for(secretary)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{decision.get_absolute_url()}"' in page and "Minute 12/17" in page
    assert "recorded after the fact" in page
    page = client.get(decision.get_absolute_url()).content.decode()
    assert f'href="{meeting.get_absolute_url()}"' in page
    assert "item 6" in page and "(report HWB 03/17)" in page
