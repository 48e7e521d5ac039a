"""The only code that moves a strategy along its route.

Every function here checks the move (order of gates, the actor's role and body, the state),
runs in one transaction with the strategy row locked, records a Transition row for each move
of a gate or the strategy, and leaves the strategy's stage and editing lock consistent with
its gates. Views, admin actions and load_demo all call these functions.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from strategies.editing import with_reason
from strategies.models import Revision, Strategy, User
from strategies.publication import PUBLISHED_LABEL
from strategies.revisions import take_revision

from . import signals
from .dates import Precision
from .gate_holders import held_by
from .models import (
    Body,
    Decision,
    Gate,
    GateDependency,
    Meeting,
    Purpose,
    RouteTemplate,
    Transition,
)

Stage = Strategy.Stage
Outcome = Decision.Outcome


class WorkflowError(Exception):
    """A refused move; the message is for the person who tried it, and `field` names the form
    field it belongs beside, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Who may do what -------------------------------------------------------------------------------


def is_secretary_of(user: User, body: Body) -> bool:
    if user.is_administrator:
        return True
    return user.role == User.Role.SECRETARY and body.secretary_links.filter(user=user).exists()


def require_secretary(user: User, body: Body) -> None:
    if not is_secretary_of(user, body):
        raise WorkflowError(f"Only a secretary of the {body} (or an administrator) can do this.")


def require_active(strategy: Strategy) -> None:
    if strategy.route_is_closed:
        raise WorkflowError(
            f"This strategy is {strategy.get_stage_display().lower()}; its route is closed."
        )


def require_dependencies_passed(gate: Gate, subject: str) -> None:
    """No gate moves on before the gates it waits for have passed (or been removed)."""
    waiting = gate.waiting_for
    if waiting:
        raise WorkflowError(f"{subject} waits for gates not yet passed: {name_gates(waiting)}.")


def name_gates(gates: list[Gate]) -> str:
    """Gates by body, purpose and state, as refusals and warnings name them."""
    return "; ".join(f"{g} ({g.get_state_display().lower()})" for g in gates)


def require_planner(user: User, strategy: Strategy) -> None:
    """Officers of the lead organisation plan their strategy's route; administrators may too."""
    require_active(strategy)
    if user.is_administrator:
        return
    if strategy.is_lead_officer(user):
        return
    raise WorkflowError("Only officers of the lead organisation can plan this strategy's route.")


# Shared steps ----------------------------------------------------------------------------------


def _lock(strategy: Strategy) -> Strategy:
    return Strategy.objects.select_for_update().get(pk=strategy.pk)


def _record(strategy: Strategy, gate: Gate | None, old: str, new: str, by, comment: str) -> None:
    Transition.objects.create(
        strategy=strategy,
        gate=gate,
        from_state=old,
        to_state=new,
        by=by if by is not None and by.is_authenticated else None,
        at=timezone.now(),
        comment=comment[:500],
    )


def _move_gate(gate: Gate, to: str, by, comment: str, **changes) -> None:
    old = gate.state
    gate.state = to
    for field, value in changes.items():
        setattr(gate, field, value)
    gate._change_reason = comment
    gate.save()
    if old != to:
        _record(gate.strategy, gate, old, to, by, comment)


def derive_stage(strategy: Strategy, gates: list[Gate]) -> str:
    """Where the strategy stands, from its gates (see docs/decisions/0004)."""
    if strategy.route_is_closed:
        return strategy.stage
    live = [g for g in gates if g.state != Gate.State.REMOVED]
    if any(g.state == Gate.State.REJECTED for g in live):
        return Stage.WITHDRAWN
    if any(g.state == Gate.State.REFERRED_BACK for g in live):
        return Stage.DRAFT
    passed = [g for g in live if g.state == Gate.State.PASSED]
    if (
        live
        and len(passed) == len(live)
        and any(g.purpose in Purpose.final_approvals() | {Purpose.ADOPT} for g in passed)
    ):
        return Stage.ADOPTED
    if any(g.purpose in Purpose.final_approvals() for g in passed):
        return Stage.APPROVED
    if any(g.purpose == Purpose.CONSULT and g.state == Gate.State.SCHEDULED for g in live):
        return Stage.OUT_TO_CONSULTATION
    if passed or any(g.state == Gate.State.SCHEDULED for g in live):
        return Stage.IN_GOVERNANCE
    return Stage.DRAFT


def _settle(strategy: Strategy, by, comment: str, after_decision: bool = False) -> None:
    """Bring the strategy's stage and editing lock in line with its gates."""
    gates = list(strategy.gates.select_related("body", "meeting"))
    stage = derive_stage(strategy, gates)
    if strategy.stage == Stage.UNDER_REVIEW and not after_decision:
        stage = Stage.UNDER_REVIEW  # a revision opened after approval stays open until decided
    if strategy.stage in {Stage.PUBLISHED, Stage.IN_DELIVERY} and stage not in {
        Stage.DRAFT,
        Stage.WITHDRAWN,
    }:
        # Published text is left by opening a new revision (or a refusal), not by a gate added
        # afterwards, such as scrutiny noting the strategy.
        stage = strategy.stage
    papers_out = [g for g in gates if g.is_open and g.papers_revision_id]
    if papers_out:
        g = papers_out[0]
        lock = (
            f"the papers for the {g.body} meeting of {g.when} have been published, so the text "
            f"stays as sent until the {g.body} decides."
        )
    elif stage == Stage.APPROVED and strategy.editing_closed_reason.startswith("the papers"):
        lock = "the text has been approved as final. Open a new revision to change it."
    elif stage == Stage.APPROVED:
        lock = strategy.editing_closed_reason
    else:
        lock = ""
    changed = []
    if stage != strategy.stage:
        _record(strategy, None, strategy.stage, stage, by, comment)
        strategy.stage = stage
        changed.append("stage")
    if lock != strategy.editing_closed_reason:
        strategy.editing_closed_reason = lock
        changed.append("editing_closed_reason")
    if changed:
        strategy._change_reason = comment
        strategy.save(update_fields=changed)


# Planning the route ----------------------------------------------------------------------------


def _next_position(strategy: Strategy) -> int:
    return (strategy.gates.aggregate(last=Max("position"))["last"] or 0) + 1


def apply_route(strategy: Strategy, template: RouteTemplate, by: User) -> list[Gate]:
    """Create the strategy's gates from a route template, with their dependencies."""
    with transaction.atomic():
        strategy = _lock(strategy)
        require_planner(by, strategy)
        created: dict[int, Gate] = {}
        for gt in template.gates.select_related("body").prefetch_related("waits_for"):
            body = gt.body or (
                Body.objects.filter(organisation=strategy.lead_organisation, kind=gt.body_kind)
                .order_by("pk")
                .first()
            )
            if body is None:
                raise WorkflowError(
                    f"{strategy.lead_organisation} has no {gt.get_body_kind_display()} for step "
                    f"{gt.position} of the route. Add the body first."
                )
            gate = Gate(
                strategy=strategy, position=_next_position(strategy), body=body, purpose=gt.purpose
            )
            gate._change_reason = f"Route “{template}” applied"
            gate.save()
            waits = list(gt.waits_for.all())
            if any(w.pk not in created for w in waits):
                raise WorkflowError(
                    f"Step {gt.position} of “{template}” waits for a step that is not earlier in "
                    f"the same route. Correct the template first."
                )
            _wait_for(gate, [created[w.pk] for w in waits], f"Route “{template}” applied")
            created[gt.pk] = gate
            _record(strategy, gate, "", gate.state, by, f"Route “{template}” applied")
        _settle(strategy, by, f"Route “{template}” applied")
        return list(created.values())


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
) -> Gate:
    with transaction.atomic():
        strategy = _lock(strategy)
        require_planner(by, strategy)
        waits_for = list(waits_for)
        if any(g.strategy_id != strategy.pk for g in waits_for):
            raise WorkflowError("A gate can only wait for gates of the same strategy.")
        _check_plan(planned_date, precision)
        _check_key_decision(body, key_decision, forward_plan_published_on)
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
        )
        gate._change_reason = "Gate added"
        gate.save()
        _wait_for(gate, waits_for, "Gate added")
        _record(strategy, gate, "", gate.state, by, "Gate added")
        _settle(strategy, by, "Gate added")
        return gate


def _wait_for(gate: Gate, others: Iterable[Gate], reason: str) -> None:
    """New links from `gate` to the gates it waits for, one row (and history row) each."""
    for other in others:
        with_reason(GateDependency(from_gate=gate, to_gate=other), reason).save()


def set_waits_for(gate: Gate, waits_for: Iterable[Gate], by: User, reason: str = "") -> Gate:
    """Make the gates `gate` waits for exactly `waits_for`: links no longer wanted are deleted
    and new ones added, one row (and history row) each. Only an open gate's dependencies
    change; each must be another gate of the same strategy, and none may wait (directly or
    through others) for `gate`, which would make a loop that could never be decided. The route
    is read in the order the links give (governance.route.in_route_order), so a gate may wait
    for one added after it. A link to a gate since removed from the route is kept if it is still
    given (it no longer holds anything up), but no new one is made."""
    with transaction.atomic():
        strategy = _lock(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        require_planner(by, strategy)
        if not gate.is_open:
            raise WorkflowError("This gate has been decided; what it waited for is on record.")
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


def _check_plan(planned_date, precision) -> None:
    if precision != Precision.NOT_SET and planned_date is None:
        raise WorkflowError("Give a planned date, or choose “not yet set”.")


def _check_key_decision(body: Body, key_decision: bool, notice_on: datetime.date | None) -> None:
    if key_decision and not body.is_executive:
        raise WorkflowError(
            f"The {body} is not an executive body, so it takes no key decisions.",
            field="key_decision",
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
        f"{gate.forward_plan_published_on or ''}|{waits}"
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
) -> Gate:
    """Change a gate's planned date (and whether it is a key decision, and what it waits for,
    when given). With `expected_plan` (see plan_of), refuses if the plan has changed since. The
    gate is saved (and its history written) only if its plan changed."""
    with transaction.atomic():
        _lock(gate.strategy)
        gate = Gate.objects.select_for_update().select_related("body").get(pk=gate.pk)
        require_planner(by, gate.strategy)
        if not gate.is_open:
            raise WorkflowError("This gate has been decided; its date is part of the record.")
        if expected_plan is not None and expected_plan != plan_of(gate):
            raise PlanChanged(gate)
        _check_plan(planned_date, precision)
        fields = ["planned_date", "planned_precision"]
        if key_decision is not None:
            _check_key_decision(gate.body, key_decision, forward_plan_published_on)
            gate.key_decision = key_decision
            gate.forward_plan_published_on = forward_plan_published_on if key_decision else None
            fields += ["key_decision", "forward_plan_published_on"]
        before = [getattr(gate, name) for name in fields]
        gate.planned_date = None if precision == Precision.NOT_SET else planned_date
        gate.planned_precision = precision
        if [getattr(gate, name) for name in fields] != before:
            gate._change_reason = comment or "Re-planned"
            gate.save(update_fields=fields)
        if waits_for is not None:
            set_waits_for(gate, waits_for, by, comment)
        return gate


def remove_gate(gate: Gate, by: User, comment: str = "") -> None:
    with transaction.atomic():
        _lock(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        require_planner(by, gate.strategy)
        if not gate.is_open or gate.decisions.exists():
            raise WorkflowError("A gate that a body has considered stays on the route.")
        if holder := held_by(gate):
            raise WorkflowError(holder)
        _move_gate(gate, Gate.State.REMOVED, by, comment or "Removed from the route", meeting=None)
        _settle(gate.strategy, by, comment or "Gate removed")


# Meetings --------------------------------------------------------------------------------------


def schedule_gate(gate: Gate, meeting: Meeting, by: User) -> Gate:
    """Put a gate on the agenda of a meeting of its body. On an agenda already published, it
    is a late item: its papers are frozen as it is added."""
    with transaction.atomic():
        # The meeting before the strategy, in the order publish_agenda takes them.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        strategy = _lock(gate.strategy)
        gate = Gate.objects.select_for_update().select_related("body").get(pk=gate.pk)
        require_active(gate.strategy)
        require_secretary(by, gate.body)
        if meeting.body_id != gate.body_id:
            raise WorkflowError(f"This gate is for the {gate.body}, not the {meeting.body}.")
        if meeting.status != Meeting.Status.SCHEDULED:
            raise WorkflowError(f"That meeting is {meeting.get_status_display().lower()}.")
        if not gate.is_open:
            raise WorkflowError("This gate has already been decided.")
        if gate.purpose == Purpose.CONSULT:
            raise WorkflowError(
                "A consultation gate runs with its consultation window, not a meeting."
            )
        if gate.papers_revision_id and gate.meeting_id != meeting.pk:
            raise WorkflowError(
                "Papers have been published for another meeting; decide or defer there."
            )
        _move_gate(
            gate,
            Gate.State.SCHEDULED,
            by,
            f"On the agenda of {meeting}",
            meeting=meeting,
            planned_date=meeting.local_day,
            planned_precision=meeting.date_precision,
        )
        if meeting.agenda_published_on and not gate.papers_revision_id:
            _freeze_papers(gate, strategy, meeting, by)
        _settle(gate.strategy, by, f"On the agenda of {meeting}")
        transaction.on_commit(
            lambda: signals.gate_scheduled.send(
                Gate, gate_id=gate.pk, meeting_id=meeting.pk, by_id=by.pk
            )
        )
        return gate


def publish_agenda(meeting: Meeting, published_on: datetime.date, by: User) -> list[Revision]:
    """Record the agenda's publication; each strategy on it is frozen as sent in the papers."""
    require_secretary(by, meeting.body)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise WorkflowError(
            f"The meeting is {meeting.get_status_display().lower()}; its agenda stands."
        )
    if published_on > timezone.localdate():
        raise WorkflowError("The agenda cannot be published in the future.")
    if published_on > meeting.local_day:
        raise WorkflowError("The agenda must be published before the meeting.")
    revisions = []
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        require_unpublished(meeting)
        meeting.agenda_published_on = published_on
        meeting._change_reason = "Agenda published"
        meeting.save(update_fields=["agenda_published_on"])
        for gate in meeting.gates.filter(state=Gate.State.SCHEDULED).select_related("strategy"):
            strategy = _lock(gate.strategy)
            revisions.append(_freeze_papers(gate, strategy, meeting, by))
            _settle(strategy, by, f"Papers published for the {meeting}")
    return revisions


def require_unpublished(meeting: Meeting) -> None:
    """An agenda's publication is recorded once."""
    if meeting.agenda_published_on:
        raise WorkflowError(
            f"The agenda was published on {meeting.agenda_published_on:%-d %B %Y}; a "
            "strategy put on it since has its papers frozen as it is added."
        )


def _freeze_papers(gate: Gate, strategy: Strategy, meeting: Meeting, by: User) -> Revision:
    """The strategy (locked by the caller) as sent in the meeting's papers: a revision the gate
    keeps, and the strategy frozen until the body decides (see _settle)."""
    revision = take_revision(strategy, f"Papers for the {meeting}", by=by)
    gate.papers_revision = revision
    gate._change_reason = "Papers published"
    gate.save(update_fields=["papers_revision"])
    return revision


# Decisions -------------------------------------------------------------------------------------


KEEP = object()  # an argument left as it was


def decision_hash(decision: Decision) -> str:
    """SHA-256 over the decision's record and the hash of the decision before it."""
    record = {
        "strategy": decision.gate.strategy_id,
        "gate": decision.gate_id,
        "meeting": decision.meeting_id,
        "decided_on": decision.decided_on.isoformat(),
        "outcome": decision.outcome,
        "resolution": decision.resolution,
        "reasons": decision.reasons,
        "alternatives_considered": decision.alternatives_considered,
        "conflicts_declared": decision.conflicts_declared,
        "revision_hash": decision.revision.content_hash,
        "recorded_by": decision.recorded_by_id,
        "recorded_at": decision.recorded_at.astimezone(datetime.UTC).isoformat(),
        "corrects": decision.corrects_id,
        "previous_hash": decision.previous_hash,
    }
    if decision.published_on:  # added later; records without it keep their original hash
        record["published_on"] = decision.published_on.isoformat()
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _chain_and_save(decision: Decision) -> Decision:
    last = (
        Decision.objects.filter(gate__strategy_id=decision.gate.strategy_id)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    decision.previous_hash = last.record_hash if last else ""
    decision.recorded_at = timezone.now().replace(microsecond=0)
    decision.record_hash = decision_hash(decision)
    decision.save()
    return decision


# What an executive decision's record must give (SI 2012/2089 reg 13), in the rules' own words.
REASONS_NEEDED = "An executive decision's record gives its reasons (SI 2012/2089 reg 13)."
ALTERNATIVES_NEEDED = (
    "Give the alternatives considered and rejected, or say there were none (SI 2012/2089 reg 13)."
)


def decision_problems(
    meeting: Meeting | None,
    outcome: str,
    decided_on: datetime.date | None,
    resolution: str,
    reasons: str,
    published_on: datetime.date | None = None,
    executive: bool = False,
    alternatives: str = "",
) -> list[WorkflowError]:
    """Every rule a decision breaks, each for its field; the form shows them all at once.
    An executive decision's record must give its reasons and the alternatives considered and
    rejected (SI 2012/2089 regs 12-13). Without a date (not given, or not a date) the rules on
    dates are left to the form's own message."""
    problems = []
    if not resolution.strip():
        problems.append(WorkflowError("Give the resolution as minuted.", field="resolution"))
    if executive and not reasons.strip():
        problems.append(WorkflowError(REASONS_NEEDED, field="reasons"))
    elif outcome in Outcome.refusals() and not reasons.strip():
        problems.append(
            WorkflowError(
                "Give the reasons when a body defers, refers back or rejects.", field="reasons"
            )
        )
    if decided_on is None:
        pass
    elif decided_on > timezone.localdate():
        problems.append(
            WorkflowError("A decision cannot be dated in the future.", field="decided_on")
        )
    elif meeting and decided_on < meeting.local_day:
        problems.append(
            WorkflowError("A decision cannot be dated before its meeting.", field="decided_on")
        )
    if executive and not alternatives.strip():
        problems.append(WorkflowError(ALTERNATIVES_NEEDED, field="alternatives_considered"))
    if published_on and decided_on and published_on < decided_on:
        problems.append(
            WorkflowError(
                "The decision notice cannot be published before the decision.",
                field="published_on",
            )
        )
    elif published_on and published_on > timezone.localdate():
        problems.append(
            WorkflowError("Record the publication once it has happened.", field="published_on")
        )
    return problems


def check_decision(
    meeting: Meeting | None,
    outcome: str,
    decided_on: datetime.date,
    resolution: str,
    reasons: str,
    published_on: datetime.date | None = None,
    executive: bool = False,
    alternatives: str = "",
) -> None:
    problems = decision_problems(
        meeting, outcome, decided_on, resolution, reasons, published_on, executive, alternatives
    )
    if problems:
        raise problems[0]


def record_decision(
    gate: Gate,
    by: User,
    outcome: str,
    resolution: str,
    decided_on: datetime.date | None = None,
    reasons: str = "",
    alternatives_considered: str = "",
    conflicts_declared: str = "",
    published_on: datetime.date | None = None,
) -> Decision:
    with transaction.atomic():
        strategy = _lock(gate.strategy)
        gate = Gate.objects.select_related("body", "meeting").get(pk=gate.pk)
        require_active(strategy)
        require_secretary(by, gate.body)
        if not gate.is_open:
            raise WorkflowError(
                f"This gate has already been decided ({gate.get_state_display().lower()})."
            )
        if gate.purpose == Purpose.CONSULT:
            raise WorkflowError("A consultation gate passes when its consultation window closes.")
        if gate.meeting is None:
            raise WorkflowError(
                "Put the gate on a meeting of the body before recording its decision."
            )
        if gate.meeting.status == Meeting.Status.CANCELLED:
            raise WorkflowError("That meeting was cancelled; put the gate on another meeting.")
        if outcome != Outcome.DEFERRED and (waiting := gate.waiting_for):
            # A body may always put an item off; any other decision waits its turn.
            raise WorkflowError(
                f"This gate waits for gates not yet passed: {name_gates(waiting)}. Until they "
                "have, the only decision that can be recorded is a deferral.",
                field="outcome",
            )
        decided_on = decided_on or gate.meeting.local_day
        check_decision(
            gate.meeting,
            outcome,
            decided_on,
            resolution,
            reasons,
            published_on,
            executive=gate.body.is_executive,
            alternatives=alternatives_considered,
        )

        revision = gate.papers_revision or take_revision(
            strategy, f"As decided by the {gate.meeting}", by=by
        )
        decision = _chain_and_save(
            Decision(
                gate=gate,
                meeting=gate.meeting,
                decided_on=decided_on,
                outcome=outcome,
                resolution=resolution.strip(),
                reasons=reasons.strip(),
                alternatives_considered=alternatives_considered.strip(),
                conflicts_declared=conflicts_declared.strip(),
                published_on=published_on,
                revision=revision,
                recorded_by=by,
            )
        )
        meeting = gate.meeting
        label = f"{gate.body}: {decision.get_outcome_display().lower()} on {decided_on:%d %b %Y}"
        if outcome in Outcome.passing():
            _move_gate(gate, Gate.State.PASSED, by, label)
        elif outcome == Outcome.DEFERRED:
            _move_gate(gate, Gate.State.PLANNED, by, label, meeting=None, papers_revision=None)
        elif outcome == Outcome.REFERRED_BACK:
            _move_gate(
                gate, Gate.State.REFERRED_BACK, by, label, meeting=None, papers_revision=None
            )
        else:
            _move_gate(gate, Gate.State.REJECTED, by, label)
        if meeting.status == Meeting.Status.SCHEDULED:
            meeting.status = Meeting.Status.HELD
            meeting._change_reason = "A decision was recorded"
            meeting.save(update_fields=["status"])
        strategy.refresh_from_db()
        if outcome == Outcome.APPROVED and gate.purpose in Purpose.final_approvals():
            strategy.editing_closed_reason = (
                f"the text was approved as final by the {gate.body} on {decided_on:%d %B %Y}. "
                f"Open a new revision to change it."
            )
            strategy._change_reason = label
            strategy.save(update_fields=["editing_closed_reason"])
        elif outcome == Outcome.APPROVED_WITH_AMENDMENTS:
            strategy.editing_closed_reason = ""
            strategy._change_reason = f"{label}: open for the amendments"
            strategy.save(update_fields=["editing_closed_reason"])
        _settle(strategy, by, label, after_decision=True)
        transaction.on_commit(
            lambda: signals.decision_recorded.send(Decision, decision_id=decision.pk, by_id=by.pk)
        )
        return decision


def correct_decision(
    decision: Decision,
    by: User,
    resolution: str,
    reasons: str = "",
    alternatives_considered: str = "",
    conflicts_declared: str = "",
    comment: str = "",
    published_on: datetime.date | None | object = KEEP,
) -> Decision:
    """Correct the wording of a recorded decision (or add the date its notice was published):
    a new record that points to the old one."""
    with transaction.atomic():
        _lock(decision.gate.strategy)
        decision = Decision.objects.select_related("gate__body", "revision").get(pk=decision.pk)
        require_secretary(by, decision.gate.body)
        if hasattr(decision, "corrected_by"):
            raise WorkflowError("This decision has already been corrected; correct the correction.")
        if published_on is KEEP:
            published_on = decision.published_on
        check_decision(
            decision.meeting,
            decision.outcome,
            decision.decided_on,
            resolution,
            reasons,
            published_on,
            executive=decision.gate.body.is_executive,
            alternatives=alternatives_considered,
        )
        correction = _chain_and_save(
            Decision(
                gate=decision.gate,
                meeting=decision.meeting,
                decided_on=decision.decided_on,
                outcome=decision.outcome,
                resolution=resolution.strip(),
                reasons=reasons.strip(),
                alternatives_considered=alternatives_considered.strip(),
                conflicts_declared=conflicts_declared.strip(),
                published_on=published_on,
                revision=decision.revision,
                recorded_by=by,
                corrects=decision,
            )
        )
        _record(
            decision.gate.strategy,
            decision.gate,
            decision.gate.state,
            decision.gate.state,
            by,
            f"Decision corrected: {comment}".strip(),
        )
        return correction


# Consultation gates ----------------------------------------------------------------------------
# A consultation is a gate of the route with purpose "consult": it is under way while its window
# is open (the strategy is out to consultation) and passes when the window closes, recording the
# result. consultation/workflow.py calls these; nothing else moves a consultation gate.


def start_consultation(
    gate: Gate, by, comment: str, closes_on: datetime.date | None = None
) -> Gate:
    with transaction.atomic():
        strategy = _lock(gate.strategy)
        require_active(strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        if gate.purpose != Purpose.CONSULT or not gate.is_open:
            raise WorkflowError("That gate is not an open consultation gate.")
        require_dependencies_passed(gate, "The consultation")
        changes = {}
        if closes_on is not None:  # the gate is due when the window closes
            changes = {"planned_date": closes_on, "planned_precision": Precision.DAY}
        _move_gate(gate, Gate.State.SCHEDULED, by, comment, **changes)
        _settle(strategy, by, comment)
        return gate


def complete_consultation(gate: Gate, by, result: str) -> Gate:
    with transaction.atomic():
        strategy = _lock(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        if gate.purpose != Purpose.CONSULT or gate.state != Gate.State.SCHEDULED:
            raise WorkflowError("That consultation gate is not under way.")
        _move_gate(gate, Gate.State.PASSED, by, result, note=result[:300])
        _settle(strategy, by, result, after_decision=True)
        return gate


# Drafting after decisions ----------------------------------------------------------------------


def resubmit(gate: Gate, by: User, comment: str = "") -> Gate:
    """Put a referred-back gate on the route again once the officers have redrafted."""
    with transaction.atomic():
        strategy = _lock(gate.strategy)
        gate = Gate.objects.select_for_update().get(pk=gate.pk)
        require_planner(by, strategy)
        if gate.state != Gate.State.REFERRED_BACK:
            raise WorkflowError("Only a gate that was referred back can be resubmitted.")
        _move_gate(gate, Gate.State.PLANNED, by, comment or "Resubmitted after redrafting")
        _settle(strategy, by, comment or "Resubmitted after redrafting")
        return gate


def open_revision(strategy: Strategy, by: User, reason: str) -> Revision:
    """Reopen approved or adopted text for change; the current text is kept as a revision."""
    with transaction.atomic():
        strategy = _lock(strategy)
        require_planner(by, strategy)
        if not reason.strip():
            raise WorkflowError("Say why the approved text is being reopened.")
        if any(g.is_open and g.papers_revision_id for g in strategy.gates.all()):
            raise WorkflowError("The papers are with a body; wait for its decision.")
        if strategy.stage not in {
            Stage.APPROVED,
            Stage.ADOPTED,
            Stage.PUBLISHED,
            Stage.IN_DELIVERY,
        }:
            raise WorkflowError("Only approved or adopted text needs a new revision to change.")
        revision = take_revision(strategy, f"Before reopening: {reason.strip()}"[:200], by=by)
        _record(strategy, None, strategy.stage, Stage.UNDER_REVIEW, by, reason)
        strategy.stage = Stage.UNDER_REVIEW
        strategy.editing_closed_reason = ""
        strategy._change_reason = f"New revision opened: {reason.strip()}"
        strategy.save(update_fields=["stage", "editing_closed_reason"])
        return revision


def withdraw(strategy: Strategy, by: User, reason: str) -> None:
    with transaction.atomic():
        strategy = _lock(strategy)
        require_planner(by, strategy)
        if not reason.strip():
            raise WorkflowError("Give the reason for withdrawing the strategy.")
        if strategy.stage == Stage.WITHDRAWN:
            raise WorkflowError("This strategy has already been withdrawn.")
        for gate in strategy.gates.filter(state__in=Gate.State.open_values()):
            _move_gate(gate, Gate.State.REMOVED, by, f"Strategy withdrawn: {reason}", meeting=None)
        _record(strategy, None, strategy.stage, Stage.WITHDRAWN, by, reason)
        strategy.stage = Stage.WITHDRAWN
        strategy.editing_closed_reason = ""
        strategy._change_reason = f"Withdrawn: {reason.strip()}"
        strategy.save(update_fields=["stage", "editing_closed_reason"])


# Publication -----------------------------------------------------------------------------------


def adopting_decisions(strategy: Strategy) -> list[Decision]:
    """The passing decisions at the gates that approved and adopted the strategy."""
    return list(
        Decision.objects.filter(
            gate__strategy=strategy,
            gate__purpose__in=Purpose.final_approvals() | {Purpose.ADOPT},
            outcome__in=Outcome.passing(),
        ).select_related("gate__body__organisation")
    )


def publication_refusal(strategy: Strategy, by: User, today: datetime.date | None = None) -> str:
    """Why `by` may not publish `strategy` now, or "" if they may."""
    from .dates import long_date
    from .deadlines import call_in

    if not (by.is_administrator or strategy.is_lead_officer(by)):
        return "Only officers of the lead organisation (or an administrator) publish a strategy."
    if strategy.stage != Stage.ADOPTED:
        return (
            f"Only an adopted strategy can be published; this one is "
            f"{strategy.get_stage_display().lower()}."
        )
    today = today or timezone.localdate()
    running = [c for d in adopting_decisions(strategy) if (c := call_in(d)) and c.is_running(today)]
    if running:
        last = max(running, key=lambda c: c.ends_on)
        return (
            f"The adopting decision is subject to call-in until the end of "
            f"{long_date(last.ends_on)}; publish it from {long_date(last.takes_effect_on)}."
        )
    return ""


def publish(strategy: Strategy, by: User) -> Revision:
    """Publish adopted text once it has taken effect: the text is frozen as the revision the
    public page shows (so later drafting never leaks), and the stage moves to published."""
    with transaction.atomic():
        strategy = _lock(strategy)
        refusal = publication_refusal(strategy, by)
        if refusal:
            raise WorkflowError(refusal)
        revision = take_revision(strategy, PUBLISHED_LABEL, by=by)
        _record(strategy, None, strategy.stage, Stage.PUBLISHED, by, "Published")
        strategy.stage = Stage.PUBLISHED
        strategy._change_reason = f"Published as revision {revision.number}"
        strategy.save(update_fields=["stage"])
        return revision
