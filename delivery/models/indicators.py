"""An outcome indicator's values over time: one per period (a year, a financial year, a
quarter, a three-year span), with its confidence interval where the source gives one, where
it came from and when it was published. Typed in or imported from a Fingertips CSV
(delivery/fingertips.py), each import on record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from strategies.models import OutcomeIndicator
from strategies.models.base import audit_history


class IndicatorValueImport(models.Model):
    """A file of values imported into a strategy's indicators: the file (name and fingerprint),
    who imported it and what it added and changed."""

    indicator = models.ForeignKey(
        OutcomeIndicator, on_delete=models.CASCADE, related_name="value_imports"
    )
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField()
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    history = audit_history()

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = "indicator value import"

    def __str__(self) -> str:
        return f"{self.file_name} into {self.indicator}"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(OutcomeIndicator, on_delete=models.CASCADE, related_name="values")
    # The period as the source names it ("2019/20", "2021 Q3", "2018 - 20") and the days it
    # covers, by which values are ordered and drawn.
    period = models.CharField(max_length=40)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=3)
    lower_ci = models.DecimalField(
        "lower confidence limit", max_digits=14, decimal_places=3, null=True, blank=True
    )
    upper_ci = models.DecimalField(
        "upper confidence limit", max_digits=14, decimal_places=3, null=True, blank=True
    )
    source = models.CharField(max_length=200, blank=True)
    published_on = models.DateField("published", null=True, blank=True)
    imported_from = models.ForeignKey(
        IndicatorValueImport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="values",
    )

    history = audit_history()

    class Meta:
        ordering = ["period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                name="indicator_value_once_per_period",
                violation_error_message="This indicator already has a value for that period.",
            ),
            models.CheckConstraint(
                name="indicator_value_period_in_order",
                condition=Q(period_end__gte=F("period_start")),
                violation_error_message="A period cannot end before it starts.",
            ),
            models.CheckConstraint(
                name="indicator_value_interval_in_order",
                condition=Q(lower_ci__isnull=True)
                | Q(upper_ci__isnull=True)
                | Q(lower_ci__lte=F("upper_ci")),
                violation_error_message="The lower confidence limit cannot be above the upper.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.period})"
