"""The reminder sent when a consultation closes (listed in tasks.py; sent by sending.py): when a
window closes, by hand or by `manage.py close_consultations`, the strategy's officers hear of it
with the result. listeners.py queues it when consultation/workflow/ announces it."""

from __future__ import annotations

from consultation.models import ConsultationWindow
from strategies.models import ReminderKind

from .sending import Reminder, absolute_url, strategy_officers


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
