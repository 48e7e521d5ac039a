"""The indicators' values over time in a strategy's JSON export (portal/exchange/document.py):
the files imported into its indicators and the values, under "indicator_values". A file
exported before values were kept has no such section and imports none (document.py's
`Part.since_later`)."""

from __future__ import annotations

from typing import Any

from delivery.models import IndicatorValue, IndicatorValueImport
from strategies.models import Strategy

from .rows import ExchangeError, Exporter, Importer

KEY = "indicator_values"
TABLES = [("imports", IndicatorValueImport), ("values", IndicatorValue)]


def export_part(strategy: Strategy, exporter: Exporter) -> dict[str, Any]:
    return {
        key: exporter.rows(model.objects.filter(indicator__strategy=strategy))
        for key, model in TABLES
    }


def import_part(data: dict[str, Any], importer: Importer) -> None:
    for key, model in TABLES:
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise ExchangeError(f"The file's indicator values have no list of {key}.")
        importer.create_all(model, rows, model._meta.verbose_name.capitalize())
