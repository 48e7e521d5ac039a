"""A decision is recorded from its meeting's day: one rule (Meeting.day_has_come, said in words
by workflow.decision_day_refusal) that every page offering to record one follows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import Decision, Gate, Meeting
from tests.conftest import client_for
from tests.governance.conftest import meeting_of

ONE_DAY = datetime.timedelta(days=1)


def on_meeting(gate: Gate, meeting: Meeting, secretary) -> Gate:
    workflow.schedule_gate(gate, meeting, secretary)
    return Gate.objects.select_related("strategy", "body", "meeting").get(pk=gate.pk)


def test_the_rule_and_its_sentence(board_gate, board, secretary):
    assert workflow.decision_day_refusal(board_gate) is None  # not on a meeting: asked apart
    meeting = meeting_of(board, days_ago=-10)
    gate = on_meeting(board_gate, meeting, secretary)
    day = meeting.local_day
    assert not meeting.day_has_come()
    assert meeting.day_has_come(day) and not meeting.day_has_come(day - ONE_DAY)
    sentence = f"The decision can be recorded from the day of the meeting ({meeting.when})."
    assert workflow.decision_day_refusal(gate) == sentence
    assert workflow.decision_day_refusal(gate, today=day) is None
    # Whoever asks, and whether they may record it at all, is the other check's question.
    assert workflow.record_decision_refusal(secretary, gate) is None


def test_the_meeting_of_today_or_before_takes_its_decision(board_gate, board, secretary):
    gate = on_meeting(board_gate, meeting_of(board, days_ago=0), secretary)
    assert workflow.decision_day_refusal(gate) is None
    workflow.record_decision(gate, secretary, "noted", "Noted.")
    assert Decision.objects.count() == 1


def test_the_route_page_offers_no_decision_before_the_meetings_day(board_gate, board, secretary):
    """It offered "Record the decision" for a meeting still to come, which the form then
    refused; now it says from when instead."""
    meeting = meeting_of(board, days_ago=-10)
    gate = on_meeting(board_gate, meeting, secretary)
    route = reverse("governance:route", kwargs={"slug": gate.strategy.slug})
    record = reverse("governance:record-decision", args=[gate.pk])
    response = client_for(secretary).get(route)
    view = next(v for step in response.context["steps"] for v in step if v.gate.pk == gate.pk)
    assert view.is_next and not view.can_record
    page = response.content.decode()
    assert record not in page
    assert workflow.decision_day_refusal(gate) in page
    meeting.starts_at -= datetime.timedelta(days=10)  # its day comes
    meeting.save()
    page = client_for(secretary).get(route).content.decode()
    assert record in page and "can be recorded from the day" not in page


def test_the_decision_form_still_shows_and_refuses_dates_before_the_day(
    board_gate, board, secretary
):
    meeting = meeting_of(board, days_ago=-3)
    gate = on_meeting(board_gate, meeting, secretary)
    url = reverse("governance:record-decision", args=[gate.pk])
    client = client_for(secretary)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["not_yet"] == workflow.decision_day_refusal(gate)
    assert f"the meeting is on {meeting.local_day:%-d %B %Y}" in page.content.decode()
    today = timezone.localdate()
    for day, problem in [
        (meeting.local_day, "A decision cannot be dated in the future."),
        (today, "A decision cannot be dated before its meeting."),
    ]:
        typed = {"outcome": "noted", "decided_on": day.isoformat(), "resolution": "Noted."}
        response = client.post(url, typed)
        assert response.context["form"].errors["decided_on"] == [problem]
    assert not Decision.objects.exists()


@pytest.fixture
def day_not_come(monkeypatch):
    """Every meeting's day is still to come, whatever its date: only pages that ask the one
    rule notice."""
    monkeypatch.setattr(Meeting, "day_has_come", lambda meeting, today=None: False, raising=False)


def test_every_page_that_offers_a_decision_asks_the_one_rule(
    board_gate, board, secretary, day_not_come
):
    meeting = meeting_of(board, days_ago=1)
    gate = on_meeting(board_gate, meeting, secretary)
    record = reverse("governance:record-decision", args=[gate.pk])
    client = client_for(secretary)
    route = client.get(reverse("governance:route", kwargs={"slug": gate.strategy.slug}))
    assert record not in route.content.decode()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert record not in page
    assert "The decision can be recorded from the day of the meeting" in page
    assert client.get(record).context["not_yet"]
    sections = client.get(reverse("home")).context["sections"]
    overdue = next(s.context["overdue"] for s in sections if "overdue" in s.context)
    items = [item for item in overdue.rows if item.gate.pk == gate.pk]
    assert items and items[0].action_label == "Meeting"
    assert items[0].action_url == meeting.get_absolute_url()
