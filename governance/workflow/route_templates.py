"""Applying a route template: building a strategy's whole route at once, each gate with what it
waits for and a planned month worked out from the template's usual gaps.

The rules, the same through every door (the route page, the admin's action, load_demo):
- A template builds a whole route, so it is applied only to a strategy with none yet (gates
  since removed do not count). Applying twice, or two officers applying at once, is refused
  rather than doubling the route; a route begun by hand goes on by hand.
- A template is its organisation's, or anyone's when it has none.
- A step that names a kind of body takes the lead organisation's body of that kind (the first
  made, if it has several). When the lead organisation has no such body, nothing is added and
  the refusal names every such step, unless the officer asks for the rest without them: then
  the steps after a skipped one wait for what it waited for, and the result names what was
  skipped and why. Nothing is dropped without being named, and nothing is half built: a
  partial route would also stop the template being applied again once the body exists.
- Steps that wait for each other in a circle could never be decided: refused
  (`steps_in_circle`; the admin refuses such a template when it is saved).
- With a first date, each gate is planned `offset_days` after the latest planned of the steps
  it waits for (a step that waits for none: that many days after the first date, or on it), to
  the month: the usual gaps tell the month, not the meeting's day, which comes when the gate
  goes on a meeting. A later step without a usual gap gets no date; a step after it is planned
  from the others it waits for, if they have dates. Without a first date no gate has one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction

from strategies.models import Organisation, Strategy, User

from ..dates import Precision
from ..models import Body, Gate, GateTemplate, RouteTemplate
from ..route import in_route_order
from .common import (
    WorkflowError,
    lock_strategy,
    planner_refusal,
    record_transition,
    refuse_if,
    settle,
)
from .planning import _next_position, _wait_for


@dataclass
class AppliedRoute:
    template: RouteTemplate
    gates: list[Gate]
    # The steps not built, as the lead organisation has no body of their kind.
    skipped: list[GateTemplate] = field(default_factory=list)
    lead: Organisation | None = None

    @property
    def message(self) -> str:
        """What the officer is told: how many gates, from which template, and what was not
        added and why (the route page and the admin say the same)."""
        count = len(self.gates)
        text = f"{count} gate{'' if count == 1 else 's'} added from “{self.template}”."
        if self.skipped:
            text += f" Not added, as {missing_bodies(self.lead, self.skipped)}."
        return text


def missing_bodies(lead: Organisation, steps: list[GateTemplate]) -> str:
    """ "Milton Keynes Council has no Health and Wellbeing Board (step 1, develop; step 6,
    approve) and no Scrutiny committee (step 5, scrutinise)": steps grouped by the kind of
    body missing."""
    by_kind: dict[str, list[GateTemplate]] = {}
    for step in steps:
        by_kind.setdefault(step.get_body_kind_display(), []).append(step)
    parts = [
        f"no {kind} ("
        + "; ".join(f"step {s.position}, {s.get_purpose_display().lower()}" for s in kind_steps)
        + ")"
        for kind, kind_steps in by_kind.items()
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{lead} has {listed}"


def steps_in_circle(waits: Mapping[int, set[int]]) -> list[int]:
    """The steps (by position) of a template that wait for each other in a circle, directly or
    through others, or [] when there is none. `waits` maps each step to the steps it waits for;
    steps that only wait for a circle are not in it."""
    found: set[int] = set()
    for start in waits:
        seen: set[int] = set()
        todo = list(waits.get(start, ()))
        while todo:
            step = todo.pop()
            if step == start:
                found.add(start)
                break
            if step not in seen:
                seen.add(step)
                todo.extend(waits.get(step, ()))
    return sorted(found)


def circle_message(steps: list[int]) -> str:
    named = ", ".join(str(s) for s in steps[:-1]) + f" and {steps[-1]}"
    return (
        f"Steps {named} wait for each other in a circle, so none of them could ever be decided. "
        "Change what one of them waits for."
    )


def apply_route_refusal(
    user: User, strategy: Strategy, template: RouteTemplate | None = None
) -> str | None:
    """Why `user` may not apply a route template (or `template`) to `strategy` now, or None.
    Reads the strategy's gates as prefetched, if they are."""
    if refusal := planner_refusal(user, strategy):
        return refusal
    live = [g for g in strategy.gates.all() if g.state != Gate.State.REMOVED]
    if live:
        return (
            f"This strategy's route already has {len(live)} gate{'' if len(live) == 1 else 's'}. "
            "A template builds a whole route, so it is applied only to a strategy with none: "
            "add gates by hand, or remove the planned ones first."
        )
    if template is not None and template.organisation_id not in (
        None,
        strategy.lead_organisation_id,
    ):
        return (
            f"“{template}” is {template.organisation}'s route template; use one of "
            f"{strategy.lead_organisation}'s, or one that belongs to no organisation."
        )
    return None


def _bodies_for(strategy: Strategy, steps: list[GateTemplate]) -> dict[int, Body | None]:
    """Each step's body: the one it names, or the lead organisation's first of its kind."""
    by_kind: dict[str, Body] = {}
    for body in Body.objects.filter(organisation=strategy.lead_organisation_id).order_by("pk"):
        by_kind.setdefault(body.kind, body)
    return {s.pk: s.body or by_kind.get(s.body_kind) for s in steps}


def planned_dates(
    steps: list[GateTemplate], waits: Mapping[int, set[int]], starts_on: datetime.date | None
) -> dict[int, datetime.date | None]:
    """Each step's planned day (by pk) from the first date and the usual gaps (see above).
    `steps` are in the order their waits allow (in_route_order)."""
    dates: dict[int, datetime.date | None] = {}
    for step in steps:
        before = [dates[pk] for pk in waits[step.pk] if dates.get(pk)]
        if starts_on is None or (waits[step.pk] and (step.offset_days is None or not before)):
            dates[step.pk] = None
            continue
        after = max(before) if before else starts_on
        try:
            dates[step.pk] = after + datetime.timedelta(days=step.offset_days or 0)
        except OverflowError:  # a gap of millions of days: no date rather than an error
            dates[step.pk] = None
    return dates


def apply_route(
    strategy: Strategy,
    template: RouteTemplate,
    by: User,
    starts_on: datetime.date | None = None,
    skip_missing: bool = False,
) -> AppliedRoute:
    """Build the strategy's route from `template` (see the rules above): the gates in the
    template's order, what each waits for, and their planned months from `starts_on`."""
    reason = f"Route “{template}” applied"
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(apply_route_refusal(by, strategy, template))
        steps = list(template.gates.select_related("body").prefetch_related("waits_for"))
        if not steps:
            raise WorkflowError(f"“{template}” has no steps yet: add them in the admin first.")
        waits = {s.pk: {w.pk for w in s.waits_for.all()} for s in steps}
        # A link to another template's step (made in a shell) is not this route's to follow.
        waits = {pk: {w for w in ws if w in waits} for pk, ws in waits.items()}
        position = {s.pk: s.position for s in steps}
        if circle := steps_in_circle(waits):
            raise WorkflowError(circle_message(sorted(position[pk] for pk in circle)))
        bodies = _bodies_for(strategy, steps)
        missing = [s for s in steps if bodies[s.pk] is None]
        lead = strategy.lead_organisation
        if missing and (not skip_missing or len(missing) == len(steps)):
            raise WorkflowError(
                f"Nothing was added: {missing_bodies(lead, missing)}. Add the bodies in the admin"
                + (" first." if len(missing) == len(steps) else ", or build the rest without them.")
            )
        ordered = in_route_order(steps, lambda s: waits[s.pk])
        dates = planned_dates(ordered, waits, starts_on)
        created: dict[int, Gate] = {}
        first = _next_position(strategy)
        for offset, step in enumerate(s for s in steps if bodies[s.pk] is not None):
            day = dates[step.pk]
            gate = Gate(
                strategy=strategy,
                position=first + offset,
                body=bodies[step.pk],
                purpose=step.purpose,
                planned_date=day,
                planned_precision=Precision.NOT_SET if day is None else Precision.MONTH,
            )
            gate._change_reason = reason
            gate.save()
            created[step.pk] = gate
        for step in steps:
            if step.pk in created:
                awaited = _awaited(step.pk, waits, created)
                _wait_for(created[step.pk], [created[pk] for pk in sorted(awaited)], reason)
                record_transition(strategy, created[step.pk], "", Gate.State.PLANNED, by, reason)
        settle(strategy, by, reason)
        return AppliedRoute(template, list(created.values()), missing, lead)


def _awaited(step: int, waits: Mapping[int, set[int]], created: Mapping[int, Gate]) -> set[int]:
    """The steps that `step` waits for, with a skipped one standing for what it waited for."""
    found: set[int] = set()
    todo, seen = list(waits[step]), set()
    while todo:
        pk = todo.pop()
        if pk in seen:
            continue
        seen.add(pk)
        if pk in created:
            found.add(pk)
        else:
            todo.extend(waits[pk])
    return found
