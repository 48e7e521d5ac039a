"""What a decision's record says besides its outcome and wording, as councils keep it: the date
at the precision the minutes give (the day, or only the month), the minute's and the decision
notice's references, and whether it was recorded after the fact from the council's records
(a route brought into Waymark half-way). decisions.py records and corrects decisions with these;
the forms ask the same rules through decision_problems.
"""

from __future__ import annotations

import datetime

from ..dates import Precision, describe
from ..models import Decision, Gate, Meeting
from .common import WorkflowError

PRECISIONS = {Precision.DAY, Precision.MONTH}


def decision_day(
    decided_on: datetime.date, precision: str, meeting: Meeting | None
) -> datetime.date:
    """The day a decision is kept on. A decision known only to its month is kept on the first
    day of that month it can have been taken: the 1st, or its meeting's day when the meeting
    falls in that month (a decision is never dated before its meeting). Every page quotes it
    as the month (`Decision.decided_when`)."""
    if precision != Precision.MONTH:
        return decided_on
    day = decided_on.replace(day=1)
    if meeting is not None:
        held = meeting.local_day
        if (held.year, held.month) == (day.year, day.month) and held > day:
            return held
    return day


def record_problems(
    precision: str, recorded_later: bool, recorded_from: str
) -> list[WorkflowError]:
    """The rules of the record's precision and provenance, each for its field: a date is known
    to the day or to the month, and a decision recorded after the fact says where from (only
    such a decision does)."""
    problems = []
    if precision not in PRECISIONS:
        problems.append(
            WorkflowError(
                "Say whether the date is known to the day or only to the month.",
                field="decided_precision",
            )
        )
    if recorded_later and not recorded_from.strip():
        problems.append(
            WorkflowError(
                "Say where the decision was taken from, e.g. “the minutes of the Cabinet of "
                "13 September 2017”.",
                field="recorded_from",
            )
        )
    elif recorded_from.strip() and not recorded_later:
        problems.append(
            WorkflowError(
                "Only a decision recorded after the fact says where it was taken from: tick "
                "“Recorded after the fact”, or leave this empty.",
                field="recorded_from",
            )
        )
    return problems


def record_fields(
    meeting: Meeting | None,
    decided_on: datetime.date,
    decided_precision: str,
    minute_reference: str,
    decision_notice_reference: str,
    recorded_later: bool,
    recorded_from: str,
) -> dict:
    """The decision's fields of this record, as kept: the day at its precision, the references
    trimmed, and "from" only for a decision recorded after the fact."""
    return {
        "decided_on": decision_day(decided_on, decided_precision, meeting),
        "decided_precision": decided_precision,
        "minute_reference": minute_reference.strip(),
        "decision_notice_reference": decision_notice_reference.strip(),
        "recorded_later": recorded_later,
        "recorded_from": recorded_from.strip() if recorded_later else "",
    }


# What a correction may give besides the wording (decisions.correct_decision's `record`), in
# the order of record_fields.
CORRECTABLE = [
    "decided_on",
    "decided_precision",
    "minute_reference",
    "decision_notice_reference",
    "recorded_later",
    "recorded_from",
]


def corrected(decision: Decision, given: dict, keep: object) -> dict:
    """The record as a correction gives it: each of CORRECTABLE as given, or as `decision` has
    it when not given (left out, `keep` or None; an empty reference is given, and clears it)."""
    if unknown := set(given) - set(CORRECTABLE):
        raise TypeError(f"correct_decision() got unexpected arguments: {sorted(unknown)}")
    return {
        name: getattr(decision, name) if given.get(name, keep) in (keep, None) else given[name]
        for name in CORRECTABLE
    }


def decision_label(gate: Gate, decision: Decision) -> str:
    """How the move a decision makes is named in the route's moves and the gate's history:
    "Cabinet: approved on 13 Sep 2017 (Minute 34/17, decision notice CAB/2017/12)", "… in
    March 2017 (recorded after the fact, from the minutes of …)"."""
    outcome = decision.get_outcome_display().lower()
    if decision.decided_precision == Precision.DAY:
        label = f"{gate.body}: {outcome} on {decision.decided_on:%d %b %Y}"
    else:
        label = f"{gate.body}: {outcome} in {describe(decision.decided_on, Precision.MONTH)}"
    references = [
        ref
        for ref in (
            decision.minute_cited,
            decision.decision_notice_reference
            and f"decision notice {decision.decision_notice_reference}",
        )
        if ref
    ]
    if references:
        label += f" ({', '.join(references)})"
    if decision.recorded_later:
        label += f" (recorded after the fact, from {decision.recorded_from})"
    return label
