"""Delivery's share of a strategy's JSON export (document.py): its actions' dated milestones
and progress updates, as rows that refer to the actions of the strategies section, and its
progress reports to the Board (referring to their gates, in the governance section). Files
exported before the delivery plan, or before progress reports, were carried have no such
section or list and import without them (document.py's `Part.since_later`).

A progress report names priorities, actions and indicators by id inside its JSON (its
commentary by priority, its snapshot once sent): the import gives them their new ids."""

from __future__ import annotations

import copy
from typing import Any

from delivery.models import Milestone, ProgressReport, ProgressUpdate
from strategies.models import Strategy

from .rows import ExchangeError, Exporter, Importer

# (key, model), in the order an import creates them.
TABLES = [
    ("milestones", Milestone),
    ("progress_updates", ProgressUpdate),
]
IN_STRATEGY = "action__objective__priority__strategy"
PRIORITY, ACTION, INDICATOR = (
    "strategies.priority",
    "strategies.action",
    "strategies.outcomeindicator",
)


def export_part(strategy: Strategy, exporter: Exporter) -> dict[str, Any]:
    part = {
        key: exporter.rows(model.objects.filter(**{IN_STRATEGY: strategy})) for key, model in TABLES
    }
    part["progress_reports"] = exporter.rows(ProgressReport.objects.filter(strategy=strategy))
    return part


def import_part(data: dict[str, Any], importer: Importer) -> None:
    for key, model in TABLES:
        rows = data.get(key, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ExchangeError(f"The file's delivery section has no list of {key}.")
        importer.create_all(model, rows, model._meta.verbose_name.capitalize())
    rows = data.get("progress_reports", [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ExchangeError("The file's delivery section has no list of progress_reports.")
    for row in rows:
        what = f"Progress report {row.get('id')}"
        report = importer.build(ProgressReport, row, what)
        report.commentary = _commentary(report.commentary, importer)
        report.snapshot = _snapshot(report.snapshot, importer)
        importer.save(report, what, importer.source_id(row, what))


def history_values(values: dict[str, Any], importer: Importer) -> None:
    """A progress report's history row, its ids mapped as its live row's are (import_part)."""
    values["commentary"] = _commentary(values.get("commentary"), importer)
    values["snapshot"] = _snapshot(copy.deepcopy(values.get("snapshot")), importer)


def _new(importer: Importer, target: str, old: Any) -> Any:
    """The new id of `old`, or None for an item no longer in the strategy."""
    return importer.ids[target].get(old) if isinstance(old, int) else None


def _commentary(commentary: Any, importer: Importer) -> dict:
    if not isinstance(commentary, dict):
        return {}
    found = {}
    for key, text in commentary.items():
        key = str(key)
        new = _new(importer, PRIORITY, int(key)) if key.isascii() and key.isdigit() else None
        if new is not None:
            found[str(new)] = text
    return found


def _snapshot(snapshot: Any, importer: Importer) -> Any:
    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("priorities"), list):
        return snapshot
    for section in snapshot["priorities"]:
        if not isinstance(section, dict):
            continue
        section["id"] = _new(importer, PRIORITY, section.get("id"))
        for action in section.get("actions", []):
            if isinstance(action, dict):
                action["id"] = _new(importer, ACTION, action.get("id"))
        for indicator in section.get("indicators", []):
            if isinstance(indicator, dict):
                indicator["id"] = _new(importer, INDICATOR, indicator.get("id"))
    return snapshot
