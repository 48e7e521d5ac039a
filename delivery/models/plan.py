"""A strategy's delivery plan: each action's dated milestones, and the progress updates that
say, at a date, how the action stands (status, RAG, commentary, who). The updates are kept, not
overwritten, so a page shows the latest and the trend; the action's own status and RAG are
the latest update's (delivery/workflow.py writes both together)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from strategies.models import Action
from strategies.models.base import Versioned, audit_history


class Milestone(Versioned):
    """A dated step of an action: due on a day, done on a day (or not yet)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_on = models.DateField("due")
    completed_on = models.DateField("completed", null=True, blank=True)

    history = audit_history(excluded_fields=["version"])

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    """How an action stood on a day, as its lead reported it. Corrected, not replaced: a
    correction is a change with its history row."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    as_of = models.DateField("as of", help_text="The day the update describes.")
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    rag = models.CharField("RAG rating", max_length=10, choices=Action.Rag.choices, blank=True)
    commentary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    history = audit_history()

    class Meta:
        ordering = ["-as_of", "-pk"]
        indexes = [models.Index(fields=["action", "-as_of", "-id"], name="update_latest_first")]
        constraints = [
            models.CheckConstraint(
                name="update_complete_is_not_red",
                condition=~Q(status="complete", rag="red"),
                violation_error_message="A complete action cannot be rated red.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_status_display()} on {self.as_of}"
