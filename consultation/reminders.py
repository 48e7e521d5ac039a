"""Consultation's reminder email (registered in apps.py; sent by strategies/reminders.py): when a
window closes, by hand or by `manage.py close_consultations`, the strategy's officers hear of it
with the result. consultation/workflow.py enqueues it after its transaction commits."""

from __future__ import annotations

from strategies.models import ReminderKind
from strategies.reminders import Reminder, absolute_url, enqueue, strategy_officers

from .models import ConsultationWindow


def consultation_closed(window_id: int, by_id: int | None) -> None:
    enqueue(ReminderKind.CONSULTATION_CLOSED, window=window_id, by=by_id)


def build_consultation_closed(params: dict) -> Reminder | None:
    window = (
        ConsultationWindow.objects.select_related("strategy").filter(pk=params["window"]).first()
    )
    if window is None or window.state in {
        ConsultationWindow.State.PLANNED,
        ConsultationWindow.State.OPEN,
    }:
        return None
    return Reminder(
        kind=ReminderKind.CONSULTATION_CLOSED,
        key=f"consultation-closed:window-{window.pk}",
        subject=f"Consultation closed: {window.title}",
        recipients=strategy_officers(window.strategy),
        exclude_user_id=params.get("by"),
        context={
            "window": window,
            "strategy": window.strategy,
            "window_url": absolute_url(window.get_absolute_url()),
        },
    )
