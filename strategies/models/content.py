"""What a strategy says: priorities > objectives > actions, indicators and evidence."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from ..indicator_codes import code_refusal, listed_spelling
from .base import HttpsURLField, Versioned, audit_history
from .organisations import Organisation
from .strategy import Strategy

# An evidence source's year: 2011, or a span such as 2011/12 or 2011/2012.
YEAR_PATTERN = re.compile(r"^[0-9]{4}(/[0-9]{2}([0-9]{2})?)?$")


def position_constraints(parent: str, prefix: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(
            fields=[parent, "position"],
            name=f"{prefix}_position_unique_in_{parent}",
            violation_error_message="Two items cannot share a place in the same list.",
        ),
        models.CheckConstraint(
            name=f"{prefix}_position_positive",
            condition=Q(position__gte=1),
            violation_error_message="Places in a list start at 1.",
        ),
    ]


class Priority(Versioned):
    """A strategy's top level; the strategy decides whether it is called a priority or a goal."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    history = audit_history(excluded_fields=["version"])
    # The field whose children share one ordered list (strategies.editing relies on it).
    position_parent = "strategy"

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "priorities"
        constraints = position_constraints("strategy", "priority")

    def __str__(self) -> str:
        return self.title


class Objective(Versioned):
    class CommitmentLevel(models.TextChoices):
        ORGANISATIONS = "organisations", "What we as organisations will do"
        TOGETHER = "together", "What we can do together with communities"
        COMMUNITIES = "communities", "What individuals and communities can do for themselves"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    commitment_level = models.CharField(max_length=20, choices=CommitmentLevel.choices, blank=True)

    history = audit_history(excluded_fields=["version"])
    # The field whose children share one ordered list (strategies.editing relies on it).
    position_parent = "priority"

    class Meta:
        ordering = ["position"]
        constraints = position_constraints("priority", "objective")

    def __str__(self) -> str:
        return self.title


class Action(Versioned):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        DELAYED = "delayed", "Delayed"
        CANCELLED = "cancelled", "Cancelled"

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    lead_team = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    milestone = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices, blank=True)

    history = audit_history(excluded_fields=["version"])
    # The field whose children share one ordered list (strategies.editing relies on it).
    position_parent = "objective"

    class Meta:
        ordering = ["position"]
        constraints = position_constraints("objective", "action")

    def __str__(self) -> str:
        return self.title

    @property
    def lead(self) -> str:
        names = [
            n
            for n in (
                self.lead_organisation and self.lead_organisation.display_name,
                self.lead_team,
            )
            if n
        ]
        return ", ".join(names)


class OutcomeIndicator(Versioned):
    class Framework(models.TextChoices):
        PHOF = "phof", "Public Health Outcomes Framework"
        NHSOF = "nhsof", "NHS Outcomes Framework"
        ASCOF = "ascof", "Adult Social Care Outcomes Framework"
        LOCAL = "local", "Local indicator"

    class Polarity(models.TextChoices):
        """Which way is better, as the framework says (Fingertips' "polarity")."""

        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        NEITHER = "neither", "Not judged (neither higher nor lower is better)"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField()
    framework = models.CharField(max_length=10, choices=Framework.choices)
    code = models.CharField(
        max_length=30, blank=True, help_text="The framework's reference, e.g. 2.12."
    )
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=60, blank=True, help_text="e.g. %, per 100,000")
    baseline = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    target_date = models.DateField(
        "target date", null=True, blank=True, help_text="When the target should be reached."
    )
    polarity = models.CharField(
        max_length=10,
        choices=Polarity.choices,
        default=Polarity.NEITHER,
        help_text="Which way is better: a change is judged better or worse by it.",
    )
    latest_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    latest_date = models.DateField("date of latest value", null=True, blank=True)
    objectives = models.ManyToManyField(
        Objective, through="IndicatorObjective", related_name="indicators", blank=True
    )

    history = audit_history(excluded_fields=["version"])
    # The field whose children share one ordered list (strategies.editing relies on it).
    position_parent = "strategy"

    class Meta:
        ordering = ["position"]
        constraints = [
            *position_constraints("strategy", "indicator"),
            models.CheckConstraint(
                name="indicator_latest_value_has_date",
                condition=Q(latest_value__isnull=True) | Q(latest_date__isnull=False),
                violation_error_message="Give the date of the latest value.",
            ),
        ]

    def clean(self) -> None:
        problems = {}
        if self.latest_value is not None and not self.latest_date:
            problems["latest_date"] = "Give the date of the latest value."
        if refusal := code_refusal(self.framework, self.code):
            problems["code"] = refusal
        else:  # one spelling of a listed indicator, whichever door the code came through
            self.code = listed_spelling(self.framework, self.code)
        if problems:
            raise ValidationError(problems)

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class IndicatorObjective(models.Model):
    """Links an indicator to an objective it measures (a row, so that its history shows)."""

    indicator = models.ForeignKey(
        OutcomeIndicator, on_delete=models.CASCADE, related_name="objective_links"
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="indicator_links"
    )

    history = audit_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "objective"], name="indicator_objective_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} measures {self.objective}"


class EvidenceSource(Versioned):
    class Kind(models.TextChoices):
        JSNA = "jsna", "Joint Strategic Needs Assessment"
        SOCIAL_ATLAS = "social_atlas", "Social atlas"
        PUBLIC_HEALTH_REPORT = "public_health_report", "Public health report"
        ENGAGEMENT = "engagement", "Engagement feedback"
        OTHER = "other", "Other"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="evidence")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    year = models.CharField(
        max_length=9,
        blank=True,
        validators=[RegexValidator(YEAR_PATTERN.pattern, "Write the year as 2011 or 2011/12.")],
        help_text="A year or a span, e.g. 2011 or 2011/12.",
    )
    url = HttpsURLField("link", blank=True)

    history = audit_history(excluded_fields=["version"])
    # The field whose children share one ordered list (strategies.editing relies on it).
    position_parent = "strategy"

    class Meta:
        ordering = ["position"]
        verbose_name = "evidence source"
        constraints = [
            *position_constraints("strategy", "evidence"),
        ]

    def clean(self) -> None:
        """A span runs into the next year (2011/12, 2011/2012). Read only once the year has the
        field's own pattern, so that the span is read from digits."""
        if self.year and YEAR_PATTERN.fullmatch(self.year) and "/" in self.year:
            first, second = self.year.split("/")
            if int(second) != (int(first) + 1) % (100 if len(second) == 2 else 10_000):
                raise ValidationError({"year": "A span runs into the next year, e.g. 2011/12."})

    def __str__(self) -> str:
        return f"{self.title} {self.year}".strip()
