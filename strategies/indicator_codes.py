"""The national frameworks' indicator codes Waymark knows, shipped with it: the Public Health
Outcomes Framework's indicators by the framework's own number ("2.14", "0.1i" in the 2013-2019
numbering, "A01b" since 2019) and, where known, their indicator ID in OHID's Fingertips tool
(strategies/data/phof_indicators.csv; sources in docs/decisions/0023-fingertips-values.md).

OutcomeIndicator.clean asks `code_refusal`, so the strategy's forms and the admin refuse an
unknown PHOF code with the same words; a local indicator's code is free, and the NHS and Adult
Social Care frameworks are not checked until a list of theirs is shipped too. The Fingertips
import (delivery/fingertips.py) asks `fingertips_id` which rows of a download are the
indicator's."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LIST = Path(__file__).resolve().parent / "data" / "phof_indicators.csv"
LIST_NAME = "the Public Health Outcomes Framework list shipped with Waymark"


@dataclass(frozen=True)
class KnownIndicator:
    code: str
    fingertips_id: str
    name: str
    numbering: str


@cache
def phof_indicators() -> dict[str, KnownIndicator]:
    """The list by code, read once per process."""
    with LIST.open(encoding="utf-8", newline="") as file:
        rows = [KnownIndicator(**row) for row in csv.DictReader(file)]
    return {row.code.casefold(): row for row in rows}


@cache
def _by_fingertips_id() -> dict[str, KnownIndicator]:
    return {row.fingertips_id: row for row in phof_indicators().values() if row.fingertips_id}


def known_phof(code: str) -> KnownIndicator | None:
    """The PHOF indicator `code` names: by its number in the framework or its Fingertips ID."""
    code = (code or "").strip()
    return phof_indicators().get(code.casefold()) or _by_fingertips_id().get(code)


def code_refusal(framework: str, code: str) -> str | None:
    """Why `code` cannot be a code of `framework`, or None. A PHOF indicator may be left without a
    code, but one it is given must be on the list."""
    if framework != "phof" or not (code or "").strip():
        return None
    if known_phof(code) is None:
        return (
            f"“{code.strip()}” is not on {LIST_NAME} (strategies/data/phof_indicators.csv): "
            f"give the indicator's number in the framework, such as 2.14 or A01b, or its "
            f"indicator ID in Fingertips, such as 92443. For an indicator of your own, choose "
            f"“Local indicator”."
        )
    return None


def fingertips_id(code: str) -> str:
    """The Fingertips indicator ID of the PHOF indicator `code` names, or "" if the list does not
    say (a code that is itself an ID is its own)."""
    code = (code or "").strip()
    if code.isdigit():
        return code
    known = known_phof(code)
    return known.fingertips_id if known else ""
