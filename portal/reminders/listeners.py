"""The moves that bring a reminder: governance and consultation announce them (their signals.py)
once committed, and these queue the reminder for the worker (tasks.py)."""

from __future__ import annotations

from consultation import signals as consultation_signals
from governance import signals as governance_signals
from strategies.models import ReminderKind

from .tasks import enqueue


def gate_scheduled(sender, gate_id: int, meeting_id: int, by_id: int | None, **kwargs) -> None:
    enqueue(ReminderKind.GATE_SCHEDULED, gate=gate_id, meeting=meeting_id, by=by_id)


def decision_recorded(sender, decision_id: int, by_id: int | None, **kwargs) -> None:
    enqueue(ReminderKind.DECISION_RECORDED, decision=decision_id, by=by_id)


def window_closed(sender, window_id: int, by_id: int | None, **kwargs) -> None:
    enqueue(ReminderKind.CONSULTATION_CLOSED, window=window_id, by=by_id)


def connect() -> None:
    governance_signals.gate_scheduled.connect(gate_scheduled, dispatch_uid="reminder-gate")
    governance_signals.decision_recorded.connect(decision_recorded, dispatch_uid="reminder-dec")
    consultation_signals.window_closed.connect(window_closed, dispatch_uid="reminder-window")
