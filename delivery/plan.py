"""The moves of a strategy's delivery plan: add, change, complete and remove an action's
milestones; record a progress update, and correct one. The only code that writes them (the
browser's pages, the admin and the demo call these), and the only code after adoption that
writes an action's status and RAG, which follow its latest update.

Each move has a check that says why a person may not make it now (or None), which the pages ask
before offering it; the move asks it again with the strategy's row locked, in one transaction,
and records who made it and why in the history (`_history_user`, `_change_reason`).

Who: the planners of the strategy (its lead organisation's officers, and administrators:
governance's `is_planner_of`). When: never for a withdrawn or superseded strategy; milestones
from the first draft (a plan is made before it is approved), progress updates once it is
approved (`UPDATE_STAGES`)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from governance.dates import long_date
from governance.workflow import WorkflowError, is_planner_of, refuse_if
from strategies.models import Action, Strategy, User

from .models import Milestone, ProgressUpdate

Stage = Strategy.Stage

# The stages in which progress is reported: approved and after, until it is closed.
UPDATE_STAGES = {
    Stage.APPROVED,
    Stage.ADOPTED,
    Stage.PUBLISHED,
    Stage.IN_DELIVERY,
    Stage.UNDER_REVIEW,
}
# The RAG ratings from worst to best: a trend is better or worse by this order.
RAG_ORDER = [Action.Rag.RED, Action.Rag.AMBER, Action.Rag.GREEN]


def strategy_of(action: Action) -> Strategy:
    return action.objective.priority.strategy


# Checks ----------------------------------------------------------------------------------------


def plan_refusal(user: User | None, strategy: Strategy) -> str | None:
    """Why `user` may not change `strategy`'s delivery plan at all, or None: its planners may,
    while it is not withdrawn or superseded."""
    if strategy.route_is_closed:
        return (
            f"This strategy is {strategy.get_stage_display().lower()}: its delivery plan is closed."
        )
    if user is None or not user.is_authenticated or not is_planner_of(user, strategy):
        return (
            "Only officers of the lead organisation (or an administrator) can keep this "
            "strategy's delivery plan."
        )
    return None


def milestone_refusal(user: User | None, strategy: Strategy) -> str | None:
    """Why `user` may not add, change, complete or remove milestones of `strategy` now: from
    the first draft on, for its planners."""
    return plan_refusal(user, strategy)


def update_refusal(user: User | None, strategy: Strategy) -> str | None:
    """Why `user` may not record (or correct) a progress update of `strategy` now: its planners
    may, once it is approved."""
    if refusal := plan_refusal(user, strategy):
        return refusal
    if strategy.stage not in UPDATE_STAGES:
        return (
            f"Progress is reported once the strategy is approved; it is "
            f"{strategy.get_stage_display().lower()}."
        )
    return None


def complete_refusal(milestone: Milestone) -> str | None:
    if milestone.completed_on is not None:
        return f"This milestone was completed on {long_date(milestone.completed_on)}."
    return None


def removal_refusal(milestone: Milestone) -> str | None:
    """A completed milestone is part of the record of delivery: it stays (its completion date
    can be cleared, by editing it, if it was marked complete by mistake)."""
    if milestone.completed_on is not None:
        return (
            "A completed milestone is part of the record of delivery and cannot be removed. "
            "If it was marked complete by mistake, edit it and clear its completion date."
        )
    return None


# What each must be, beside the field it belongs to ---------------------------------------------


def milestone_problems(milestone: Milestone, today: datetime.date | None = None) -> list:
    """A milestone has a title and a due date; it is not completed in the future."""
    today = today or timezone.localdate()
    problems = []
    if not (milestone.title or "").strip():
        problems.append(WorkflowError("Give the milestone a title.", "title"))
    if milestone.due_on is None:
        problems.append(WorkflowError("Give the day the milestone is due.", "due_on"))
    if milestone.completed_on is not None and milestone.completed_on > today:
        problems.append(
            WorkflowError("A milestone cannot be completed on a day still to come.", "completed_on")
        )
    return problems


def update_problems(
    update: ProgressUpdate, strategy: Strategy, today: datetime.date | None = None
) -> list:
    """An update describes a day from the strategy's first year to today, with a status and a
    RAG rating of the action's choices; a complete action is not rated red."""
    today = today or timezone.localdate()
    problems = []
    if update.as_of is None:
        problems.append(WorkflowError("Give the day the update describes.", "as_of"))
    elif update.as_of > today:
        problems.append(WorkflowError("An update describes a day that has come.", "as_of"))
    elif update.as_of.year < strategy.start_year:
        problems.append(
            WorkflowError(
                f"An update describes a day of the strategy's period, which starts in "
                f"{strategy.start_year}.",
                "as_of",
            )
        )
    if update.status not in Action.Status.values:
        problems.append(WorkflowError("Choose the action's status.", "status"))
    if update.rag not in ("", *Action.Rag.values):
        problems.append(WorkflowError("Choose a RAG rating, or none.", "rag"))
    if update.status == Action.Status.COMPLETE and update.rag == Action.Rag.RED:
        problems.append(WorkflowError("A complete action cannot be rated red.", "rag"))
    return problems


def correction_reason_problem(reason: str) -> WorkflowError | None:
    if not reason.strip():
        return WorkflowError(
            "Say why the update is corrected: the reason is kept in its history.", "reason"
        )
    return None


def _raise_first(problems: list) -> None:
    if problems:
        raise problems[0]


# Shared steps ----------------------------------------------------------------------------------


def _lock(action: Action) -> tuple[Action, Strategy]:
    """The action and its strategy as they are now, both rows locked until the move ends: two
    moves of one strategy's plan take turns."""
    strategy = (
        Strategy.objects.select_for_update(of=("self",))
        .filter(priorities__objectives__actions__pk=action.pk)
        .first()
    )
    if strategy is None:
        raise WorkflowError("This action is no longer in the strategy.")
    locked = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    return locked, strategy


def _because(done: str, reason: str) -> str:
    reason = reason.strip()
    return f"{done}: {reason}" if reason else done


def follow_latest_update(action: Action, by: User | None, reason: str) -> Action:
    """The action's own status and RAG become its latest update's (by the day it describes),
    with a history row of the action that says so. Call it in the move's transaction."""
    latest = action.updates.order_by("-as_of", "-pk").first()
    if latest is None or (action.status, action.rag) == (latest.status, latest.rag):
        return action
    action.status, action.rag = latest.status, latest.rag
    action.version += 1  # a content form opened before this is refused, not overwriting it
    action._history_user = by
    action._change_reason = (
        f"Status and RAG from the progress update of {long_date(latest.as_of)} ({reason})"
    )
    action.save(update_fields=["status", "rag", "version"])
    return action


# Milestones ------------------------------------------------------------------------------------


def save_milestone(milestone: Milestone, by: User, reason: str = "") -> Milestone:
    """Add `milestone` (unsaved) to its action, or save the changes typed into it. A form that
    edits it checks its version (strategies/concurrency.py) in the same transaction."""
    with transaction.atomic():
        action, strategy = _lock(milestone.action)
        if milestone.pk and not Milestone.objects.filter(pk=milestone.pk, action=action).exists():
            raise WorkflowError("This milestone has been removed, or belongs to another action.")
        refuse_if(milestone_refusal(by, strategy))
        _raise_first(milestone_problems(milestone))
        milestone._history_user = by
        milestone._change_reason = _because(
            "Milestone changed" if milestone.pk else "Milestone added", reason
        )
        milestone.save()
        return milestone


def complete_milestone(
    milestone: Milestone, by: User, on: datetime.date | None = None, reason: str = ""
) -> Milestone:
    """Mark `milestone` done on `on` (today unless given)."""
    with transaction.atomic():
        _action, strategy = _lock(milestone.action)
        refuse_if(milestone_refusal(by, strategy))
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        refuse_if(complete_refusal(milestone))
        milestone.completed_on = on or timezone.localdate()
        _raise_first(milestone_problems(milestone))
        milestone.version += 1
        milestone._history_user = by
        milestone._change_reason = _because("Milestone completed", reason)
        milestone.save(update_fields=["completed_on", "version"])
        return milestone


def remove_milestone(milestone: Milestone, by: User, reason: str = "") -> None:
    with transaction.atomic():
        _action, strategy = _lock(milestone.action)
        refuse_if(milestone_refusal(by, strategy))
        milestone = Milestone.objects.select_for_update().filter(pk=milestone.pk).first()
        if milestone is None:
            return  # removed a moment ago by someone else: what was asked is done
        refuse_if(removal_refusal(milestone))
        milestone._history_user = by
        milestone._change_reason = _because("Milestone removed", reason)
        milestone.delete()


# Progress updates ------------------------------------------------------------------------------


def record_update(update: ProgressUpdate, by: User, reason: str = "") -> ProgressUpdate:
    """Record how `update.action` stood on `update.as_of`; the action's status and RAG follow
    its latest update."""
    with transaction.atomic():
        action, strategy = _lock(update.action)
        refuse_if(update_refusal(by, strategy))
        _raise_first(update_problems(update, strategy))
        update.action = action
        update.recorded_by = by
        update.recorded_at = timezone.now()
        update._history_user = by
        update._change_reason = _because("Progress update recorded", reason)
        update.save()
        follow_latest_update(action, by, f"recorded by {by.display_name}")
        return update


def correct_update(
    update: ProgressUpdate, by: User, reason: str, seen: int | None = None
) -> ProgressUpdate:
    """Save the corrections typed into `update` (its day, status, RAG or commentary), with the
    reason, which its history keeps with who corrected it; who recorded it first stays. `seen`
    is the update's newest history row when the form was opened: if someone has corrected it
    since, the correction is refused rather than writing over theirs."""
    with transaction.atomic():
        action, strategy = _lock(update.action)
        refuse_if(update_refusal(by, strategy))
        stored = ProgressUpdate.objects.select_for_update().filter(pk=update.pk).first()
        if stored is None or stored.action_id != action.pk:
            raise WorkflowError("This update is not on record for this action.")
        if seen is not None and latest_history_id(stored) != seen:
            raise WorkflowError(
                "Someone corrected this update while you were correcting it. Nothing has been "
                "overwritten: read their correction, then correct it again if you still need to."
            )
        if problem := correction_reason_problem(reason):
            raise problem
        _raise_first(update_problems(update, strategy))
        update.recorded_by_id, update.recorded_at = stored.recorded_by_id, stored.recorded_at
        update._history_user = by
        update._change_reason = f"Corrected: {reason.strip()}"
        update.save()
        follow_latest_update(action, by, f"corrected by {by.display_name}")
        return update


def latest_history_id(update: ProgressUpdate) -> int | None:
    """The newest history row of `update`: what a correction form remembers it saw."""
    return update.history.order_by("-history_id").values_list("history_id", flat=True).first()
