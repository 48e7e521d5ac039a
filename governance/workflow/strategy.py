"""Moves of a strategy as a whole: opening a new revision of approved text, withdrawing the
strategy, and publishing adopted text once it has taken effect. These are the lead
organisation's officers' moves (administrators' too).

Each move has a check, `<move>_refusal(user, strategy)` (for publishing,
`publication_refusal(strategy, user)`), that says why this person may not make it now, or None;
the move asks it again under the lock. The reason typed is checked by the move.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from strategies.models import Revision, Strategy, User
from strategies.publication import PUBLISHED_LABEL
from strategies.revisions import take_revision

from ..dates import long_date
from ..deadlines import adoption_call_in
from ..models import Decision, Gate, Purpose
from .common import (
    Outcome,
    Stage,
    WorkflowError,
    is_planner_of,
    lock_strategy,
    move_gate,
    planner_refusal,
    record_transition,
    refuse_if,
)

# Drafting after approval -----------------------------------------------------------------------


def open_revision_refusal(user: User, strategy: Strategy) -> str | None:
    """Why `user` may not reopen `strategy`'s approved text now, or None. Reads the strategy's
    gates as prefetched, if they are."""
    if refusal := planner_refusal(user, strategy):
        return refusal
    if any(g.is_open and g.papers_revision_id for g in strategy.gates.all()):
        return "The papers are with a body; wait for its decision."
    if strategy.stage not in {
        Stage.APPROVED,
        Stage.ADOPTED,
        Stage.PUBLISHED,
        Stage.IN_DELIVERY,
    }:
        return "Only approved or adopted text needs a new revision to change."
    return None


def open_revision(strategy: Strategy, by: User, reason: str) -> Revision:
    """Reopen approved or adopted text for change; the current text is kept as a revision."""
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(open_revision_refusal(by, strategy))
        if not reason.strip():
            raise WorkflowError("Say why the approved text is being reopened.")
        revision = take_revision(strategy, f"Before reopening: {reason.strip()}"[:200], by=by)
        record_transition(strategy, None, strategy.stage, Stage.UNDER_REVIEW, by, reason)
        strategy.stage = Stage.UNDER_REVIEW
        strategy.editing_closed_reason = ""
        strategy._change_reason = f"New revision opened: {reason.strip()}"
        strategy.save(update_fields=["stage", "editing_closed_reason"])
        return revision


# Withdrawal ------------------------------------------------------------------------------------


def withdraw_refusal(user: User, strategy: Strategy) -> str | None:
    """Why `user` may not withdraw `strategy` now, or None."""
    if refusal := planner_refusal(user, strategy):
        return refusal
    if strategy.stage == Stage.WITHDRAWN:
        return "This strategy has already been withdrawn."
    return None


def withdraw(strategy: Strategy, by: User, reason: str) -> None:
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(withdraw_refusal(by, strategy))
        if not reason.strip():
            raise WorkflowError("Give the reason for withdrawing the strategy.")
        for gate in strategy.gates.filter(state__in=Gate.State.open_values()):
            move_gate(gate, Gate.State.REMOVED, by, f"Strategy withdrawn: {reason}", meeting=None)
        record_transition(strategy, None, strategy.stage, Stage.WITHDRAWN, by, reason)
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
            gate__purpose__in=Purpose.adopting(),
            outcome__in=Outcome.passing(),
        )
        .select_related("gate__body__organisation", "call_in")
        .order_by("recorded_at", "pk")
    )


def publication_refusal(
    strategy: Strategy, by: User, today: datetime.date | None = None
) -> str | None:
    """Why `by` may not publish `strategy` now, or None if they may."""
    if not is_planner_of(by, strategy):
        return "Only officers of the lead organisation (or an administrator) publish a strategy."
    if strategy.stage != Stage.ADOPTED:
        return (
            f"Only an adopted strategy can be published; this one is "
            f"{strategy.get_stage_display().lower()}."
        )
    today = today or timezone.localdate()
    if last := adoption_call_in(adopting_decisions(strategy), today):
        if last.takes_effect_on is None or last.outcome:
            return f"The adopting decision has not yet taken effect. {last.message(today)}"
        return (
            f"The adopting decision is subject to call-in until the end of "
            f"{long_date(last.ends_on)}; publish it from {long_date(last.takes_effect_on)}."
        )
    return None


def publish(strategy: Strategy, by: User) -> Revision:
    """Publish adopted text once it has taken effect: the text is frozen as the revision the
    public page shows (so later drafting never leaks), and the stage moves to published."""
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(publication_refusal(strategy, by))
        revision = take_revision(strategy, PUBLISHED_LABEL, by=by)
        record_transition(strategy, None, strategy.stage, Stage.PUBLISHED, by, "Published")
        strategy.stage = Stage.PUBLISHED
        strategy.published_on = strategy.published_on or timezone.localdate()
        strategy._change_reason = f"Published as revision {revision.number}"
        strategy.save(update_fields=["stage", "published_on"])
        return revision
