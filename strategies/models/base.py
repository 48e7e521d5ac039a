from __future__ import annotations

import simple_history.manager
from django.db import models
from simple_history.models import HistoricalRecords


class HistoryManager(simple_history.manager.HistoryManager):
    """django-simple-history's manager, built once per kind of query set. The library builds a
    new manager class on every `Model.history` access (about half a millisecond each), which
    made pages that read many history tables, such as the merged history, slow for nothing."""

    _classes: dict = {}

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        key = (cls, queryset_class, class_name)
        if key not in HistoryManager._classes:
            HistoryManager._classes[key] = super().from_queryset(queryset_class, class_name)
        return HistoryManager._classes[key]


def audit_history(**options) -> HistoricalRecords:
    """django-simple-history for one of our models. The reason a person gives for a change is
    kept whole (the default column cuts it at 100 characters)."""
    return HistoricalRecords(
        history_change_reason_field=models.TextField(null=True),
        history_manager=HistoryManager,
        **options,
    )


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
