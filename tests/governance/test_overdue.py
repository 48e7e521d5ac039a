"""When a gate is overdue: one rule (`Gate.due_day`, `Gate.is_overdue`) with its twin in the
database (`GateQuerySet.with_due_day`, `overdue`), which the dashboard and the reminders share."""

from __future__ import annotations

import datetime

from django.utils import timezone

from governance import workflow
from governance.models import Gate, Purpose
from strategies.models import Strategy
from tests.governance.conftest import decide, meeting_of

TODAY = timezone.localdate()


def _gate(strategy, body, officer, planned, precision="day", purpose=Purpose.REVIEW):
    return workflow.add_gate(strategy, body, purpose, officer, [], planned, precision)


def test_a_gate_is_overdue_once_its_day_has_passed(strategy, board, officer):
    late = _gate(strategy, board, officer, TODAY - datetime.timedelta(days=1))
    today = _gate(strategy, board, officer, TODAY)
    unset = _gate(strategy, board, officer, None, "not_set")
    assert late.due_day == TODAY - datetime.timedelta(days=1)
    assert late.is_overdue(TODAY) and not today.is_overdue(TODAY)
    assert unset.due_day is None and not unset.is_overdue(TODAY)
    assert list(Gate.objects.overdue(TODAY)) == [late]


def test_a_month_is_due_on_its_last_day(strategy, board, officer):
    first_of_month = TODAY.replace(day=1)
    gate = _gate(strategy, board, officer, first_of_month, "month")
    assert gate.due_day >= TODAY and not gate.is_overdue(TODAY)
    next_month = (gate.due_day + datetime.timedelta(days=1)).replace(day=1)
    assert gate.is_overdue(next_month)
    assert list(Gate.objects.overdue(next_month)) == [gate]


def test_a_meeting_sets_the_day_and_a_decision_ends_it(strategy, board, officer, secretary):
    gate = _gate(strategy, board, officer, TODAY + datetime.timedelta(days=60))
    meeting = meeting_of(board, days_ago=2)
    workflow.schedule_gate(gate, meeting, secretary)
    gate.refresh_from_db()
    assert gate.due_day == meeting.local_day and gate.is_overdue(TODAY)
    assert list(Gate.objects.overdue(TODAY)) == [gate]
    decide(Gate.objects.get(pk=gate.pk), secretary)
    assert not Gate.objects.get(pk=gate.pk).is_overdue(TODAY)
    assert not Gate.objects.overdue(TODAY).exists()


def test_nothing_is_overdue_on_a_closed_route_or_at_a_consultation(strategy, board, officer):
    _gate(strategy, board, officer, TODAY - datetime.timedelta(days=5), purpose=Purpose.CONSULT)
    assert not Gate.objects.overdue(TODAY).exists()  # it runs with its window
    late = _gate(strategy, board, officer, TODAY - datetime.timedelta(days=5))
    assert list(Gate.objects.overdue(TODAY)) == [late]
    Strategy.objects.filter(pk=strategy.pk).update(stage=Strategy.Stage.WITHDRAWN)
    assert not Gate.objects.overdue(TODAY).exists()
