"""Gates that run over a period rather than at a meeting: a consultation gate runs while its
window is open. The timeline draws them as spans and the projected adoption date counts from
their end."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from consultation.models import ConsultationWindow


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
    # Days it is planned to last when that is shorter than the policy's minimum with the reason
    # recorded: projected with this length instead of the minimum.
    planned_days: int | None = None
    # "Recorded on … by …, from …" for a consultation recorded after the fact.
    recorded: str = ""


def gate_spans(gate_ids: Iterable[int]) -> dict[int, GateSpan]:
    """The spans of those of `gate_ids` (a list, or a query set of ids) that run a consultation,
    by gate id: one query whatever the number of gates."""
    return spans_of(span_windows(gate_ids))


def span_windows(gate_ids: Iterable[int]):
    """The consultation windows of those of `gate_ids` (a list, or a query set of ids), with
    what their spans show (a query set)."""
    return (
        ConsultationWindow.objects.filter(gate_id__in=gate_ids)
        .only(
            "pk",
            "gate_id",
            "title",
            "opens_on",
            "closes_on",
            "date_precision",
            "minimum_days",
            "short_window_reason",
            "recorded_later",
            "recorded_from",
        )
        .with_recording()
    )


def spans_of(windows: Iterable[ConsultationWindow]) -> dict[int, GateSpan]:
    """The spans of consultation windows read by `span_windows`, by gate id."""
    return {
        w.gate_id: GateSpan(
            gate_id=w.gate_id,
            label=w.title,
            starts_on=w.opens_on,
            ends_on=w.closes_on,
            precision=w.date_precision,
            url=w.get_absolute_url(),
            minimum_days=w.minimum_days,
            planned_days=(
                w.length_days
                if w.is_shorter_than_policy and w.short_window_reason.strip()
                else None
            ),
            recorded=w.recorded_mark,
        )
        for w in windows
    }
