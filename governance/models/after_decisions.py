"""What follows a decision outside its meeting: a call-in of an executive decision, and the
executive's response to a scrutiny committee's comments or recommendations. Each is a row with
its own history, recorded (and corrected) by governance.workflow; the decision itself is never
changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from strategies.models.base import audit_history

from .bodies import Body
from .decisions import Decision


class CallIn(models.Model):
    """An executive decision called in for scrutiny within its call-in period, and what came
    of it. Until its outcome is known the decision does not take effect."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not yet heard"
        NO_FURTHER_ACTION = "no_further_action", "No further action: the decision stands"
        REFERRED_BACK = "referred_back", "Referred back to the decision maker"
        REFERRED_TO_COUNCIL = "referred_to_council", "Referred to full council"
        # Brought in after the fact from records that say the call-in was heard but not what
        # came of it (workflow.call_ins: only for a call-in recorded after the fact).
        NOT_ON_RECORD = "not_on_record", "Heard; what came of it is not on record"

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="call_in")
    called_in_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the call-in request was made. Empty only for a call-in recorded after "
        "the fact from records that do not give the day (“a Notice of Call-in was received "
        "within the required deadline”).",
    )
    called_in_by = models.CharField(
        max_length=300,
        help_text="Who called it in, as the records say (e.g. “Councillors Ali, Jennings and "
        "nine others” or “the Adults Scrutiny Committee”).",
    )
    heard_by = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_ins_heard",
        help_text="The scrutiny committee that considered it.",
    )
    heard_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_notes = models.TextField(blank=True, help_text="What the committee resolved.")
    minute_reference = models.CharField(max_length=60, blank=True)
    recorded_later = models.BooleanField("recorded after the fact", default=False)
    recorded_from = models.CharField("from", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    history = audit_history()

    class Meta:
        verbose_name = "call-in"

    def __str__(self) -> str:
        return f"Call-in of {self.decision}: {self.get_outcome_display()}"


class ExecutiveResponse(models.Model):
    """The executive's response to a scrutiny committee's comments or recommendations on a
    strategy, recorded when it is given (often months later)."""

    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        related_name="executive_response",
        help_text="The scrutiny committee's comments or recommendations.",
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="responses_given", help_text="Who responded."
    )
    responded_on = models.DateField()
    response = models.TextField(help_text="The response, as minuted or published.")
    minute_reference = models.CharField(max_length=60, blank=True)
    recorded_later = models.BooleanField("recorded after the fact", default=False)
    recorded_from = models.CharField("from", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    history = audit_history()

    class Meta:
        verbose_name = "executive response"

    def __str__(self) -> str:
        return f"{self.body}'s response to {self.decision}"
