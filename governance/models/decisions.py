"""What bodies decided at gates, and the transitions of gates and strategies: both records of
the past that are never changed (a correction is a new decision that points back).

Only governance.workflow records either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from strategies.models import Priority, Revision, Strategy

from ..dates import Precision, describe
from .bodies import Meeting
from .routes import Gate


def effective_decisions(decisions) -> list[Decision]:
    """Decisions in the order they were taken, each replaced by its latest correction (a
    correction keeps the date and outcome of what it corrects and is recorded later). Takes the
    decisions with their corrections, in the order they were recorded."""
    decisions = list(decisions)
    correction_of = {d.corrects_id: d for d in decisions if d.corrects_id}
    effective = []
    for decision in decisions:
        if decision.corrects_id:
            continue
        while decision.pk in correction_of:
            decision = correction_of[decision.pk]
        effective.append(decision)
    return effective


class Decision(models.Model):
    """What a body decided at a gate. Append-only: a correction is a new row pointing back."""

    append_only = True  # its save() refuses a change (audit/ledger.py reads this)

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        APPROVED_WITH_AMENDMENTS = "approved_with_amendments", "Approved with amendments"
        ENDORSED = "endorsed", "Endorsed"
        NOTED = "noted", "Noted"
        DEFERRED = "deferred", "Deferred"
        REFERRED_BACK = "referred_back", "Referred back"
        REJECTED = "rejected", "Rejected"
        # What scrutiny (or a body asked to comment) gives: recorded as such, they settle the
        # gate without approving anything (see governance.workflow for how the route treats
        # them), and the executive's response follows later (ExecutiveResponse).
        COMMENTS = "comments", "Comments made"
        RECOMMENDATIONS = "recommendations", "Recommendations made"

        @classmethod
        def passing(cls) -> set[str]:
            return {cls.APPROVED, cls.APPROVED_WITH_AMENDMENTS, cls.ENDORSED, cls.NOTED}

        @classmethod
        def refusals(cls) -> set[str]:
            return {cls.DEFERRED, cls.REFERRED_BACK, cls.REJECTED}

    gate = models.ForeignKey(Gate, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    decided_on = models.DateField()
    decided_precision = models.CharField(
        "date known to",
        max_length=10,
        choices=[(Precision.DAY, "Exact day"), (Precision.MONTH, "Month only")],
        default=Precision.DAY,
        help_text="“Month only” when the minutes give just the month: the date is then quoted "
        "as the month everywhere.",
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    resolution = models.TextField(help_text="The resolution as minuted.")
    reasons = models.TextField(blank=True)
    alternatives_considered = models.TextField(blank=True)
    conflicts_declared = models.TextField(blank=True)
    published_on = models.DateField(
        "decision notice published on",
        null=True,
        blank=True,
        help_text="For an executive decision, when its record was published: call-in runs from "
        "then. When blank, from the decision date.",
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="The text decided on.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    minute_reference = models.CharField(
        max_length=60, blank=True, help_text="The minute's reference, e.g. “Minute 34/17”."
    )
    decision_notice_reference = models.CharField(
        max_length=60,
        blank=True,
        help_text="The published decision notice's reference, for an executive decision.",
    )
    # Entered after the fact from the council's records (a route brought in half-way), not
    # taken through Waymark: shown as such wherever the decision is.
    recorded_later = models.BooleanField(
        "recorded after the fact",
        default=False,
        help_text="Entered from the council's records after the decision was taken elsewhere.",
    )
    recorded_from = models.CharField(
        "from",
        max_length=300,
        blank=True,
        help_text="Where it was taken from, e.g. “the minutes of the Cabinet of 13 September "
        "2017”.",
    )
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    previous_hash = models.CharField(max_length=64, blank=True)
    record_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            # One final decision per gate: deferrals and referrals back leave the gate open to
            # be decided again, and a correction points back to the decision it corrects.
            models.UniqueConstraint(
                fields=["gate"],
                condition=Q(corrects__isnull=True) & ~Q(outcome__in=["deferred", "referred_back"]),
                name="one_final_decision_per_gate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gate}: {self.get_outcome_display()} ({self.decided_when})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A decision is never changed once recorded; record a correction.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("governance:decision", kwargs={"pk": self.pk})

    @property
    def decided_when(self) -> str:
        """The decision's date at the precision the minutes give ("March 2017")."""
        return describe(self.decided_on, self.decided_precision)

    @property
    def decided_on_or_in(self) -> str:
        """'on 13 September 2017', or 'in March 2017' when the minutes give only the month."""
        return f"{'on' if self.decided_precision == Precision.DAY else 'in'} {self.decided_when}"

    @property
    def minute_cited(self) -> str:
        """The minute's reference as quoted in a sentence: "Minute 34/17", whether it was typed
        with the word or as "34/17"; empty when there is none."""
        reference = self.minute_reference
        if not reference or reference.lower().startswith("min"):
            return reference
        return f"Minute {reference}"

    @classmethod
    def audit_findings(cls):
        """The decisions' hash chains, for `manage.py verify_audit` (governance/audit.py)."""
        from ..audit import decision_findings

        return decision_findings()


class ApprovedPart(models.Model):
    """A named part of the content that a decision approved, in the words it approved: a Board
    approving the priorities as the basis of a strategy not yet drafted approves those, not the
    whole text. Kept as it was approved, whatever becomes of the priority afterwards (a change
    to its words is warned of and marked in its history: governance/approvals.py).
    Append-only, like the decision it belongs to; a correction carries its decision's parts."""

    append_only = True  # its save() refuses a change (audit/ledger.py reads this)

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="approved_parts")
    # The priority as it is now, while it exists: the record keeps its words whatever happens
    # to it, so no constraint ties the two (removing the priority leaves the record as it was).
    priority = models.ForeignKey(
        Priority,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,  # brought in from a file that no longer has the priority
        blank=True,
        related_name="approvals",
    )
    position = models.PositiveIntegerField(help_text="Its place among the priorities then.")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["decision", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "priority"], name="part_approved_once_per_decision"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("What a decision approved is never changed; record a correction.")
        super().save(*args, **kwargs)


class Transition(models.Model):
    """A move of a gate's state or a strategy's stage: from, to, who, when and why."""

    append_only = True  # its save() refuses a change (audit/ledger.py reads this)

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="transitions")
    gate = models.ForeignKey(
        Gate, on_delete=models.CASCADE, null=True, blank=True, related_name="transitions"
    )
    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        what = f"gate {self.gate}" if self.gate_id else "strategy"
        return f"{what}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A transition is a record of the past and is never changed.")
        super().save(*args, **kwargs)

    def _label(self, value: str) -> str:
        choices = Gate.State if self.gate_id else Strategy.Stage
        return str(dict(choices.choices).get(value, value))

    @property
    def from_label(self) -> str:
        return self._label(self.from_state) if self.from_state else ""

    @property
    def to_label(self) -> str:
        return self._label(self.to_state)
