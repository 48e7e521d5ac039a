"""The dashboard's delivery section: strategies due for review (or coming due within 90 days)
and in delivery, each linking to where to act. A fixed number of queries, at most
`Dashboard.LIMIT` rows a list, however many strategies there are."""

from __future__ import annotations

import datetime

from governance.workflow.lifecycle import REVIEWABLE
from strategies.models import Strategy

from .base import Dashboard, first_rows

SOON = datetime.timedelta(days=90)


def delivery_section(dashboard: Dashboard) -> dict | None:
    """None (no section) when none of the strategies the user reads is in delivery or due for
    review."""
    today, limit = dashboard.today, dashboard.LIMIT
    strategies = dashboard.strategies.filter(stage__in=REVIEWABLE)
    reviews, reviews_in_all = first_rows(
        strategies.filter(review_due_on__lte=today + SOON).order_by("review_due_on", "pk"),
        limit,
    )
    for strategy in reviews:
        strategy.review_is_due = strategy.review_due_on <= today
        strategy.days_over = (today - strategy.review_due_on).days
    delivering = strategies.filter(stage=Strategy.Stage.IN_DELIVERY).count()
    if not reviews and not delivering:
        return None
    return {
        "reviews": reviews,
        "reviews_more": reviews_in_all - len(reviews),
        "soon_days": SOON.days,
        "in_delivery": delivering,
    }
