"""Delivery's share of a strategy's JSON export (document.py): its actions' dated milestones
and progress updates, as rows that refer to the actions of the strategies section. Files
exported before the delivery plan was carried have no "delivery" section and import without
one (document.py's `Part.since_later`)."""

from __future__ import annotations

from typing import Any

from delivery.models import Milestone, ProgressUpdate
from strategies.models import Strategy

from .rows import ExchangeError, Exporter, Importer

# (key, model), in the order an import creates them.
TABLES = [
    ("milestones", Milestone),
    ("progress_updates", ProgressUpdate),
]
IN_STRATEGY = "action__objective__priority__strategy"


def export_part(strategy: Strategy, exporter: Exporter) -> dict[str, Any]:
    return {
        key: exporter.rows(model.objects.filter(**{IN_STRATEGY: strategy})) for key, model in TABLES
    }


def import_part(data: dict[str, Any], importer: Importer) -> None:
    for key, model in TABLES:
        rows = data.get(key, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ExchangeError(f"The file's delivery section has no list of {key}.")
        importer.create_all(model, rows, model._meta.verbose_name.capitalize())
