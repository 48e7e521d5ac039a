"""Call-in of executive decisions (Local Government Act 2000 s9F; the constitution): the period
a decision can be called in, what a recorded call-in does to when it takes effect, and whether
a strategy's adoption is still subject to call-in. governance.deadlines re-exports these."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from strategies.models import Strategy

from .dates import long_date
from .deadlines import ONE_DAY, end_of_working_days
from .models import Decision, Purpose, effective_decisions

# Call-in of executive decisions (Local Government Act 2000 s9F; the constitution) -------------


@dataclass(frozen=True)
class CallIn:
    """The call-in period of an executive decision: it ends at the end of `ends_on` and the
    decision takes effect the next day unless it has been called in. When a call-in is recorded
    (`outcome`, `called_in_on`, `heard_on` from governance.models.CallIn) the decision waits
    for it: no further action lets it take effect on the day of that outcome; referred to full
    council, it waits for the council; referred back, it does not take effect. Brought in from
    records that say it was heard but not what came of it, it no longer holds the decision,
    whose day of effect is then not on record."""

    published_on: datetime.date
    counted_from_decision: bool
    working_days: int
    ends_on: datetime.date
    outcome: str = ""  # the recorded call-in's outcome; "" when it was not called in
    called_in_on: datetime.date | None = None
    heard_on: datetime.date | None = None

    @property
    def is_held(self) -> bool:
        """Called in and not yet released: waiting to be heard, or referred to full council."""
        return self.outcome in {CALL_IN_PENDING, CALL_IN_TO_COUNCIL}

    @property
    def is_referred_back(self) -> bool:
        return self.outcome == CALL_IN_REFERRED_BACK

    @property
    def takes_effect_on(self) -> datetime.date | None:
        if self.outcome == CALL_IN_NO_FURTHER_ACTION:
            return self.heard_on
        if self.outcome == CALL_IN_NOT_ON_RECORD:
            return None
        if self.outcome:
            return None
        return self.ends_on + ONE_DAY

    def is_running(self, today: datetime.date) -> bool:
        """Whether the decision is still subject to call-in on `today` (not yet in effect)."""
        if self.is_held:
            return True
        if self.outcome == CALL_IN_NO_FURTHER_ACTION:
            return today < self.heard_on
        if self.outcome:
            return False
        return today <= self.ends_on

    @property
    def held_label(self) -> str:
        """What Strategy.stage_label adds to "Adopted, subject to call-in" while it is held."""
        if self.outcome == CALL_IN_PENDING:
            return "called in"
        if self.outcome == CALL_IN_TO_COUNCIL:
            return "referred to full council"
        return ""

    def message(self, today: datetime.date) -> str:
        start = "decision" if self.counted_from_decision else "decision notice"
        period = (
            f"{self.working_days} working days after the {start} of {long_date(self.published_on)}"
        )
        if self.outcome:
            called = called_in_words(self.called_in_on)
            heard = long_date(self.heard_on) if self.heard_on else ""
            if self.outcome == CALL_IN_NOT_ON_RECORD:
                when = f" on {heard}" if heard else ""
                return (
                    f"{called} and heard{when}; what came of it, and when the decision took "
                    f"effect, are not on record."
                )
            if self.outcome == CALL_IN_PENDING:
                return f"{called}: it does not take effect until the call-in has been heard."
            if self.outcome == CALL_IN_TO_COUNCIL:
                return (
                    f"{called} and referred to full council on {heard}: it does not take "
                    f"effect until the council has considered it."
                )
            if self.outcome == CALL_IN_NO_FURTHER_ACTION:
                verb = "takes" if self.is_running(today) else "took"
                return f"{called}; no further action on {heard}: {verb} effect on {heard}."
            return (
                f"{called} and referred back to the decision maker on {heard}: it does not take "
                f"effect, and is to be decided again."
            )
        if self.is_running(today):
            return (
                f"Subject to call-in until the end of {long_date(self.ends_on)} ({period}); "
                f"takes effect on {long_date(self.takes_effect_on)} unless called in."
            )
        effect = long_date(self.takes_effect_on)
        return f"Took effect on {effect}: the call-in period ({period}) ended."


CALL_IN_PENDING = "pending"  # governance.models.CallIn.Outcome, which this module names so
CALL_IN_NO_FURTHER_ACTION = "no_further_action"  # as not to import the models' CallIn over
CALL_IN_TO_COUNCIL = "referred_to_council"  # this module's own
CALL_IN_NOT_ON_RECORD = "not_on_record"
CALL_IN_REFERRED_BACK = "referred_back"


def called_in_words(called_in_on: datetime.date | None) -> str:
    """ "Called in on 20 October 2020", or, when the records do not give the day, "Called in
    (the day is not on record)". The one wording of a call-in's date on every page."""
    if called_in_on is None:
        return "Called in (the day is not on record)"
    return f"Called in on {long_date(called_in_on)}"


def recorded_call_in(decision, by_pk: dict | None = None):
    """The call-in recorded of `decision` (of its first record: a correction keeps it), or
    None. Reads what is loaded (select_related("call_in", "corrects__call_in"), or the first
    record among `by_pk`, the decisions read by pk) without a query."""
    while decision.corrects_id:
        decision = (by_pk or {}).get(decision.corrects_id) or decision.corrects
    try:
        return decision.call_in
    except ObjectDoesNotExist:
        return None


def call_in_period(body, start: datetime.date, counted_from_decision: bool = True) -> CallIn | None:
    """The call-in period of a decision of `body` published (or taken) on `start`: the working
    days its organisation's constitution gives, for an executive body; None for any other body,
    whose decisions take effect when taken. The one rule for decisions taken and projected."""
    if not body.is_executive:
        return None
    days = body.organisation.call_in_working_days
    return CallIn(
        published_on=start,
        counted_from_decision=counted_from_decision,
        working_days=days,
        ends_on=end_of_working_days(start, days),
    )


def call_in(decision, gate=None, by_pk: dict | None = None) -> CallIn | None:
    """The call-in period of a decision of an executive body that lets the gate pass (only
    those take effect), with its call-in if one is recorded (recorded_call_in, `by_pk` as
    there); None otherwise. Pass the decision's gate when it is already loaded."""
    from .models import Decision

    if decision.outcome not in Decision.Outcome.passing():
        return None
    period = call_in_period(
        (gate or decision.gate).body,
        decision.published_on or decision.decided_on,
        counted_from_decision=decision.published_on is None,
    )
    if period is None or (row := recorded_call_in(decision, by_pk)) is None:
        return period
    return replace(
        period, outcome=row.outcome, called_in_on=row.called_in_on, heard_on=row.heard_on
    )


def adoption_call_in(decisions, today: datetime.date) -> CallIn | None:
    """The call-in period, still running on `today`, of the decisions that adopted a strategy,
    the one that ends last; None when none is. Of `decisions` (a strategy's, with their gates'
    bodies and organisations loaded, and any corrections, in the order recorded) the adopting
    ones are those that pass a gate adopting or finally approving it (Purpose.adopting()).
    The one rule for "Adopted, subject to call-in" (Strategy.stage_label, through
    note_call_in), the projected adoption and the refusal to publish."""
    decisions = list(decisions)
    by_pk = {decision.pk: decision for decision in decisions}
    running = [
        period
        for decision in effective_decisions(decisions)
        if decision.gate.purpose in Purpose.adopting()
        and (period := call_in(decision, by_pk=by_pk))
        and period.is_running(today)
    ]
    # A decision held by its call-in outlasts any period still running.
    return max(running, key=lambda period: (period.is_held, period.ends_on), default=None)


def note_call_in(strategies, today: datetime.date | None = None, decisions=None) -> list:
    """`strategies` as a list, each adopted one told (`Strategy.call_in_until`) whether its
    adoption can still be called in (adoption_call_in), so that pages and downloads name its
    stage "Adopted, subject to call-in" while it can. Reads the decisions in one query for any
    number of strategies (none when none is adopted, or all were told already), unless given
    `decisions` already read (with their gates, as adoption_call_in needs them)."""
    today = today or timezone.localdate()
    strategies = list(strategies)
    adopted = {
        s.pk: s
        for s in strategies
        if s.stage == Strategy.Stage.ADOPTED and not getattr(s, "call_in_noted", False)
    }
    if not adopted:
        return strategies
    if decisions is None:
        decisions = (
            Decision.objects.filter(
                gate__strategy_id__in=adopted,
                gate__purpose__in=Purpose.adopting(),
                outcome__in=Decision.Outcome.passing(),
            )
            .select_related("gate__body__organisation", "call_in")
            .order_by("recorded_at", "pk")
        )
    by_strategy = defaultdict(list)
    for decision in decisions:
        by_strategy[decision.gate.strategy_id].append(decision)
    for pk, strategy in adopted.items():
        period = adoption_call_in(by_strategy[pk], today)
        strategy.call_in_until = period.ends_on if period else None
        strategy.call_in_held = period.held_label if period else ""
        strategy.call_in_noted = True
    return strategies
