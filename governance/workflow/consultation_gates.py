"""Consultation gates. A consultation is a gate of the route with purpose "consult": it is under
way while its window is open (the strategy is out to consultation) and passes when the window
closes, recording the result. consultation/workflow/ calls these, having checked who may open
and close its windows; nothing else moves a consultation gate.

Each move has a check that says why the gate may not make it now, or None, without making it:
`start_consultation_refusal(gate)`, `complete_consultation_refusal(gate)` and
`record_consultation_refusal(gate)` (a consultation that ran before the strategy came into
Waymark, recorded after the fact). `plan_consultation` keeps a planned gate's date with its
window's. consultation's own checks ask them (so a window's page offers Open and Close only
when its gate can move), and the move asks again under the lock.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from ..dates import Precision
from ..models import Gate, Purpose
from .common import active_refusal, lock_strategy, move_gate, name_gates, refuse_if, settle


def start_consultation_refusal(gate: Gate) -> str | None:
    """Why the consultation at `gate` may not start now, or None: the route is closed, the gate
    is not an open consultation gate, or it waits for gates not yet passed. Reads the gate's
    `waits_for` as prefetched, if they are."""
    if refusal := active_refusal(gate.strategy):
        return refusal
    if gate.purpose != Purpose.CONSULT or not gate.is_open:
        return "That gate is not an open consultation gate."
    if waiting := gate.waiting_for:
        return f"The consultation waits for gates not yet passed: {name_gates(waiting)}."
    return None


def start_consultation(
    gate: Gate, by, comment: str, closes_on: datetime.date | None = None
) -> Gate:
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(start_consultation_refusal(gate))
        changes = {}
        if closes_on is not None:  # the gate is due when the window closes
            changes = {"planned_date": closes_on, "planned_precision": Precision.DAY}
        move_gate(gate, Gate.State.SCHEDULED, by, comment, **changes)
        settle(strategy, by, comment)
        return gate


def complete_consultation_refusal(gate: Gate) -> str | None:
    """Why the consultation at `gate` may not pass now, or None: only a consultation gate under
    way (scheduled when its window opened) passes, when its window closes."""
    if gate.purpose != Purpose.CONSULT or gate.state != Gate.State.SCHEDULED:
        return "That consultation gate is not under way."
    return None


def complete_consultation(
    gate: Gate, by, result: str, closed_on: datetime.date | None = None
) -> Gate:
    """The consultation at `gate` has closed (on `closed_on`; by default on the day its window
    was due to close, or today if that is still to come: closed early, by hand). The gate keeps
    that day as its date: it is the day a decision waiting for the consultation is dated from
    (decisions.before_awaited_refusal)."""
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(complete_consultation_refusal(gate))
        today = timezone.localdate()
        if closed_on is None:
            due = gate.planned_date if gate.planned_precision == Precision.DAY else None
            closed_on = due if due is not None and due <= today else today
        move_gate(
            gate,
            Gate.State.PASSED,
            by,
            result,
            note=_note_with(gate.note, result),
            planned_date=closed_on,
            planned_precision=Precision.DAY,
        )
        settle(strategy, by, result, after_decision=True)
        return gate


def _note_with(note: str, result: str) -> str:
    """The gate's note with the consultation's result after it: what the planner wrote stays
    (the result is the window's, kept whole there); cut to the note's 300 characters."""
    text = (
        f"{note.strip()}\n{result.strip()}"
        if note.strip() and result.strip()
        else (note.strip() or result.strip())
    )
    return text if len(text) <= 300 else text[:299] + "…"


def plan_consultation(
    gate: Gate, by, planned_date: datetime.date, precision: str, comment: str
) -> Gate:
    """Keep a planned consultation gate's date with its window's planned closing day (at the
    precision the window is planned to), as consultation/workflow/ saves the window: the gate
    passes when the window closes, so the route, the timeline and the reports read one date.
    Only a gate still planned follows (one under way or decided keeps its date); nothing is
    written when the date is already the window's."""
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(active_refusal(strategy))
        if gate.purpose != Purpose.CONSULT or gate.state != Gate.State.PLANNED:
            return gate
        if (gate.planned_date, gate.planned_precision) != (planned_date, precision):
            gate.planned_date, gate.planned_precision = planned_date, precision
            gate._change_reason = comment
            gate.save(update_fields=["planned_date", "planned_precision"])
        return gate


def record_consultation_refusal(gate: Gate) -> str | None:
    """Why the consultation at `gate` may not be recorded as having run, or None: as for
    starting it (the route is open, the gate an open consultation gate, and the gates it waits
    for have passed), for it passes at once."""
    return start_consultation_refusal(gate)


def record_consultation(
    gate: Gate, by, comment: str, closed_on: datetime.date, result: str
) -> Gate:
    """A consultation that ran before the strategy came into Waymark, recorded after the fact
    from the council's records: its gate passes, dated the day it really closed, with the
    result, as closing a window passes it; the move itself is dated when it is recorded."""
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(record_consultation_refusal(gate))
        move_gate(
            gate,
            Gate.State.PASSED,
            by,
            comment,
            note=_note_with(gate.note, result),
            planned_date=closed_on,
            planned_precision=Precision.DAY,
        )
        settle(strategy, by, comment, after_decision=True)
        return gate
