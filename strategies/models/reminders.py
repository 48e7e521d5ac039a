"""Reminder emails: what each person has turned off, and what has been sent to whom.

The kinds are named here because a person's choices belong to the person; the events that
trigger them belong to governance and consultation (portal/reminders/sending.py, and each app's
reminders.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .base import audit_history


class ReminderKind(models.TextChoices):
    GATE_SCHEDULED = "gate_scheduled", "A strategy is put on the agenda of a meeting you keep"
    AGENDA_DEADLINE = (
        "agenda_deadline",
        "The agenda of a meeting you keep must be published within 3 working days",
    )
    DECISION_RECORDED = "decision_recorded", "A body records a decision on your strategy"
    CONSULTATION_CLOSED = "consultation_closed", "A consultation on your strategy closes"
    GATE_OVERDUE = "gate_overdue", "A gate you are concerned with is overdue"
    REVIEW_DUE = "review_due", "A strategy you work on is due for review"


class ReminderPreference(models.Model):
    """One person's choice for one kind of reminder. No row means the reminder is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    enabled = models.BooleanField(default=True)

    history = audit_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_preference_once")
        ]

    def __str__(self) -> str:
        state = "on" if self.enabled else "off"
        return f"{self.user}: {self.get_kind_display()} ({state})"


class SentReminder(models.Model):
    """The sent-log: one row per reminder and recipient, written in the same transaction as the
    email is handed to the mail server. The unique key is what makes a reminder go once when
    `send_reminders` runs twice or two workers pick up the same event."""

    append_only = True  # never changed once sent (audit/ledger.py reads this)

    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    # What the reminder is about, e.g. "agenda-deadline:meeting-12:2026-11-25".
    key = models.CharField(max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="reminder_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.recipient}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A sent reminder is a record of the past and is never changed.")
        super().save(*args, **kwargs)
