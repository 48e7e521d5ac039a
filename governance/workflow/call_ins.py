"""Call-in of an executive decision (Local Government Act 2000 s9F; the constitution): recording
that a decision was called in, and what came of it.

The call-in belongs to the decision as first recorded (a correction keeps it). While it waits to
be heard, or after scrutiny refers it to full council, the decision does not take effect
(governance.deadlines.CallIn). "No further action" lets it take effect on the day of that
outcome. "Referred back" sends the decision back to the decision maker: the gate it passed
cannot be decided again (a gate has one final decision, a database rule), so it is taken off
the route and a new gate of the same body and purpose takes its place, waited for by whatever
waited for it; the strategy's stage follows from the gates (common.settle).

Each move has a check, `<move>_refusal(user, ...)`, that says why not, or None; the move asks
it again under the lock, then checks the dates it is given, each for its field.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from strategies.models import User

from ..dates import long_date
from ..deadlines import call_in, called_in_words
from ..models import Body, CallIn, Decision, Gate, GateDependency
from .common import (
    Outcome,
    WorkflowError,
    active_refusal,
    is_secretary_of,
    lock_strategy,
    move_gate,
    record_transition,
    refuse_if,
    settle,
)

Heard = CallIn.Outcome


def first_record(decision: Decision) -> Decision:
    """The decision as first recorded, which a call-in belongs to (a correction points back)."""
    while decision.corrects_id:
        decision = decision.corrects
    return decision


def recorded_call_in(decision: Decision) -> CallIn | None:
    """The call-in of `decision` (of its first record), or None."""
    try:
        return first_record(decision).call_in
    except CallIn.DoesNotExist:
        return None


def _may_keep_call_ins(user: User, body: Body) -> bool:
    """An administrator, a secretary of the decision's body, or a secretary of a scrutiny
    committee of the same organisation: who hears a call-in keeps its record too."""
    if is_secretary_of(user, body):
        return True
    return (
        user.role == User.Role.SECRETARY
        and Body.objects.filter(
            organisation_id=body.organisation_id,
            kind=Body.Kind.SCRUTINY,
            secretary_links__user=user,
        ).exists()
    )


def _keeper_refusal(user: User, body: Body) -> str | None:
    if not _may_keep_call_ins(user, body):
        return (
            f"Only a secretary of the {body} or of a scrutiny committee of "
            f"{body.organisation.display_name} (or an administrator) can record a call-in."
        )
    return None


# Recording a call-in ---------------------------------------------------------------------------


def record_call_in_refusal(user: User, decision: Decision) -> str | None:
    """Why `user` may not record that `decision` was called in, or None. Whether the dates
    allow it is the move's to say (it needs them)."""
    decision = first_record(decision)
    gate = decision.gate
    if refusal := active_refusal(gate.strategy) or _keeper_refusal(user, gate.body):
        return refusal
    if not gate.body.is_executive:
        return f"Only an executive decision can be called in; the {gate.body} is not executive."
    if decision.outcome not in Outcome.passing():
        return (
            f"Only a decision that lets the gate pass can be called in; this one was "
            f"“{decision.get_outcome_display().lower()}”."
        )
    if existing := recorded_call_in(decision):
        when = f" (on {long_date(existing.called_in_on)})" if existing.called_in_on else ""
        return f"This decision has already been called in{when}."
    if gate.state != Gate.State.PASSED:
        return f"This gate is no longer passed ({gate.get_state_display().lower()})."
    return None


def call_in_date_problems(
    decision: Decision,
    called_in_on: datetime.date | None,
    recorded_later: bool,
    recorded_from: str,
    today: datetime.date | None = None,
) -> list[WorkflowError]:
    """Every rule the call-in's date and provenance break, each for its field: within the call-in
    period (from the decision, or its notice, to the period's end); while the period runs unless
    recorded after the fact, which says where from."""
    today = today or timezone.localdate()
    problems = []
    if recorded_later and not recorded_from.strip():
        problems.append(
            WorkflowError(
                "Say where the call-in was taken from, e.g. “the minutes of the Scrutiny "
                "Committee of 20 April 2023”.",
                field="recorded_from",
            )
        )
    elif recorded_from.strip() and not recorded_later:
        problems.append(
            WorkflowError(
                "Tick “recorded after the fact” to say where it was taken from.",
                field="recorded_later",
            )
        )
    period = call_in(decision)
    if called_in_on is None:
        if not recorded_later:
            problems.append(WorkflowError("Give the day it was called in.", "called_in_on"))
        return problems
    if period is None:
        return problems
    if called_in_on > today:
        problems.append(WorkflowError("A call-in cannot be dated in the future.", "called_in_on"))
    elif called_in_on < period.published_on:
        start = "decision" if period.counted_from_decision else "decision notice"
        problems.append(
            WorkflowError(
                f"A call-in cannot be made before the {start} of {long_date(period.published_on)}.",
                "called_in_on",
            )
        )
    elif called_in_on > period.ends_on:
        problems.append(
            WorkflowError(
                f"The call-in period ended at the end of {long_date(period.ends_on)} "
                f"({period.working_days} working days after {long_date(period.published_on)}); "
                f"a call-in on {long_date(called_in_on)} is too late.",
                "called_in_on",
            )
        )
    elif not recorded_later and today > period.ends_on:
        problems.append(
            WorkflowError(
                f"The call-in period ended at the end of {long_date(period.ends_on)}; record a "
                f"call-in made within it as recorded after the fact, saying where from.",
                "recorded_later",
            )
        )
    return problems


def record_call_in(
    decision: Decision,
    by: User,
    called_in_on: datetime.date | None,
    called_in_by: str,
    recorded_later: bool = False,
    recorded_from: str = "",
) -> CallIn:
    """Record that `decision` was called in on `called_in_on` by `called_in_by` (as the records
    name them). It waits to be heard (outcome pending); the decision does not take effect.
    Recorded after the fact, the day may be left out where the records do not give it."""
    with transaction.atomic():
        strategy = lock_strategy(decision.gate.strategy)
        decision = first_record(
            Decision.objects.select_related("gate__body__organisation", "corrects").get(
                pk=decision.pk
            )
        )
        decision.gate.strategy = strategy
        refuse_if(record_call_in_refusal(by, decision))
        if not called_in_by.strip():
            raise WorkflowError("Say who called it in, as the records do.", "called_in_by")
        for problem in call_in_date_problems(decision, called_in_on, recorded_later, recorded_from):
            raise problem
        row = CallIn(
            decision=decision,
            called_in_on=called_in_on,
            called_in_by=called_in_by.strip(),
            recorded_later=recorded_later,
            recorded_from=recorded_from.strip(),
            recorded_by=by,
            recorded_at=timezone.now(),
        )
        row._change_reason = called_in_words(called_in_on)
        row.save()
        return row


# What came of it -------------------------------------------------------------------------------


def record_call_in_outcome_refusal(user: User, call_in_row: CallIn) -> str | None:
    """Why `user` may not record what came of `call_in_row` now, or None. A call-in referred to
    full council gets one more outcome: the council's (no further action, or referred back)."""
    gate = call_in_row.decision.gate
    if refusal := active_refusal(gate.strategy) or _keeper_refusal(user, gate.body):
        return refusal
    if call_in_row.outcome not in {Heard.PENDING, Heard.REFERRED_TO_COUNCIL}:
        return f"What came of this call-in is recorded: {call_in_row.get_outcome_display()}."
    if gate.state != gate.State.PASSED:
        return (
            f"The gate this decision passed is now {gate.get_state_display().lower()}, so "
            f"what came of the call-in can no longer change it."
        )
    return None


def _outcome_problems(
    row: CallIn, outcome: str, heard_by: Body | None, heard_on: datetime.date | None
) -> list[WorkflowError]:
    problems = []
    allowed = {Heard.NO_FURTHER_ACTION, Heard.REFERRED_BACK}
    if row.outcome == Heard.PENDING:
        allowed.add(Heard.REFERRED_TO_COUNCIL)
    if row.recorded_later:
        allowed.add(Heard.NOT_ON_RECORD)
    if outcome == Heard.NOT_ON_RECORD and not row.recorded_later:
        problems.append(
            WorkflowError(
                "Only a call-in recorded after the fact can leave what came of it unrecorded; "
                "choose what came of it.",
                "outcome",
            )
        )
    elif outcome not in allowed:
        problems.append(WorkflowError("Choose what came of the call-in.", "outcome"))
    organisation = row.decision.gate.body.organisation_id
    if heard_by is None:
        problems.append(WorkflowError("Say which body heard it.", "heard_by"))
    elif heard_by.organisation_id != organisation:
        problems.append(
            WorkflowError("The body that heard it is of the decision's organisation.", "heard_by")
        )
    elif row.outcome == Heard.PENDING and heard_by.kind != Body.Kind.SCRUTINY:
        problems.append(WorkflowError("A scrutiny committee hears a call-in.", "heard_by"))
    earliest = row.heard_on or row.called_in_on
    if heard_on is None:
        if outcome != Heard.NOT_ON_RECORD:  # the records may not give the day of the hearing
            problems.append(WorkflowError("Give the date it was heard.", "heard_on"))
    elif heard_on > timezone.localdate():
        problems.append(WorkflowError("Record the outcome once it is known.", "heard_on"))
    elif earliest is not None and heard_on < earliest:
        after = "its referral to full council" if row.heard_on else "the call-in"
        problems.append(WorkflowError(f"It cannot have been heard before {after}.", "heard_on"))
    return problems


def record_call_in_outcome(
    call_in_row: CallIn,
    by: User,
    outcome: str,
    heard_by: Body | None,
    heard_on: datetime.date | None,
    outcome_notes: str = "",
    minute_reference: str = "",
) -> CallIn:
    """Record what came of a call-in: no further action (the decision takes effect on
    `heard_on`), referred back to the decision maker (a new gate to decide it again), or
    referred to full council (it waits for the council, whose outcome is recorded the same
    way: no further action or referred back)."""
    with transaction.atomic():
        strategy = lock_strategy(call_in_row.decision.gate.strategy)
        row = CallIn.objects.select_related("decision__gate__body__organisation").get(
            pk=call_in_row.pk
        )
        row.decision.gate.strategy = strategy
        refuse_if(record_call_in_outcome_refusal(by, row))
        for problem in _outcome_problems(row, outcome, heard_by, heard_on):
            raise problem
        label = dict(Heard.choices)[outcome]
        gate = row.decision.gate
        when = f" on {long_date(heard_on)}" if heard_on else ""
        comment = f"Call-in heard by the {heard_by}{when}: {label}"
        row.outcome, row.heard_by, row.heard_on = outcome, heard_by, heard_on
        row.outcome_notes = outcome_notes.strip()
        row.minute_reference = minute_reference.strip()
        row._change_reason = comment
        row.save()
        if outcome == Heard.REFERRED_BACK:
            _decide_again(gate, by, comment)
        settle(strategy, by, comment, after_decision=True)
        return row


def _decide_again(gate: Gate, by: User, comment: str) -> Gate:
    """Take the called-in gate off the route and put a new gate of the same body and purpose in
    its place, waiting for what it waited for and waited for by what waited for it."""
    strategy = gate.strategy
    gate = Gate.objects.with_waits_for().get(pk=gate.pk)
    gate.strategy = strategy
    again = Gate(
        strategy=strategy,
        position=strategy.gates.order_by("-position").values_list("position", flat=True)[0] + 1,
        body=gate.body,
        purpose=gate.purpose,
        note=f"To be decided again: the decision was called in and referred back ({comment})."[
            :300
        ],
        key_decision=gate.key_decision,
        forward_plan_published_on=gate.forward_plan_published_on,
        forward_plan_reference=gate.forward_plan_reference,
    )
    again._change_reason = comment
    again.save()
    for waited in gate.waits_for.all():
        link = GateDependency(from_gate=again, to_gate=waited)
        link._change_reason = comment
        link.save()
    for link in GateDependency.objects.filter(to_gate=gate):
        new_link = GateDependency(from_gate_id=link.from_gate_id, to_gate=again)
        new_link._change_reason = comment
        new_link.save()
    move_gate(gate, Gate.State.REMOVED, by, f"{comment}; to be decided again")
    record_transition(gate.strategy, again, "", again.state, by, comment)
    return again
