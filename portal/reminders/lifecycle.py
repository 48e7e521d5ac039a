"""The reminder that a strategy in delivery is due for review: sent to its officers on the day
its review date is reached (and, if the date is moved, on the new day), once per date."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from governance.workflow.lifecycle import REVIEWABLE
from strategies.models import ReminderKind, Strategy

from .sending import Reminder, absolute_url, strategy_officers


def _key(strategy: Strategy) -> str:
    return f"review-due:strategy-{strategy.pk}:{strategy.review_due_on.isoformat()}"


def _due(today: datetime.date, **which):
    reviewable = Strategy.objects.filter(stage__in=REVIEWABLE, review_due_on__lte=today, **which)
    return list(reviewable.order_by("pk"))


def due_reviews(today: datetime.date) -> list[tuple[str, dict]]:
    return [(_key(s), {"strategy": s.pk}) for s in _due(today)]


def build_review_due(params: dict) -> Reminder | None:
    found = _due(timezone.localdate(), pk=params["strategy"])
    if not found:
        return None  # reviewed, refreshed or its date moved since
    strategy = found[0]
    route = reverse("governance:route", kwargs={"slug": strategy.slug})
    return Reminder(
        kind=ReminderKind.REVIEW_DUE,
        key=_key(strategy),
        subject=f"Due for review: {strategy.title}",
        recipients=strategy_officers(strategy),
        context={
            "strategy": strategy,
            "day": strategy.review_due_on,
            "route_url": absolute_url(route),
        },
    )
