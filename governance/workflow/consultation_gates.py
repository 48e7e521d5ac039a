"""Consultation gates. A consultation is a gate of the route with purpose "consult": it is under
way while its window is open (the strategy is out to consultation) and passes when the window
closes, recording the result. consultation/workflow/ calls these, having checked who may open
and close its windows; nothing else moves a consultation gate.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from ..dates import Precision
from ..models import Gate, Purpose
from .common import (
    WorkflowError,
    lock_strategy,
    move_gate,
    require_active,
    require_dependencies_passed,
    settle,
)


def start_consultation(
    gate: Gate, by, comment: str, closes_on: datetime.date | None = None
) -> Gate:
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        require_active(strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        if gate.purpose != Purpose.CONSULT or not gate.is_open:
            raise WorkflowError("That gate is not an open consultation gate.")
        require_dependencies_passed(gate, "The consultation")
        changes = {}
        if closes_on is not None:  # the gate is due when the window closes
            changes = {"planned_date": closes_on, "planned_precision": Precision.DAY}
        move_gate(gate, Gate.State.SCHEDULED, by, comment, **changes)
        settle(strategy, by, comment)
        return gate


def complete_consultation(gate: Gate, by, result: str) -> Gate:
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        if gate.purpose != Purpose.CONSULT or gate.state != Gate.State.SCHEDULED:
            raise WorkflowError("That consultation gate is not under way.")
        move_gate(gate, Gate.State.PASSED, by, result, note=result[:300])
        settle(strategy, by, result, after_decision=True)
        return gate
