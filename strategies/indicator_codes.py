"""The national frameworks' indicator codes Waymark knows, shipped with it: the Public Health
Outcomes Framework's indicators by the framework's own number ("2.14", "0.1i" in the 2013-2019
numbering, "A01b" since 2019) and, where known, their indicator ID in OHID's Fingertips tool
(strategies/data/phof_indicators.csv; sources in docs/decisions/0023-fingertips-values.md).

OutcomeIndicator.clean asks `code_refusal`, so the strategy's forms and the admin refuse the
same codes with the same words: a PHOF code must be an indicator on the list, or be written as
the framework writes its numbers (`NUMBERING`: the list holds the indicators whose numbers and
names we could confirm from published sources, not yet every one, so a council's well-formed
code of an indicator it lacks is taken, and `known_phof` says it is not on the list); a local
indicator's code is free, and the NHS and Adult Social Care frameworks are not checked until a
list of theirs is shipped too. The Fingertips
import (delivery/fingertips.py) asks `fingertips_id` which rows of a download are the
indicator's."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LIST = Path(__file__).resolve().parent / "data" / "phof_indicators.csv"
LIST_NAME = "the Public Health Outcomes Framework list shipped with Waymark"
# How the framework numbers its indicators: 2013-2019 by domain and number with an optional
# roman sub-number ("0.1i", "2.14", "3.03xiv"); since 2019 by domain letter, two digits and an
# optional letter ("A01b", "C11a", "E10"); and Fingertips's own indicator IDs ("92443").
NUMBERING = re.compile(r"(?:[0-4]\.\d{1,2}(?:[ivx]{1,5})?|[A-E]\d{2}[a-z]?|\d{3,6})", re.IGNORECASE)


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
    code, but one it is given must be on the list or numbered as the framework numbers."""
    if framework != "phof" or not (code or "").strip():
        return None
    if known_phof(code) is None and not NUMBERING.fullmatch(code.strip()):
        return (
            f"“{code.strip()}” is not a Public Health Outcomes Framework indicator: it is not on "
            f"{LIST_NAME} (strategies/data/phof_indicators.csv) and not written as the "
            f"framework numbers its indicators. Give the indicator's number, such as 2.14, "
            f"3.03xiv or A01b, or its indicator ID in Fingertips, such as 92443. For an "
            f"indicator of your own, choose “Local indicator”."
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
