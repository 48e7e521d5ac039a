"""Decisions: recording what a body decided at a gate, and correcting the record (a new record
that points to the one it corrects); the rules a decision's record must keep; and the hash
chain that lets `manage.py verify_audit` find a record changed behind the workflow's back.

Each move has a check, `<move>_refusal(user, ...)`, that says why this person may not make it
now, or None; the move asks it again under the lock. What the decision says (its outcome,
date and wording) is checked by the move, every problem at once for the form
(decision_problems).
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from strategies.models import User
from strategies.revisions import take_revision

from .. import signals
from ..dates import Precision
from ..models import Decision, Gate, Meeting, Purpose
from .common import (
    Outcome,
    WorkflowError,
    active_refusal,
    lock_strategy,
    move_gate,
    name_gates,
    record_transition,
    refuse_if,
    secretary_refusal,
    settle,
)

KEEP = object()  # an argument left as it was


# The hash chain --------------------------------------------------------------------------------


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
    # Added in December 2026, each only when it says something, for the same reason.
    if decision.decided_precision != Precision.DAY:
        record["decided_precision"] = decision.decided_precision
    for name in ("minute_reference", "decision_notice_reference", "recorded_from"):
        if getattr(decision, name):
            record[name] = getattr(decision, name)
    if decision.recorded_later:
        record["recorded_later"] = True
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


# What a decision's record must say -------------------------------------------------------------

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


# Recording a decision --------------------------------------------------------------------------


def record_decision_refusal(user: User, gate: Gate) -> str | None:
    """Why `user` may not record a decision at `gate`, or None. A gate still waiting for
    others may only be deferred: record_decision refuses any other outcome. Whether its meeting's
    day has come is asked apart (decision_day_refusal), so that a page can say "not yet" to
    someone who may record it from that day."""
    if refusal := active_refusal(gate.strategy) or secretary_refusal(user, gate.body):
        return refusal
    if not gate.is_open:
        return f"This gate has already been decided ({gate.get_state_display().lower()})."
    if gate.purpose == Purpose.CONSULT:
        return "A consultation gate passes when its consultation window closes."
    if gate.meeting is None:
        return "Put the gate on a meeting of the body before recording its decision."
    if gate.meeting.status == Meeting.Status.CANCELLED:
        return "That meeting was cancelled; put the gate on another meeting."
    return None


def decision_day_refusal(gate: Gate, today: datetime.date | None = None) -> str | None:
    """Why no decision can be recorded at `gate` yet, or None: a decision is recorded from its
    meeting's day (Meeting.day_has_come), not before. The route page, the meeting's page, the
    decision form and the dashboard all ask this; record_decision asks it too, after the
    dates typed, which keep it as well (a decision is dated neither in the future nor before
    its meeting)."""
    meeting = gate.meeting
    if meeting is not None and not meeting.day_has_come(today):
        return f"The decision can be recorded from the day of the meeting ({meeting.when})."
    return None


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
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_related("body", "meeting").get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(record_decision_refusal(by, gate))
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
        refuse_if(decision_day_refusal(gate), field="decided_on")

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
            move_gate(gate, Gate.State.PASSED, by, label)
        elif outcome == Outcome.DEFERRED:
            move_gate(gate, Gate.State.PLANNED, by, label, meeting=None, papers_revision=None)
        elif outcome == Outcome.REFERRED_BACK:
            move_gate(gate, Gate.State.REFERRED_BACK, by, label, meeting=None, papers_revision=None)
        else:
            move_gate(gate, Gate.State.REJECTED, by, label)
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
        settle(strategy, by, label, after_decision=True)
        transaction.on_commit(
            lambda: signals.decision_recorded.send(Decision, decision_id=decision.pk, by_id=by.pk)
        )
        return decision


# Correcting a decision -------------------------------------------------------------------------


def correct_decision_refusal(user: User, decision: Decision) -> str | None:
    """Why `user` may not correct `decision` now, or None. Only the latest record of a decision
    is corrected."""
    if refusal := secretary_refusal(user, decision.gate.body):
        return refusal
    if hasattr(decision, "corrected_by"):
        return "This decision has already been corrected; correct the correction."
    return None


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
        lock_strategy(decision.gate.strategy)
        decision = Decision.objects.select_related("gate__body", "revision").get(pk=decision.pk)
        refuse_if(correct_decision_refusal(by, decision))
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
        record_transition(
            decision.gate.strategy,
            decision.gate,
            decision.gate.state,
            decision.gate.state,
            by,
            f"Decision corrected: {comment}".strip(),
        )
        return correction
