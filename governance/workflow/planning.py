"""Planning a strategy's route: adding a gate, changing what a gate waits for or when it is
planned, removing a gate, and putting a referred-back gate on the route again (applying a route
template is route_templates.py). These are the lead organisation's officers' moves
(administrators' too).

Each move has a check, `<move>_refusal(user, ...)`, that says why this person may not make it
now, or None; pages ask it before offering the move, and the move asks it again under the lock.
What the person typed (dates, what a gate waits for) is checked by the move itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from strategies.editing import with_reason
from strategies.models import Strategy, User

from ..dates import Precision
from ..gate_holders import held_by
from ..models import Body, Gate, GateDependency
from .common import (
    WorkflowError,
    lock_strategy,
    move_gate,
    name_gates,
    planner_refusal,
    record_transition,
    refuse_if,
    settle,
)

# Adding gates ----------------------------------------------------------------------------------


def add_gate_refusal(user: User, strategy: Strategy) -> str | None:
    """Why `user` may not add a gate to `strategy`'s route now, or None."""
    return planner_refusal(user, strategy)


def _next_position(strategy: Strategy) -> int:
    return (strategy.gates.aggregate(last=Max("position"))["last"] or 0) + 1


def add_gate(
    strategy: Strategy,
    body: Body,
    purpose: str,
    by: User,
    waits_for: Iterable[Gate] = (),
    planned_date: datetime.date | None = None,
    precision: str = Precision.NOT_SET,
    note: str = "",
    key_decision: bool = False,
    forward_plan_published_on: datetime.date | None = None,
    forward_plan_reference: str = "",
) -> Gate:
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(add_gate_refusal(by, strategy))
        waits_for = list(waits_for)
        if any(g.strategy_id != strategy.pk for g in waits_for):
            raise WorkflowError("A gate can only wait for gates of the same strategy.")
        _check_plan(planned_date, precision)
        _check_key_decision(body, key_decision, forward_plan_published_on, forward_plan_reference)
        gate = Gate(
            strategy=strategy,
            position=_next_position(strategy),
            body=body,
            purpose=purpose,
            planned_date=None if precision == Precision.NOT_SET else planned_date,
            planned_precision=precision,
            note=note,
            key_decision=key_decision,
            forward_plan_published_on=forward_plan_published_on if key_decision else None,
            forward_plan_reference=forward_plan_reference.strip() if key_decision else "",
        )
        gate._change_reason = "Gate added"
        gate.save()
        _wait_for(gate, waits_for, "Gate added")
        record_transition(strategy, gate, "", gate.state, by, "Gate added")
        settle(strategy, by, "Gate added")
        return gate


# What a gate waits for -------------------------------------------------------------------------


def _wait_for(gate: Gate, others: Iterable[Gate], reason: str) -> None:
    """New links from `gate` to the gates it waits for, one row (and history row) each."""
    for other in others:
        with_reason(GateDependency(from_gate=gate, to_gate=other), reason).save()


def set_waits_for_refusal(user: User, gate: Gate) -> str | None:
    """Why `user` may not change what `gate` waits for now, or None."""
    if refusal := planner_refusal(user, gate.strategy):
        return refusal
    if not gate.is_open:
        return "This gate has been decided; what it waited for is on record."
    return None


def set_waits_for(gate: Gate, waits_for: Iterable[Gate], by: User, reason: str = "") -> Gate:
    """Make the gates `gate` waits for exactly `waits_for`: links no longer wanted are deleted
    and new ones added, one row (and history row) each. Only an open gate's dependencies
    change; each must be another gate of the same strategy, and none may wait (directly or
    through others) for `gate`, which would make a loop that could never be decided. The route
    is read in the order the links give (governance.route.in_route_order), so a gate may wait
    for one added after it. A link to a gate since removed from the route is kept if it is still
    given (it no longer holds anything up), but no new one is made."""
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(set_waits_for_refusal(by, gate))
        # As they are now, not as the caller last read them.
        wanted = Gate.objects.select_related("body").in_bulk([g.pk for g in waits_for])
        if gate.pk in wanted:
            raise WorkflowError("A gate cannot wait for itself.", field="waits_for")
        if any(g.strategy_id != strategy.pk for g in wanted.values()):
            raise WorkflowError(
                "A gate can only wait for gates of the same strategy.", field="waits_for"
            )
        waits: dict[int, set[int]] = {}
        for from_id, to_id in GateDependency.objects.filter(
            from_gate__strategy=strategy
        ).values_list("from_gate_id", "to_gate_id"):
            waits.setdefault(from_id, set()).add(to_id)
        have = waits.get(gate.pk, set())
        removed = [g for g in wanted.values() if g.state == Gate.State.REMOVED and g.pk not in have]
        if removed:
            raise WorkflowError(
                f"{name_gates(removed)} has been removed from the route, so nothing can wait for "
                "it.",
                field="waits_for",
            )
        loops = [g for g in wanted.values() if gate.pk in _waited_for(g.pk, waits)]
        if loops:
            raise WorkflowError(
                f"{name_gates(loops)} already waits for this gate, directly or through others: "
                "waiting for it too would make a loop that could never be decided.",
                field="waits_for",
            )
        reason = reason or "What the gate waits for changed"
        for link in GateDependency.objects.filter(from_gate=gate).exclude(to_gate_id__in=wanted):
            with_reason(link, reason).delete()
        _wait_for(gate, [g for pk, g in sorted(wanted.items()) if pk not in have], reason)
        return gate


def _waited_for(gate_id: int, waits: dict[int, set[int]]) -> set[int]:
    """Every gate `gate_id` waits for, directly or through others."""
    found: set[int] = set()
    todo = list(waits.get(gate_id, ()))
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(waits.get(pk, ()))
    return found


# When a gate is planned ------------------------------------------------------------------------


def _check_plan(planned_date, precision) -> None:
    if precision != Precision.NOT_SET and planned_date is None:
        raise WorkflowError("Give a planned date, or choose “not yet set”.")


def _check_key_decision(
    body: Body, key_decision: bool, notice_on: datetime.date | None, reference: str = ""
) -> None:
    if key_decision and not body.is_executive:
        raise WorkflowError(
            f"The {body} is not an executive body, so it takes no key decisions.",
            field="key_decision",
        )
    if reference.strip() and not key_decision:
        raise WorkflowError(
            "Only a key decision has a Forward Plan reference.", field="forward_plan_reference"
        )
    if notice_on and notice_on > timezone.localdate():
        raise WorkflowError(
            "Record the Forward Plan notice once it has been published.",
            field="forward_plan_published_on",
        )


def plan_of(gate: Gate) -> str:
    """A gate's plan as one string: a form keeps the one it showed, so that a save made after
    someone else re-planned the gate is refused instead of silently replacing theirs."""
    waits = ",".join(str(pk) for pk in sorted(g.pk for g in gate.waits_for.all()))
    return (
        f"{gate.planned_date or ''}|{gate.planned_precision}|{int(gate.key_decision)}|"
        f"{gate.forward_plan_published_on or ''}|{gate.forward_plan_reference}|{waits}|{gate.note}"
    )


class PlanChanged(WorkflowError):
    def __init__(self, gate: Gate) -> None:
        self.current = plan_of(gate)
        key = " (a key decision)" if gate.key_decision else ""
        waits = list(gate.waits_for.select_related("body"))
        waiting = f", waiting for {'; '.join(str(g) for g in waits)}" if waits else ""
        super().__init__(
            f"Someone else re-planned this gate while you were editing it: it is now planned "
            f"for {gate.planned}{key}{waiting}. Nothing has been overwritten. Your values are "
            f"still in the form: save again to replace theirs, or cancel to keep them."
        )


# What a re-plan may change on the gate row (what it waits for are rows of their own).
REPLANNED_FIELDS = [
    "planned_date",
    "planned_precision",
    "key_decision",
    "forward_plan_published_on",
    "forward_plan_reference",
    "note",
]


def replan_gate_refusal(user: User, gate: Gate) -> str | None:
    """Why `user` may not re-plan `gate` now, or None."""
    if refusal := planner_refusal(user, gate.strategy):
        return refusal
    if not gate.is_open:
        return "This gate has been decided; its date is part of the record."
    return None


def replan_gate(
    gate: Gate,
    planned_date: datetime.date | None,
    precision: str,
    by: User,
    comment: str = "",
    key_decision: bool | None = None,
    forward_plan_published_on: datetime.date | None = None,
    expected_plan: str | None = None,
    waits_for: Iterable[Gate] | None = None,
    forward_plan_reference: str | None = None,
    note: str | None = None,
) -> Gate:
    """Change a gate's planned date (and, when given, whether it is a key decision with its
    Forward Plan notice and reference, its note, and what it waits for). With `expected_plan`
    (see plan_of), refuses if the plan has changed since. The gate is saved (and its history
    written) only if something changed, naming just the fields that did."""
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().select_related("body").get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(replan_gate_refusal(by, gate))
        if expected_plan is not None and expected_plan != plan_of(gate):
            raise PlanChanged(gate)
        _check_plan(planned_date, precision)
        # As they were before this change: the key decision's fields are compared too (a new
        # Forward Plan notice date alone is a change to save).
        before = {name: getattr(gate, name) for name in REPLANNED_FIELDS}
        gate.planned_date = None if precision == Precision.NOT_SET else planned_date
        gate.planned_precision = precision
        if key_decision is not None:
            # Not given: kept with the key decision, gone with it.
            reference = forward_plan_reference
            if reference is None:
                reference = gate.forward_plan_reference if key_decision else ""
            _check_key_decision(gate.body, key_decision, forward_plan_published_on, reference)
            gate.key_decision = key_decision
            gate.forward_plan_published_on = forward_plan_published_on if key_decision else None
            gate.forward_plan_reference = reference.strip() if key_decision else ""
        if note is not None:
            gate.note = note.strip()
        changed = [name for name, value in before.items() if getattr(gate, name) != value]
        if changed:
            gate._change_reason = comment or "Re-planned"
            gate.save(update_fields=changed)
        if waits_for is not None:
            set_waits_for(gate, waits_for, by, comment)
        return gate


# Taking a gate off the route, and putting one back ---------------------------------------------


def remove_gate_refusal(user: User, gate: Gate, holders: bool = True) -> str | None:
    """Why `user` may not remove `gate` from its route now, or None. Reads the gate's decisions
    as prefetched, if they are. With `holders=False` the apps above are not asked whether
    something of theirs runs at the gate (gate_holders; each asks the database, so the route
    page leaves them out and their refusal comes when the move is tried)."""
    if refusal := planner_refusal(user, gate.strategy):
        return refusal
    if not gate.is_open or gate.decisions.all():
        return "A gate that a body has considered stays on the route."
    if holders:
        return held_by(gate)
    return None


def remove_gate(gate: Gate, by: User, comment: str = "") -> None:
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(remove_gate_refusal(by, gate))
        move_gate(gate, Gate.State.REMOVED, by, comment or "Removed from the route", meeting=None)
        settle(strategy, by, comment or "Gate removed")


def resubmit_refusal(user: User, gate: Gate) -> str | None:
    """Why `user` may not put `gate` on the route again now, or None."""
    if refusal := planner_refusal(user, gate.strategy):
        return refusal
    if gate.state != Gate.State.REFERRED_BACK:
        return "Only a gate that was referred back can be resubmitted."
    return None


def resubmit(gate: Gate, by: User, comment: str = "") -> Gate:
    """Put a referred-back gate on the route again once the officers have redrafted."""
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(resubmit_refusal(by, gate))
        move_gate(gate, Gate.State.PLANNED, by, comment or "Resubmitted after redrafting")
        settle(strategy, by, comment or "Resubmitted after redrafting")
        return gate
