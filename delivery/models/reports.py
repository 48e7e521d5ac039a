"""A progress report to the body overseeing the strategy's delivery: built like a committee
report (Waymark fills in the actions, indicators and what changed since the last report; the
officer writes the rest), taken to a meeting as a gate of purpose "monitor" or "note", whose
decision is recorded like any other. When it is sent, what it reported is frozen (`snapshot`),
so the next report can say what changed since."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from governance.models import Gate
from strategies.models import Strategy
from strategies.models.base import Versioned, audit_history


class ProgressReport(Versioned):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="progress_reports"
    )
    gate = models.OneToOneField(
        Gate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_report",
        help_text="The meeting's consideration of it on the strategy's route.",
    )
    title = models.CharField(max_length=300)
    covers_from = models.DateField("covers from")
    covers_to = models.DateField("covers to")
    summary = models.TextField(blank=True)
    recommendations = models.TextField(
        blank=True, help_text="One recommendation per line; they are numbered for you."
    )
    # The officer's words on each priority, by priority id ({"12": "text"}).
    commentary = models.JSONField(default=dict, blank=True)
    risks = models.TextField("risks and issues", blank=True)
    next_steps = models.TextField("next steps", blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    # What it reported, frozen when it was sent to the meeting (delivery/reports.py).
    sent_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True, editable=False)

    history = audit_history(excluded_fields=["version"])

    class Meta:
        ordering = ["-covers_to", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="progress_report_period_in_order",
                condition=Q(covers_to__gte=F("covers_from")),
                violation_error_message="The period cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.title
