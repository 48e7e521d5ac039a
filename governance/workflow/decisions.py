"""Decisions: recording what a body decided at a gate, and correcting the record (a new record
that points to the one it corrects); and the rules a decision's record must keep. Each record
is chained to the one before by its hash (chain.py); its date's precision, references and
provenance follow records.py.

Each move has a check, `<move>_refusal(user, ...)`, that says why this person may not make it
now, or None; the move asks it again under the lock. What the decision says (its outcome,
date and wording) is checked by the move, every problem at once for the form
(decision_problems).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from strategies.models import Priority, User
from strategies.revisions import take_revision

from .. import signals
from ..dates import Precision, describe, first_day, latest_day
from ..models import Decision, Gate, Meeting, Purpose
from .approved_parts import approved_parts_problems, carry_approved_parts, keep_approved_parts
from .chain import chain_and_save
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
from .records import (
    corrected,
    decision_day,
    decision_label,
    record_fields,
    record_problems,
)
from .scrutiny import outcome_refusal, settling_outcomes

KEEP = object()  # an argument left as it was


# What a decision's record must say -------------------------------------------------------------

# What an executive decision's record must give (SI 2012/2089 reg 13), in the rules' own words.
REASONS_NEEDED = "An executive decision's record gives its reasons (SI 2012/2089 reg 13)."
ALTERNATIVES_NEEDED = (
    "Give the alternatives considered and rejected, or say there were none (SI 2012/2089 reg 13)."
)


def awaited_days(gate: Gate) -> list[tuple[datetime.date, str]]:
    """When what `gate` waits for happened, for those of its gates that have passed: the
    decision that passed each (at the precision the minutes give, so "March 2017" counts
    from 1 March), or for a consultation the day its window closed, which
    `complete_consultation` keeps as the gate's date. Each with the sentence that refuses a
    decision dated before it. Reads `waits_for` as prefetched, if they are."""
    passed = {
        g.pk: g for g in gate.waits_for.all() if g.state == Gate.State.PASSED and g.pk != gate.pk
    }
    days = []
    for waited in passed.values():
        if waited.purpose == Purpose.CONSULT and waited.planned_date:
            closed = waited.planned
            days.append(
                (
                    first_day(waited.planned_date, waited.planned_precision),
                    f"The consultation it waits for closed on {closed}; this decision cannot "
                    f"be earlier.",
                )
            )
    decided = (
        Decision.objects.filter(gate_id__in=passed, outcome__in=settling_outcomes())
        .values("gate_id", "decided_precision")
        .annotate(day=Max("decided_on"))
        if passed
        else []
    )
    for row in decided:
        body, precision = passed[row["gate_id"]].body, row["decided_precision"]
        on = "on" if precision == Precision.DAY else "in"
        days.append(
            (
                first_day(row["day"], precision),
                f"The {body}'s decision it waits for was taken {on} "
                f"{describe(row['day'], precision)}; this one cannot be earlier.",
            )
        )
    return sorted(days, key=lambda day: day[0])


def before_awaited_refusal(
    gate: Gate, outcome: str, decided_on: datetime.date | None, precision: str = Precision.DAY
) -> str | None:
    """Why a decision at `gate` cannot be dated `decided_on`, or None: not before the decisions
    of the gates it waits for, nor before the close of a consultation it waits for (a date
    known only to its month is refused only when the whole month is before). A deferral is
    left alone: a body may put an item off at a meeting held before what it waits for (a
    scrutiny committee meeting ahead of Cabinet's decision)."""
    if decided_on is None or outcome == Outcome.DEFERRED:
        return None
    latest = latest_day(decided_on, precision) if precision == Precision.MONTH else decided_on
    late = [sentence for day, sentence in awaited_days(gate) if latest < day]
    return late[-1] if late else None


def decision_problems(
    meeting: Meeting | None,
    outcome: str,
    decided_on: datetime.date | None,
    resolution: str,
    reasons: str,
    published_on: datetime.date | None = None,
    executive: bool = False,
    alternatives: str = "",
    gate: Gate | None = None,
    precision: str = Precision.DAY,
    recorded_later: bool = False,
    recorded_from: str = "",
) -> list[WorkflowError]:
    """Every rule a decision breaks, each for its field; the form shows them all at once.
    An executive decision's record must give its reasons and the alternatives considered and
    rejected (SI 2012/2089 regs 12-13). With its `gate`, a decision is dated no earlier than
    what the gate waits for (before_awaited_refusal). Without a date (not given, or not a date)
    the rules on dates are left to the form's own message. A date known only to its month is
    checked as the day it is kept on (records.decision_day), and the record says where it was
    taken from when it was recorded after the fact (records.record_problems)."""
    problems = record_problems(precision, recorded_later, recorded_from)
    if decided_on is not None:
        decided_on = decision_day(decided_on, precision, meeting)
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
    elif gate is not None and (
        refusal := before_awaited_refusal(gate, outcome, decided_on, precision)
    ):
        problems.append(WorkflowError(refusal, field="decided_on"))
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
    gate: Gate | None = None,
    **record,
) -> None:
    """Raise the first of decision_problems; `record` is its precision and provenance."""
    problems = decision_problems(
        meeting,
        outcome,
        decided_on,
        resolution,
        reasons,
        published_on,
        executive,
        alternatives,
        gate=gate,
        **record,
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
    decided_precision: str | None = None,
    minute_reference: str = "",
    decision_notice_reference: str = "",
    recorded_later: bool = False,
    recorded_from: str = "",
    approved_parts: Iterable[Priority] = (),
) -> Decision:
    """Record what the body decided at `gate`. The date is known to the day, or only to the
    month (`decided_precision`; by default as exactly as the meeting's date is known); a
    decision entered from the council's records after the fact says where from. A decision
    that approves only named priorities (`approved_parts`) keeps them in the words approved,
    and does not close the whole text as final (approved_parts.py)."""
    approved_parts = list(approved_parts)
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_related("body", "meeting").with_waits_for().get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(record_decision_refusal(by, gate))
        refuse_if(outcome_refusal(gate, outcome), field="outcome")
        if outcome != Outcome.DEFERRED and (waiting := gate.waiting_for):
            # A body may always put an item off; any other decision waits its turn.
            raise WorkflowError(
                f"This gate waits for gates not yet passed: {name_gates(waiting)}. Until they "
                "have, the only decision that can be recorded is a deferral.",
                field="outcome",
            )
        decided_on = decided_on or gate.meeting.local_day
        precision = decided_precision or gate.meeting.date_precision
        check_decision(
            gate.meeting,
            outcome,
            decided_on,
            resolution,
            reasons,
            published_on,
            executive=gate.body.is_executive,
            alternatives=alternatives_considered,
            gate=gate,
            precision=precision,
            recorded_later=recorded_later,
            recorded_from=recorded_from,
        )
        refuse_if(decision_day_refusal(gate), field="decided_on")
        if problems := approved_parts_problems(strategy, outcome, approved_parts):
            raise problems[0]

        label = f"As decided by the {gate.meeting}"
        if recorded_later:  # the text decided on then is not in Waymark: say what this is
            label = f"The text when the {gate.meeting}'s decision was recorded after the fact"
        revision = gate.papers_revision or take_revision(strategy, label, by=by)
        decision = chain_and_save(
            Decision(
                gate=gate,
                meeting=gate.meeting,
                **record_fields(
                    gate.meeting,
                    decided_on,
                    precision,
                    minute_reference,
                    decision_notice_reference,
                    recorded_later,
                    recorded_from,
                ),
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
        keep_approved_parts(decision, approved_parts)
        meeting = gate.meeting
        label = decision_label(gate, decision)
        if outcome in settling_outcomes():  # comments settle it without approving (scrutiny.py)
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
        whole_text = not approved_parts  # parts approved leave the rest still to be written
        if outcome == Outcome.APPROVED and gate.purpose in Purpose.final_approvals() and whole_text:
            strategy.editing_closed_reason = (
                f"the text was approved as final by the {gate.body} {decision.decided_on_or_in}. "
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
    **record,
) -> Decision:
    """Correct the wording of a recorded decision (or add the date its notice was published):
    a new record that points to the old one. `record` may also correct its date and how
    exactly it is known (`decided_on`, `decided_precision`), add or fix its references
    (`minute_reference`, `decision_notice_reference`) and say it was recorded after the fact
    (`recorded_later`, `recorded_from`); what is not given (or KEEP) stays as it was."""
    with transaction.atomic():
        lock_strategy(decision.gate.strategy)
        decision = Decision.objects.select_related("gate__body", "revision", "meeting").get(
            pk=decision.pk
        )
        refuse_if(correct_decision_refusal(by, decision))
        if published_on is KEEP:
            published_on = decision.published_on
        kept = corrected(decision, record, KEEP)
        check_decision(
            decision.meeting,
            decision.outcome,
            kept["decided_on"],
            resolution,
            reasons,
            published_on,
            executive=decision.gate.body.is_executive,
            alternatives=alternatives_considered,
            precision=kept["decided_precision"],
            recorded_later=kept["recorded_later"],
            recorded_from=kept["recorded_from"],
        )
        correction = chain_and_save(
            Decision(
                gate=decision.gate,
                meeting=decision.meeting,
                **record_fields(decision.meeting, **kept),
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
        carry_approved_parts(decision, correction)
        record_transition(
            decision.gate.strategy,
            decision.gate,
            decision.gate.state,
            decision.gate.state,
            by,
            f"Decision corrected: {comment}".strip(),
        )
        return correction
