"""Theme suggestions found in a consultation's comments on the council's own server
(consultation/suggestions.py finds them, in a background task): each run, with its progress,
and each suggested theme with its key terms, the responses it covers and its most
representative ones, until an officer accepts, renames, merges or rejects it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from strategies.models.base import audit_history

from .responses import Theme
from .windows import ConsultationWindow


class SuggestionRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    window = models.ForeignKey(
        ConsultationWindow, on_delete=models.CASCADE, related_name="suggestion_runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    message = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=200, blank=True)
    responses_read = models.PositiveIntegerField(default=0)

    history = audit_history()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "theme suggestion run"

    def __str__(self) -> str:
        return f"Theme suggestions for {self.window} ({self.get_state_display().lower()})"


class ThemeSuggestion(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "To decide"
        ACCEPTED = "accepted", "Accepted"
        MERGED = "merged", "Merged into a theme"
        REJECTED = "rejected", "Rejected"

    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="suggestions")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=120)
    key_terms = models.JSONField(default=list, blank=True)
    response_ids = models.JSONField(default=list, blank=True)
    representative_ids = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = audit_history()

    class Meta:
        ordering = ["run", "position"]
        verbose_name = "theme suggestion"

    def __str__(self) -> str:
        return f"{self.label} ({len(self.response_ids)} responses)"
