"""Cells for CSV files people open in a spreadsheet. Every CSV export (consultation responses,
gates and decisions) writes its cells through `neutralise`, so that text someone typed into
Waymark is never run as a formula when the file is opened."""

from __future__ import annotations

# Cells a spreadsheet would run as a formula start with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
