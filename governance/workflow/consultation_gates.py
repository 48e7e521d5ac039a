"""Consultation gates. A consultation is a gate of the route with purpose "consult": it is under
way while its window is open (the strategy is out to consultation) and passes when the window
closes, recording the result. consultation/workflow/ calls these, having checked who may open
and close its windows; nothing else moves a consultation gate.

Each move has a check that says why the gate may not make it now, or None, without making it:
`start_consultation_refusal(gate)` and `complete_consultation_refusal(gate)`. consultation's own
checks ask them (so a window's page offers Open and Close only when its gate can move), and the
move asks again under the lock.
"""

from __future__ import annotations

import datetime

from django.db import transaction

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


def complete_consultation(gate: Gate, by, result: str) -> Gate:
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(complete_consultation_refusal(gate))
        move_gate(gate, Gate.State.PASSED, by, result, note=result[:300])
        settle(strategy, by, result, after_decision=True)
        return gate
