"""When each strategy will realistically be adopted, and what that date rests on.

For every gate still to pass, in route order: the meeting it is on; otherwise its planned date
(the last day of a month, quarter or season, since that is the latest it can mean); otherwise,
or when the plan has passed or comes before the gates it waits for, the next meeting of its
body after them whose agenda can still be published in time. A consultation gate takes its
window's closing date, or the policy's minimum length after what it waits for. Deadline rules
push dates back: a key decision needs its Forward Plan notice 28 clear days ahead, and an
executive decision takes effect only when its call-in period has ended.

`project(strategies)` works on any number of strategies in a fixed number of queries;
`project_routes(routes)` on routes already read (portal/routes.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from governance.dates import Precision, day_count, describe, first_day, latest_day
from governance.deadlines import (
    ONE_DAY,
    DeadlineNote,
    agenda_deadline,
    call_in,
    call_in_period,
    earliest_without_notice,
    gate_notes,
    long_date,
)
from governance.models import Body, Decision, Gate, Meeting, Purpose
from governance.route import in_route_order
from portal.routes import Routes, read_routes
from strategies.models import Strategy

Stage = Strategy.Stage


@dataclass
class GatePlan:
    """A gate's expected (or actual) decision date and the day it takes effect."""

    gate: Gate
    decided_on: datetime.date | None
    takes_effect_on: datetime.date | None
    basis: str
    done: bool = False
    refused: bool = False
    decision: Decision | None = None

    def notes(self, today: datetime.date) -> list[DeadlineNote]:
        return gate_notes(self.gate, today, self.decision)


@dataclass
class Projection:
    strategy: Strategy
    adoption_on: datetime.date | None = None
    adopted: bool = False  # already adopted (the date is history, not a projection)
    basis: str = ""
    unknown_reason: str = ""
    call_in_until: datetime.date | None = None  # adopted, but the call-in period is running
    gates: list[GatePlan] = field(default_factory=list)

    @property
    def remaining(self) -> list[GatePlan]:
        return [p for p in self.gates if not p.done]

    def notes(self, today: datetime.date) -> list[DeadlineNote]:
        """Every deadline note of the route, warnings first."""
        notes = [note for plan in self.gates for note in plan.notes(today)]
        return sorted(notes, key=lambda n: (not n.warning, n.due_on or today))


class _Meetings:
    """The scheduled meetings of the bodies concerned, from today, one query for them all."""

    def __init__(self, body_ids: set[int], today: datetime.date) -> None:
        self.by_body: dict[int, list[Meeting]] = defaultdict(list)
        self.today = today
        for meeting in (
            Meeting.objects.filter(
                body_id__in=body_ids,
                status=Meeting.Status.SCHEDULED,
                date_precision=Precision.DAY,
                starts_at__date__gte=today,
            )
            .select_related("body__organisation")
            .order_by("starts_at")
        ):
            meeting.day = meeting.local_day
            meeting.agenda_deadline = agenda_deadline(meeting)
            self.by_body[meeting.body_id].append(meeting)

    def next_after(self, body_id: int, after: datetime.date) -> Meeting | None:
        """The first meeting on or after `after` whose agenda can still be published in time."""
        for meeting in self.by_body.get(body_id, []):
            if meeting.day < after:
                continue
            deadline = meeting.agenda_deadline
            if (
                deadline
                and meeting.agenda_published_on is None
                and deadline.publish_by < self.today
            ):
                continue  # too late to get on this agenda
            return meeting
        return None


def project(strategies, today: datetime.date | None = None) -> dict[int, Projection]:
    """Projections for the given strategies (a queryset or list), by strategy id: their routes
    read as every page reads them (portal/routes.py), then projected."""
    today = today or timezone.localdate()
    return project_routes(read_routes(strategies, today))


def project_routes(routes: Routes) -> dict[int, Projection]:
    """Projections of routes already read (portal/routes.py, which the strategy page reads once
    for its panels), by strategy id: one query more, for the meetings of the bodies concerned."""
    today = routes.today
    meetings = _Meetings({g.body_id for g in routes.gates if g.is_open}, today)
    return {
        s.pk: _project_one(s, routes.of(s), routes.decisions, routes.spans, meetings, today)
        for s in routes.strategies
    }


def load_gates(queryset) -> list[Gate]:
    """The gates with their bodies (and organisations) and meetings attached, each loaded once
    however many gates share them: three queries, and no more objects than there are rows."""
    return attach_bodies_and_meetings(list(queryset.order_by("strategy_id", "position")))


def attach_bodies_and_meetings(gates: list[Gate]) -> list[Gate]:
    """Gates already loaded (in the order they were asked for), with their bodies, bodies'
    organisations and meetings attached: two queries for them all."""
    bodies = Body.objects.filter(pk__in={g.body_id for g in gates}).select_related("organisation")
    bodies = {b.pk: b for b in bodies}
    meetings = Meeting.objects.filter(pk__in={g.meeting_id for g in gates if g.meeting_id})
    meetings = {m.pk: m for m in meetings}
    for meeting in meetings.values():
        meeting.body = bodies.get(meeting.body_id) or meeting.body
    for gate in gates:
        gate.body = bodies[gate.body_id]
        gate.meeting = meetings.get(gate.meeting_id)
    return gates


def project_one(strategy: Strategy, today: datetime.date | None = None) -> Projection:
    return project([strategy], today)[strategy.pk]


def _effective(decisions: list[Decision]) -> Decision | None:
    corrected = {d.corrects_id for d in decisions if d.corrects_id}
    live = [d for d in decisions if d.pk not in corrected]
    return live[-1] if live else None


def _project_one(strategy, gates, decisions, spans, meetings, today) -> Projection:
    projection = Projection(strategy)
    if strategy.route_is_closed:
        projection.unknown_reason = f"The strategy is {strategy.get_stage_display().lower()}."
        return projection
    if not gates:
        projection.unknown_reason = "No governance route has been planned yet."
        return projection
    plans: dict[int, GatePlan] = {}
    # Each gate after what it waits for, so that its date can follow from theirs.
    for gate in in_route_order(gates, lambda g: g.waits_for_ids):
        decision = _effective(decisions.get(gate.pk, []))
        plans[gate.pk] = _plan_gate(gate, decision, plans, spans, meetings, today)
    projection.gates = [plans[gate.pk] for gate in gates]  # shown in the route's order

    refused = [p for p in projection.gates if p.refused]
    if refused:
        projection.unknown_reason = (
            f"The {refused[0].gate.body} {refused[0].gate.get_state_display().lower()} it: "
            f"the route needs replanning before an adoption date can be projected."
        )
        return projection
    if not any(g.purpose in Purpose.adopting() for g in gates):
        projection.unknown_reason = "No gate on the route adopts or approves the strategy."
        return projection
    missing = [p for p in projection.gates if p.takes_effect_on is None]
    if missing:
        projection.unknown_reason = missing[0].basis
        return projection
    last = max(projection.gates, key=lambda p: (p.takes_effect_on, p.gate.position))
    projection.adoption_on = last.takes_effect_on
    projection.adopted = all(p.done for p in projection.gates)
    projection.basis = f"{last.gate.body} ({last.gate.get_purpose_display().lower()}): {last.basis}"
    if projection.adopted:
        projection.call_in_until = strategy.call_in_until
    return projection


def _plan_gate(gate, decision, plans, spans, meetings, today) -> GatePlan:
    organisation = gate.body.organisation
    if gate.state == Gate.State.PASSED and decision is not None:
        period = call_in(decision, gate)
        effect = period.takes_effect_on if period else decision.decided_on
        basis = f"{decision.get_outcome_display().lower()} {decision.decided_on_or_in}"
        if period and effect is None and not period.is_held and not period.is_referred_back:
            # Brought in from records that do not say what came of the call-in: no longer held,
            # its day of effect unknown; the route went on from the day it was decided.
            effect = decision.decided_on
            basis += f". {period.message(today)}"
        elif period and effect is None:  # called in, and held by it (deadlines.CallIn)
            basis += f". {period.message(today)}"
        elif period:
            basis += f", effective {long_date(effect)} after call-in"
        return GatePlan(gate, decision.decided_on, effect, basis, done=True, decision=decision)
    if gate.state == Gate.State.PASSED:  # a consultation gate: passed when its window closed
        span = spans.get(gate.pk)
        if span and span.ends_on:
            day = latest_day(span.ends_on, span.precision)
        elif gate.planned_date:
            day = latest_day(gate.planned_date, gate.planned_precision)
        else:
            day = today
        return GatePlan(gate, day, day, f"consultation closed ({long_date(day)})", done=True)
    if gate.state in {Gate.State.REJECTED, Gate.State.REFERRED_BACK}:
        return GatePlan(gate, None, None, gate.get_state_display().lower(), refused=True)

    waits = [plans[pk] for pk in gate.waits_for_ids if pk in plans]
    if any(p.takes_effect_on is None for p in waits):
        return GatePlan(gate, None, None, f"{gate.body}: waits for a gate with no date yet")
    ready = max([today, *(p.takes_effect_on + ONE_DAY for p in waits)])
    after = max((p for p in waits), key=lambda p: p.takes_effect_on, default=None)
    # What the earliest day rests on: the gates it waits for, or today if they are behind us.
    if after and after.takes_effect_on >= today:
        after_text = f" after the {after.gate.body} ({long_date(after.takes_effect_on)})"
    else:
        after_text = " from today" if after else ""

    if gate.purpose == Purpose.CONSULT:
        span = spans.get(gate.pk)
        if span and span.ends_on and span.precision != Precision.NOT_SET:
            closes = latest_day(span.ends_on, span.precision)
            if closes >= ready or gate.state == Gate.State.SCHEDULED:
                return GatePlan(
                    gate,
                    closes,
                    closes,
                    f"the consultation closes {describe(span.ends_on, span.precision)}",
                )
        days = (span.minimum_days if span else None) or organisation.consultation_minimum_days
        length = "the policy minimum"
        if span and span.planned_days:  # planned shorter, with the reason recorded
            days, length = span.planned_days, "its planned length, shorter for the reason recorded"
        opens = ready
        if gate.planned_date and gate.planned_precision != Precision.NOT_SET:
            planned_start = first_day(gate.planned_date, gate.planned_precision)
            if planned_start > ready:  # planned to open later than it could
                opens, after_text = planned_start, f" from {gate.planned}"
        closes = opens + datetime.timedelta(days=days - 1)
        return GatePlan(
            gate, closes, closes, f"{day_count(days)} of consultation ({length}){after_text}"
        )

    # Deadline rule: a key decision without Forward Plan notice cannot come sooner than the
    # notice period allows from today.
    notice_ready = earliest_without_notice(gate, today)
    if notice_ready is not None and notice_ready > ready:
        ready = notice_ready
        after_text += (
            f" and {organisation.key_decision_notice_days} clear days' Forward Plan notice"
        )

    day, basis = None, ""
    if gate.meeting_id and gate.meeting.status != Meeting.Status.CANCELLED:
        day = gate.meeting.local_day
        if day >= today:
            basis = f"on the agenda of the meeting of {gate.meeting.when}"
        else:
            basis = (
                f"the meeting of {gate.meeting.when} has been held; its decision is not recorded"
            )
    if day is None and gate.planned_date and gate.planned_precision != Precision.NOT_SET:
        planned_by = latest_day(gate.planned_date, gate.planned_precision)
        if planned_by >= ready:
            day = planned_by
            basis = f"planned for {gate.planned}"
            if gate.planned_precision != Precision.DAY:
                basis += " (its last day)"
        else:
            if planned_by < today:
                why = "has passed"
            elif notice_ready and planned_by < notice_ready:
                why = (
                    f"is too soon for {organisation.key_decision_notice_days} clear days' notice "
                    f"on the Forward Plan (unless the general exception is used)"
                )
            else:
                why = "comes before what it waits for"
            basis = f"the plan ({gate.planned}) {why}; "
    if day is None:
        meeting = meetings.next_after(gate.body_id, ready)
        if meeting is None:
            # The day says when; what it rests on follows, unless that is only today.
            since = after_text.removeprefix(" from today")
            if since.startswith(" and "):
                since = f" ({since.removeprefix(' and ')})"
            return GatePlan(
                gate,
                None,
                None,
                f"{basis}no meeting of the {gate.body} is scheduled on or after "
                f"{long_date(ready)}{since}. Add the meeting or plan a date.",
            )
        day = meeting.local_day
        basis += f"the next meeting of the {gate.body} in time{after_text}: {long_date(day)}"
    effect = day
    if gate.purpose != Purpose.CONSULT and (period := call_in_period(gate.body, day)):
        effect = period.takes_effect_on
        basis += (
            f"; effective {long_date(effect)} after {period.working_days} working days' call-in"
        )
    return GatePlan(gate, day, effect, basis)
