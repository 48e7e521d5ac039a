from __future__ import annotations

import simple_history.manager
from django.db import models
from django.db.models.signals import post_save
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


def last_history_pk(history_model, using: str = "default") -> int:
    """The newest history row's id, before writing some in bulk (announce_history_written)."""
    rows = history_model._base_manager.using(using).order_by("-pk").values_list("pk", flat=True)
    return rows.first() or 0


def announce_history_written(
    history_model, after_pk: int, reason: str, using: str = "default", **which
) -> int:
    """Rows of history written in bulk (bulk_create_with_history, or written by hand) send no
    post_save, so whoever keeps the record of every history row (the audit ledger, which hears
    post_save) would never hear of them: tell them of the rows written since `after_pk` with
    `reason` (and `which`, e.g. theme_id=…, to tell them from another transaction's written at
    the same moment with the same words), in one post_save of the history model with no
    instance and `rows`, a query set of them, which they read a batch at a time, never a query
    per row. Returns how many. Call it in the same transaction."""
    rows = history_model._base_manager.using(using).filter(
        pk__gt=after_pk, history_change_reason=reason, **which
    )
    count = rows.count()
    if count:
        post_save.send(
            sender=history_model,
            instance=None,
            rows=rows,
            created=True,
            update_fields=None,
            raw=False,
            using=using,
        )
    return count


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
