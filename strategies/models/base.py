from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


def audit_history(**options) -> HistoricalRecords:
    """django-simple-history for one of our models. The reason a person gives for a change is
    kept whole (the default column cuts it at 100 characters)."""
    return HistoricalRecords(history_change_reason_field=models.TextField(null=True), **options)


class HttpsURLField(models.URLField):
    """A link that, typed without a scheme, is taken as https (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class Versioned(models.Model):
    """A row two people may edit at once.

    `version` goes up by one on every edit made through a form; a form that was opened on an
    older version is refused with a conflict instead of overwriting (see strategies/concurrency.py).
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
