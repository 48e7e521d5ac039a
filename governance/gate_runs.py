"""What runs at a gate in place of a meeting: the second question governance asks of an app above.

A consultation gate is not decided at a meeting: its consultation window runs over weeks and
the gate passes when it closes, with the window's result (`consultation.ConsultationWindow.gate`).
The route page and the CSV of gates are governance's own, and must say when the window runs
(13 October to 3 December 2021, not only the day it closes) and what came of it; consultation
depends on governance, so governance cannot import it to ask. Consultation adds its answer here
from its AppConfig.ready(), as it adds what holds a gate (gate_holders.py). The timeline and the
projection, which are the portal's, read the windows themselves (portal/spans.py).
docs/decisions/0020 says why a registry rather than moving both pages up into the portal.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .dates import Precision, describe_span, iso_span


@dataclass(frozen=True)
class GateRun:
    """A period a gate runs over, and once it has run, its result as recorded."""

    title: str  # "Have your say on our health and wellbeing strategy"
    opens_on: datetime.date | None
    closes_on: datetime.date | None  # the day it closed, once `closed`
    precision: str  # dates.Precision of both dates
    closed: bool = False
    outcome: str = ""  # once closed: "23 responses", "number of responses not on record"
    result: str = ""  # once closed: the result in full, as recorded
    recorded_by: str = ""  # for one recorded after the fact: who entered it
    recorded_from: str = ""  # and from which of the council's records

    @property
    def has_span(self) -> bool:
        return None not in (self.opens_on, self.closes_on) and self.precision != Precision.NOT_SET

    @property
    def when(self) -> str:
        """ "13 October to 3 December 2021", "October–December 2021"; "" without both dates."""
        if not self.has_span:
            return ""
        return describe_span(self.opens_on, self.closes_on, self.precision)

    @property
    def iso_span(self) -> str:
        """ "2021-10-13/2021-12-03", "2021-10/2021-12" (dates.iso_span); "" without both."""
        return iso_span(self.opens_on, self.closes_on, self.precision) if self.has_span else ""


# Each takes gate ids and gives, for those something runs at, what runs there, by gate id.
RUN_LOOKUPS: list[Callable[[list[int]], dict[int, GateRun]]] = []


def add_run_lookup(lookup: Callable[[list[int]], dict[int, GateRun]]) -> None:
    if lookup not in RUN_LOOKUPS:
        RUN_LOOKUPS.append(lookup)


def runs_at(gate_ids: Iterable[int]) -> dict[int, GateRun]:
    """What runs at those of `gate_ids` that something runs at, by gate id: one query for each
    lookup whatever the number of gates, none when there are no gates."""
    ids = list(gate_ids)
    found: dict[int, GateRun] = {}
    if not ids:
        return found
    for lookup in RUN_LOOKUPS:
        found.update(lookup(ids))
    return found
