"""The reminder task and what queues it: every kind of reminder, how it is built and, for those
that time rather than an event brings, when it is due (see sending.py for how they are sent)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone
from django_tasks import task

from strategies.models import ReminderKind, SentReminder

from . import consultation, governance, lifecycle
from .sending import RETRY_AFTER, NotSent, Reminder, deliver

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderSource:
    """How to send one kind of reminder. `build(params)` runs in the task worker and gives the
    Reminder, or None when the event no longer calls for one (the agenda was published
    meanwhile). `due(today)` gives `(key, params)` for every reminder that time brings today."""

    build: Callable[[dict], Reminder | None]
    due: Callable[[datetime.date], Iterable[tuple[str, dict]]] | None = None


SOURCES: dict[str, ReminderSource] = {
    ReminderKind.GATE_SCHEDULED: ReminderSource(governance.build_gate_scheduled),
    ReminderKind.DECISION_RECORDED: ReminderSource(governance.build_decision_recorded),
    ReminderKind.AGENDA_DEADLINE: ReminderSource(
        governance.build_agenda_deadline, due=governance.due_agenda_deadlines
    ),
    ReminderKind.GATE_OVERDUE: ReminderSource(
        governance.build_gate_overdue, due=governance.due_overdue_gates
    ),
    ReminderKind.CONSULTATION_CLOSED: ReminderSource(consultation.build_consultation_closed),
    ReminderKind.REVIEW_DUE: ReminderSource(lifecycle.build_review_due, due=lifecycle.due_reviews),
}


@task()
def send_reminder(kind: str, params: dict, attempt: int = 0) -> int:
    """The task: build one reminder from its source and send it. Returns how many went. If the
    mail server refuses some recipients, the task queues itself again (RETRY_AFTER) and fails;
    the next try sends only to those who have not had it."""
    source = SOURCES.get(kind)
    if source is None:
        raise LookupError(f"No reminder source for {kind!r}.")
    reminder = source.build(params)
    if reminder is None:
        return 0
    try:
        return deliver(reminder)
    except NotSent:
        if attempt < len(RETRY_AFTER):
            later = send_reminder.using(run_after=timezone.now() + RETRY_AFTER[attempt])
            later.enqueue(kind, params, attempt + 1)
            logger.warning("Reminder %s queued again (try %d)", reminder.key, attempt + 2)
        raise


def enqueue(kind: str, **params) -> None:
    """Queue a reminder; listeners.py calls it once the move that brings it has committed."""
    send_reminder.enqueue(kind, params)


def enqueue_due(today) -> dict[str, int]:
    """Queue every time-driven reminder due `today` whose key is not yet in the sent-log, for
    `manage.py send_reminders`; returns how many of each kind were queued. Running it again
    queues nothing new once the worker has sent them, and a duplicate queued before that is
    sent once all the same."""
    queued = {}
    for kind, source in SOURCES.items():
        if source.due is None:
            continue
        due = list(source.due(today))
        done = set(
            SentReminder.objects.filter(key__in=[key for key, _ in due]).values_list(
                "key", flat=True
            )
        )
        queued[kind] = 0
        for key, params in due:
            if key not in done:
                enqueue(kind, **params)
                queued[kind] += 1
    return queued
