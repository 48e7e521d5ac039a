"""The dashboard's delivery section, for the strategies the user reads: actions off track,
overdue actions and milestones, indicators getting worse, progress reports due (the rules are
delivery/watch.py's), and strategies due for review (or coming due within 90 days), each row
linking to where to act. Six queries, at most `Dashboard.LIMIT` rows a list, however many
strategies, actions and values there are: each list's rows with their count. How many
strategies are in delivery and under review comes from the stage counts
(`Dashboard.stage_totals`)."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.urls import reverse

from delivery import watch
from delivery.indicators import judge
from delivery.progress import RAG_MEANING
from governance.workflow.lifecycle import REVIEWABLE
from strategies.models import Strategy

from .base import Dashboard
from .gates import Capped
from .lateness import LateList, Lateness, late_counts, late_rows, split_by_age

SOON = datetime.timedelta(days=90)


def _capped(dashboard: Dashboard, name: str, query, path: str, *order) -> Capped:
    """The first rows of `query(dashboard)` in `order`, the user's own organisation's first."""

    def build(board: Dashboard):
        queryset, first = board.own_first_in_database(query(board), path), board.own_first_order
        return queryset.order_by(*first, *order, "pk")

    rows, in_all = dashboard.first_rows(name, build)
    return Capped(rows, in_all - len(rows))


def _late(dashboard: Dashboard, name: str, query, path: str, due: str) -> LateList:
    """The late rows of `query(dashboard)` (`due` names their day), the last year's first,
    longest late first (portal/dashboard/lateness.py), each with its `lateness`."""

    def build(board: Dashboard):
        queryset, first = board.own_first_in_database(query(board), path), board.own_first_order
        return late_rows(board, queryset, due, *first, due, "pk")

    today = dashboard.today
    rows = dashboard.read(name, build)
    for row in rows:
        row.lateness = Lateness.of(getattr(row, due), today)
    in_all, old = late_counts(rows)
    return LateList(rows, in_all - len(rows), old)


def _strategies(dashboard: Dashboard):
    """The strategies to narrow delivery's lists to (None: every one)."""
    return None if dashboard.reads_everything else dashboard.strategies


def _action_url(action) -> str:
    strategy = action.objective.priority.strategy
    return reverse("delivery:action", kwargs={"slug": strategy.slug, "pk": action.pk})


def delivery_lists(dashboard: Dashboard) -> dict:
    """The four lists of what needs attention in delivery (five queries)."""
    today = dashboard.today
    action_path = f"{watch.ACTION_STRATEGY}__"
    off_track = _capped(
        dashboard,
        "actions-off-track",
        lambda board: watch.actions_off_track(_strategies(board)),
        action_path,
        F("due_date").asc(nulls_last=True),
    )
    overdue = _late(
        dashboard,
        "overdue-actions",
        lambda board: watch.overdue_actions(_strategies(board), board.today),
        action_path,
        "due_date",
    )
    milestones = _late(
        dashboard,
        "overdue-milestones",
        lambda board: watch.overdue_milestones(_strategies(board), board.today),
        f"action__{action_path}",
        "due_on",
    )
    worse = _capped(
        dashboard,
        "indicators-worse",
        lambda board: watch.indicators_getting_worse(_strategies(board)),
        "strategy__",
        "strategy__title",
        "position",
    )
    reports = _capped(
        dashboard,
        "reports-due",
        lambda board: watch.reports_due(_strategies(board), board.today),
        "",
        F("last_report_sent").asc(nulls_first=True),
        "title",
    )
    for action in off_track.rows + overdue.rows:
        action.url = _action_url(action)
        action.strategy = action.objective.priority.strategy
        action.rag_words = f"{action.get_rag_display()} ({RAG_MEANING[action.rag].lower()})"
        action.days_late = (today - action.due_date).days if action.due_date else 0
    for milestone in milestones.rows:
        milestone.url = _action_url(milestone.action) + "#milestones-heading"
        milestone.strategy = milestone.action.objective.priority.strategy
        milestone.days_late = (today - milestone.due_on).days
    for indicator in worse.rows:
        indicator.url = reverse(
            "delivery:indicator", kwargs={"slug": indicator.strategy.slug, "pk": indicator.pk}
        )
        # The judgement of the indicator's own page, in words and symbol.
        indicator.judgement = judge(
            indicator.value_0,
            indicator.value_1,
            indicator.polarity,
            (
                (indicator.lower_ci_0, indicator.upper_ci_0),
                (indicator.lower_ci_1, indicator.upper_ci_1),
            ),
        )
    for strategy in reports.rows:
        strategy.url = reverse("delivery:plan", kwargs={"slug": strategy.slug})
    return {
        "off_track": off_track,
        "overdue_actions": overdue,
        "overdue_milestones": milestones,
        "indicators_worse": worse,
        "reports_due": reports,
        "report_every_days": watch.REPORT_EVERY.days,
    }


def delivery_section(dashboard: Dashboard) -> dict | None:
    """None (no section) when none of the strategies the user reads is in delivery, under
    review or due for review. Every query runs whatever the data, so the page's count is
    fixed."""
    today = dashboard.today
    reviews, reviews_in_all = dashboard.first_rows(
        "reviews-due",
        lambda board: board.strategies.filter(
            stage__in=REVIEWABLE, review_due_on__lte=board.today + SOON
        ).order_by("review_due_on", "pk"),
    )
    for strategy in reviews:
        strategy.review_is_due = strategy.review_due_on <= today
        strategy.days_over = (today - strategy.review_due_on).days
        strategy.lateness = (
            Lateness.of(strategy.review_due_on, today) if strategy.days_over > 0 else None
        )
    recent_reviews, old_reviews = split_by_age(reviews)
    totals = dashboard.stage_totals  # read by the stage counts already
    counted = {
        "in_delivery": totals.get(Strategy.Stage.IN_DELIVERY, {}).get("total", 0),
        "under_review": totals.get(Strategy.Stage.UNDER_REVIEW, {}).get("total", 0),
    }
    delivering = counted["in_delivery"] + counted["under_review"]
    lists = delivery_lists(dashboard)
    if (
        not reviews
        and not delivering
        and not any(
            listed.rows for listed in lists.values() if isinstance(listed, Capped | LateList)
        )
    ):
        return None
    return {
        "reviews": reviews,
        "recent_reviews": recent_reviews,
        "old_reviews": old_reviews,
        "reviews_more": reviews_in_all - len(reviews),
        "soon_days": SOON.days,
        "in_delivery": counted["in_delivery"],
        "under_review": counted["under_review"],
        **lists,
    }
