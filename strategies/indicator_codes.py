"""The national frameworks' indicator codes Waymark knows, shipped with it (strategies/data/;
sources in docs/decisions/0023-fingertips-values.md):

- the Public Health Outcomes Framework (phof_indicators.csv) by the framework's own number
  ("2.14", "0.1i" in the 2013-2019 numbering, "A01b" since 2019) and, where known, the
  indicator's ID in OHID's Fingertips tool;
- the NHS Outcomes Framework (nhsof_indicators.csv: "1a.i", "1.4.ii", "3a");
- the Adult Social Care Outcomes Framework (ascof_indicators.csv: "1C(1A)", "2B(1)" until
  2022/23, "2E" and "3D" in the framework of 2023/24).

Each row names the edition whose number it is (`numbering`).

Published documents write one code in several ways, so each framework looks a code up in its
own lookup form (`Framework.key`), in which its numbering is checked too: for all three without
case, spaces or brackets round a part (the ASCOF's "2A(1)" and "2A1", as NHS England's files
write both); for the NHSOF, a roman part after a dot however it is set off ("1.4ii", "1.4 ii"
and "1.4(ii)" are "1.4.ii", "1a i" is "1a.i").

OutcomeIndicator.clean asks `code_refusal`, and stores a code the list has as the list spells
it (`listed_spelling`), so the strategy's forms, the admin and the strategy import refuse the
same codes with the same words and write one indicator one way everywhere: a national
framework's code must be an indicator on its list, or be written as that framework numbers its
indicators (`Framework.numbering`: the lists hold the indicators whose numbers and names we
could confirm from published sources, not yet every one, so a council's well-formed code of an
indicator a list lacks is taken, as written, and `known` says it is not on the list). A local
indicator's code is free. The Fingertips import (delivery/fingertips.py) asks `fingertips_id`
which rows of a download are the indicator's."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _plain(code: str) -> str:
    """Without case, spaces or a pair of brackets round a part ("2A (1)" is "2a1"; "2A(1" keeps
    its bracket, and is refused)."""
    return re.sub(r"\((\w+)\)", r"\1", re.sub(r"\s", "", code or "")).casefold()


def _nhsof(code: str) -> str:
    """Plain, and a roman part after a dot: "1.4 ii", "1.4(ii)" and "1.4ii" are "1.4.ii", "1a i"
    is "1a.i" (the domain alone, "2", has no roman part)."""
    return re.sub(r"^([1-5](?:[a-d]|\.\d{1,2}))\.?([ivx]{1,5})$", r"\1.\2", _plain(code))


@dataclass(frozen=True)
class Framework:
    value: str  # OutcomeIndicator.Framework's value
    name: str
    file: str  # in strategies/data/
    numbering: re.Pattern  # how the framework numbers, in the lookup form
    examples: str  # for the refusal: "such as …"
    key: Callable[[str], str] = _plain  # a code's lookup form

    @property
    def list_name(self) -> str:
        return f"the {self.name} list shipped with Waymark (strategies/data/{self.file})"


FRAMEWORKS = {
    f.value: f
    for f in (
        # 2013-2019 by domain and number with an optional roman sub-number ("0.1i", "2.14",
        # "3.03xiv"); since 2019 by domain letter, two digits and an optional letter ("A01b",
        # "C11a", "E10"); and Fingertips's own indicator IDs ("92443").
        Framework(
            "phof",
            "Public Health Outcomes Framework",
            "phof_indicators.csv",
            re.compile(r"(?:[0-4]\.\d{1,2}(?:[ivx]{1,5})?|[a-e]\d{2}[a-z]?|\d{3,6})"),
            "2.14, 3.03xiv or A01b, or its indicator ID in Fingertips, such as 92443",
        ),
        # Domain 1-5, then an overarching letter ("1a", "3b") or an improvement area's number
        # ("1.4", "3.5"), either with an optional roman part (".i", ".ii"); or the domain alone
        # ("2", health-related quality of life for people with long-term conditions).
        Framework(
            "nhsof",
            "NHS Outcomes Framework",
            "nhsof_indicators.csv",
            re.compile(r"[1-5](?:(?:[a-d]|\.\d{1,2})(?:\.[ivx]{1,5})?)?"),
            "1a.i, 1.4.ii or 3a",
            _nhsof,
        ),
        # Domain (objective since 2023/24) 1-6, a measure letter, and an optional part, in
        # brackets or not ("1A", "1C(1A)", "2A(1)", "2A1", "1I1"; looked up as "1c1a", "2a1").
        Framework(
            "ascof",
            "Adult Social Care Outcomes Framework",
            "ascof_indicators.csv",
            re.compile(r"[1-6][a-j](?:\d[ab]?)?"),
            "1A, 1C(1A), 2A(1) or 2E",
        ),
    )
}


@dataclass(frozen=True)
class KnownIndicator:
    code: str
    name: str
    numbering: str
    fingertips_id: str = ""


@cache
def indicators(framework: str) -> dict[str, KnownIndicator]:
    """A framework's list by code, read once per process ({} for a framework without one)."""
    if framework not in FRAMEWORKS:
        return {}
    with (DATA / FRAMEWORKS[framework].file).open(encoding="utf-8", newline="") as file:
        rows = [KnownIndicator(**row) for row in csv.DictReader(file)]
    key = FRAMEWORKS[framework].key
    return {key(row.code): row for row in rows}


@cache
def _by_fingertips_id() -> dict[str, KnownIndicator]:
    return {row.fingertips_id: row for row in indicators("phof").values() if row.fingertips_id}


def known(framework: str, code: str) -> KnownIndicator | None:
    """The indicator of `framework` that `code` names, by its number in the framework (or, for
    the PHOF, its Fingertips ID)."""
    code = (code or "").strip()
    if framework not in FRAMEWORKS:
        return None
    found = indicators(framework).get(FRAMEWORKS[framework].key(code))
    if found is None and framework == "phof":
        found = _by_fingertips_id().get(code)
    return found


def listed_spelling(framework: str, code: str) -> str:
    """`code` as `framework`'s list writes it when the list has it by that number ("1.4 ii" is
    "1.4.ii", "1c1a" is "1C(1A)"); otherwise as given (a Fingertips ID stays an ID)."""
    rules = FRAMEWORKS.get(framework)
    found = indicators(framework).get(rules.key(code)) if rules and code else None
    return found.code if found else code


def code_refusal(framework: str, code: str) -> str | None:
    """Why `code` cannot be a code of `framework`, or None. An indicator of a national
    framework may be left without a code, but one it is given must be on the framework's list
    or numbered as the framework numbers."""
    if framework not in FRAMEWORKS or not (code or "").strip():
        return None
    rules, code = FRAMEWORKS[framework], code.strip()
    if known(framework, code) is None and not rules.numbering.fullmatch(rules.key(code)):
        return (
            f"“{code}” is not an indicator of the {rules.name}: it is not on "
            f"{rules.list_name} and not written as the framework numbers its indicators. "
            f"Give the indicator's number, such as {rules.examples}. For an indicator of "
            f"your own, choose “Local indicator”."
        )
    return None


def fingertips_id(code: str) -> str:
    """The Fingertips indicator ID of the PHOF indicator `code` names, or "" if the list does not
    say (a code that is itself an ID is its own)."""
    code = (code or "").strip()
    if code.isdigit():
        return code
    found = known("phof", code)
    return found.fingertips_id if found else ""
