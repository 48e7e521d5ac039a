"""Where consultation (which depends on governance) plugs into it.

`GATE_SPANS`: functions taking gate ids (a list, or a queryset of ids) and returning, for the
gates that run over a period rather than at a meeting (a consultation gate runs while its window
is open), that period. The timeline draws them as spans and the projected adoption date counts
from their end. Each function runs one query whatever the number of gates.

`GATE_SUMMARIES`: functions taking gate ids and returning, for the gates they know more about
(a consultation gate's window: its dates, audiences, events, partners and results), a summary
in words for the committee reports (governance/reports.py). Each runs a fixed number of
queries whatever the number of gates.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class GateSpan:
    gate_id: int
    label: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    precision: str  # governance.dates.Precision of both dates
    url: str = ""
    # Days it lasts by policy, for projecting an end when no dates are set yet.
    minimum_days: int | None = None


GATE_SPANS: list[Callable[[Iterable[int]], dict[int, GateSpan]]] = []


def register_gate_spans(provider: Callable[[Iterable[int]], dict[int, GateSpan]]) -> None:
    if provider not in GATE_SPANS:
        GATE_SPANS.append(provider)


def gate_spans(gate_ids: Iterable[int]) -> dict[int, GateSpan]:
    if not isinstance(gate_ids, QuerySet):
        gate_ids = list(gate_ids)  # each provider reads it
    spans: dict[int, GateSpan] = {}
    for provider in GATE_SPANS:
        spans.update(provider(gate_ids))
    return spans


@dataclass(frozen=True)
class GateSummary:
    gate_id: int
    title: str  # "Draft Joint Health and Wellbeing Strategy 2012–2015: 90 day consultation"
    when: str  # dates at their precision: "25 June 2012 to 22 September 2012"
    # Paragraphs in the reports' plain text (a line starting "- " is a bullet point).
    paragraphs: tuple[str, ...] = ()


GATE_SUMMARIES: list[Callable[[Iterable[int]], dict[int, GateSummary]]] = []


def register_gate_summaries(provider: Callable[[Iterable[int]], dict[int, GateSummary]]) -> None:
    if provider not in GATE_SUMMARIES:
        GATE_SUMMARIES.append(provider)


def gate_summaries(gate_ids: Iterable[int]) -> dict[int, GateSummary]:
    gate_ids = list(gate_ids)
    summaries: dict[int, GateSummary] = {}
    if not gate_ids:
        return summaries
    for provider in GATE_SUMMARIES:
        summaries.update(provider(gate_ids))
    return summaries
