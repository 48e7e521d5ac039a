"""A strategy's life after it is published: into delivery, its review date, under review, back
into delivery when the review changes nothing, and a refresh: a new draft, copied from it, that
replaces it. When the refresh is adopted the strategy it replaces is superseded by that move
(`supersede_replaced`, called by `common.settle`). These are the lead organisation's officers'
moves (administrators' too); each is a transition row with who, when and why.

    published ──start_delivery──▶ in delivery ──start_review──▶ under review
                                       ▲                             │
                                       └────────end_review───────────┘
    published / in delivery / under review ──start_refresh──▶ (a new draft that replaces it)
    the refresh adopted ──▶ the strategy it replaces is superseded
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from strategies.copying import copy_content
from strategies.editing import create_strategy, unique_slug
from strategies.models import Revision, Strategy, User
from strategies.publication import published_revision
from strategies.revisions import content_hash, snapshot, take_revision

from ..dates import long_date
from ..models import Gate
from .common import (
    Stage,
    WorkflowError,
    lock_strategy,
    move_gate,
    planner_refusal,
    record_transition,
    refuse_if,
)

# Where each move may start.
DELIVERABLE = {Stage.PUBLISHED}
REVIEWABLE = {Stage.PUBLISHED, Stage.IN_DELIVERY}
DATED = {Stage.PUBLISHED, Stage.IN_DELIVERY, Stage.UNDER_REVIEW}
REFRESHABLE = {Stage.ADOPTED, Stage.PUBLISHED, Stage.IN_DELIVERY, Stage.UNDER_REVIEW}
LONGEST_AHEAD = 20 * 366  # days: a review date is within twenty years


def _reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(missing, field="reason")
    return reason


def review_date_problem(day: datetime.date | None, today: datetime.date | None = None) -> str:
    """What is wrong with `day` as a review date, or "": it is given, not past, and within
    twenty years."""
    today = today or timezone.localdate()
    if day is None:
        return "Give the day the strategy is due for review."
    if day < today:
        return "The review date cannot be in the past."
    if (day - today).days > LONGEST_AHEAD:
        return "The review date must be within twenty years."
    return ""


def _stage_refusal(strategy: Strategy, allowed: set[str], what: str) -> str | None:
    if strategy.stage not in allowed:
        stages = " or ".join(sorted(Stage(s).label.lower() for s in allowed))
        now = strategy.get_stage_display().lower()
        return f"Only a strategy that is {stages} {what}; this one is {now}."
    return None


def _save(strategy: Strategy, to: str | None, by: User, reason: str, fields: list[str]) -> None:
    """Save the strategy (moved to stage `to`, if given, with its transition row), its history
    row saying who and why. With no fields, the row is saved whole, unchanged: the history row
    records the move (a refresh started)."""
    if to is not None and to != strategy.stage:
        record_transition(strategy, None, strategy.stage, to, by, reason)
        strategy.stage = to
        fields = [*fields, "stage"]
    strategy._change_reason = reason
    strategy._history_user = by  # whichever door it came through
    strategy.save(update_fields=fields or None)


# Into delivery, and the review date ----------------------------------------------------------


def start_delivery_refusal(user: User, strategy: Strategy) -> str | None:
    """Why `user` may not move `strategy` into delivery now, or None."""
    return planner_refusal(user, strategy) or _stage_refusal(
        strategy, DELIVERABLE, "moves into delivery"
    )


def start_delivery(
    strategy: Strategy, by: User, review_due_on: datetime.date | None, reason: str = ""
) -> None:
    """The published strategy is being delivered; it is due for review on `review_due_on`."""
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(start_delivery_refusal(by, strategy))
        refuse_if(review_date_problem(review_due_on) or None, field="review_due_on")
        strategy.review_due_on = review_due_on
        said = (reason or "").strip() or "Delivery under way"
        _save(
            strategy,
            Stage.IN_DELIVERY,
            by,
            f"{said} (review due {long_date(review_due_on)})",
            ["review_due_on"],
        )


def set_review_date_refusal(user: User, strategy: Strategy) -> str | None:
    return planner_refusal(user, strategy) or _stage_refusal(strategy, DATED, "has a review date")


def set_review_date(
    strategy: Strategy, by: User, review_due_on: datetime.date | None, reason: str
) -> None:
    """Set (or move) the day the strategy is due for review, saying why."""
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(set_review_date_refusal(by, strategy))
        refuse_if(review_date_problem(review_due_on) or None, field="review_due_on")
        reason = _reason(reason, "Say why the review date is set or moved.")
        strategy.review_due_on = review_due_on
        _save(
            strategy,
            None,
            by,
            f"Review due {long_date(review_due_on)}: {reason}",
            ["review_due_on"],
        )


def is_review_due(strategy: Strategy, today: datetime.date | None = None) -> bool:
    """In delivery (or published) with its review date reached."""
    today = today or timezone.localdate()
    return (
        strategy.stage in REVIEWABLE
        and strategy.review_due_on is not None
        and strategy.review_due_on <= today
    )


# Under review, and back ------------------------------------------------------------------------


def start_review_refusal(user: User, strategy: Strategy) -> str | None:
    return planner_refusal(user, strategy) or _stage_refusal(
        strategy, REVIEWABLE, "can be put under review"
    )


def start_review(strategy: Strategy, by: User, reason: str) -> Revision:
    """Put the strategy under review: its text is open for change (the published text stays on
    the public page, and is kept as a revision)."""
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(start_review_refusal(by, strategy))
        reason = _reason(reason, "Say why the strategy is being reviewed.")
        revision = take_revision(strategy, f"Before review: {reason}"[:200], by=by)
        strategy.editing_closed_reason = ""
        _save(
            strategy, Stage.UNDER_REVIEW, by, f"Review started: {reason}", ["editing_closed_reason"]
        )
        return revision


def end_review_refusal(user: User, strategy: Strategy) -> str | None:
    """Why `user` may not end the review with the strategy unchanged now, or None. A review
    that changed the text takes the changes through the route instead."""
    if refusal := planner_refusal(user, strategy) or _stage_refusal(
        strategy, {Stage.UNDER_REVIEW}, "can come out of review"
    ):
        return refusal
    published = published_revision(strategy)
    if published is None:
        return "This strategy was never published: take its text through its route."
    if content_hash(snapshot(strategy)) != content_hash(published.content):
        return (
            "The text has changed since it was published: take the changes through the route, "
            "or undo them, before the strategy goes back into delivery."
        )
    return None


def end_review(
    strategy: Strategy, by: User, review_due_on: datetime.date | None, reason: str
) -> None:
    """The review changed nothing: back into delivery, with the next review date."""
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(end_review_refusal(by, strategy))
        refuse_if(review_date_problem(review_due_on) or None, field="review_due_on")
        reason = _reason(reason, "Say what the review concluded.")
        strategy.review_due_on = review_due_on
        _save(
            strategy,
            Stage.IN_DELIVERY,
            by,
            f"Review ended, strategy kept: {reason} (next review {long_date(review_due_on)})",
            ["review_due_on"],
        )


# A refresh -------------------------------------------------------------------------------------


def refresh_of(strategy: Strategy) -> Strategy | None:
    """The refresh under way that will replace `strategy` (not withdrawn), if any."""
    return strategy.replaced_by.exclude(stage=Stage.WITHDRAWN).order_by("-pk").first()


def start_refresh_refusal(user: User, strategy: Strategy) -> str | None:
    if refusal := planner_refusal(user, strategy) or _stage_refusal(
        strategy, REFRESHABLE, "can be refreshed"
    ):
        return refusal
    if (refresh := refresh_of(strategy)) is not None:
        return f"A refresh is already under way: “{refresh.title}”."
    return None


def start_refresh(
    strategy: Strategy, by: User, title: str, start_year: int, end_year: int, reason: str
) -> Strategy:
    """A new draft that replaces `strategy`, starting from a copy of its content (priorities,
    objectives, actions, indicators, evidence and partners), linked both ways."""
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(start_refresh_refusal(by, strategy))
        reason = _reason(reason, "Say why the strategy is being refreshed.")
        title = (title or "").strip()
        if not title:
            raise WorkflowError("Give the refreshed strategy a title.", field="title")
        if Strategy.objects.filter(title__iexact=title).exists():
            raise WorkflowError("Another strategy has this title already.", field="title")
        refresh = Strategy(
            title=title[:300],
            slug=unique_slug(title),
            start_year=start_year,
            end_year=end_year,
            top_level_term=strategy.top_level_term,
            vision=strategy.vision,
            summary=strategy.summary,
            author_name=strategy.author_name,
            author_title=strategy.author_title,
            contact_name=strategy.contact_name,
            contact_phone=strategy.contact_phone,
            contact_email=strategy.contact_email,
            replaces=strategy,
        )
        refresh.full_clean(exclude=["lead_organisation", "slug", "stage"])
        said = f"Refresh of “{strategy.title}”: {reason}"
        refresh._history_user = by
        links = list(strategy.partner_links.select_related("organisation"))
        create_strategy(
            refresh,
            strategy.lead_organisation,
            [link.organisation for link in links],
            reason=said,
            joint_leads=[link.organisation for link in links if link.joint_lead],
        )
        copy_content(strategy, refresh, reason=said)
        # The strategy it replaces says so in its own history.
        _save(strategy, None, by, f"Refresh started: “{refresh.title}” will replace it", [])
        return refresh


def supersede_replaced(strategy: Strategy, by, comment: str) -> None:
    """`strategy` has just been adopted: the strategy it replaces, if any and not already
    closed, is superseded by that move, and its route closes (its open gates removed)."""
    if strategy.replaces_id is None:
        return
    old = lock_strategy(strategy.replaces)
    if old.route_is_closed:
        return
    why = f"Replaced by “{strategy.title}”, adopted: {comment}"
    for gate in old.gates.filter(state__in=Gate.State.open_values()):
        move_gate(gate, Gate.State.REMOVED, by, why, meeting=None)
    old.editing_closed_reason = ""
    _save(old, Stage.SUPERSEDED, by, why, ["editing_closed_reason"])
