"""The dashboard's consultation section: windows open (and closing within 14 days), about to
open, and responses due. Each list is chosen and counted in the database, so the cost is the
same however many consultations there are."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Subquery, Value

from consultation.access import can_read
from consultation.models import ConsultationWindow

from .lateness import Lateness, split_by_age

SOON = datetime.timedelta(days=14)
State = ConsultationWindow.State


def _windows(board):
    """The consultation windows of the strategies the user reads, each with `not_own` (0 for
    the user's own organisation's) for those with an organisation of their own."""
    return board.own_first_in_database(board.within(ConsultationWindow.objects.all()), "strategy__")


def _listed(board, queryset, *order, **counts):
    """The first rows of `queryset` (windows) in `order`, the user's own organisation's
    first, each with its strategy and carrying `counts` of all the rows, each from a subquery
    that does not depend on the row (counted once; see portal/dashboard/base.py first_rows)."""
    queryset = queryset.select_related("strategy").annotate(
        **{
            name: Subquery(queryset.order_by().values(one=Value(1)).annotate(n=count).values("n"))
            for name, count in counts.items()
        }
    )
    if not board.reads_everything:  # can_read looks at the partners
        queryset = queryset.prefetch_related("strategy__partner_links")
    return board.first(queryset.order_by(*board.own_first_order, *order, "pk"))


def _open(board):
    """Open windows, closing soonest first; each row carries how many are open and how many
    close soon."""
    return _listed(
        board,
        _windows(board).filter(state=State.OPEN),
        "closes_on",
        open_count=Count("pk"),
        closing_count=Count("pk", filter=Q(closes_on__lte=board.today + SOON)),
    )


def _response_due(board):
    """Closed windows whose response is due soon or late (not one recorded after the fact
    whose response was due before it was recorded)."""
    closed_by = board.today + SOON - ConsultationWindow.RESPONSE_WITHIN
    return _listed(
        board,
        _windows(board).chased_for_response().filter(state=State.CLOSED, closes_on__lte=closed_by),
        "closes_on",
    )


def _opening(board):
    return _listed(
        board,
        _windows(board).filter(
            state=State.PLANNED, opens_on__isnull=False, opens_on__lte=board.today + SOON
        ),
        "opens_on",
    )


def consultations_section(dashboard) -> dict:
    today, user = dashboard.today, dashboard.user

    def rows(name, build):
        chosen = dashboard.read(name, build)
        for window in chosen:
            # The window's page where the user may read it, the strategy's page otherwise.
            window.url = (
                window.get_absolute_url()
                if can_read(user, window.strategy)
                else window.strategy.get_absolute_url()
            )
        return chosen

    shown = rows("consultations-open", _open)
    for window in shown:
        window.days_left = (window.closes_on - today).days if window.closes_on else None
        window.closing_soon = window.days_left is not None and window.days_left <= SOON.days
    response_due = rows("consultation-responses-due", _response_due)
    for window in response_due:
        window.response_days = (window.response_due_by - today).days
        window.lateness = (
            Lateness.of(window.response_due_by, today) if window.response_is_overdue else None
        )
    response_recent, response_old = split_by_age(response_due)
    opening = rows("consultations-opening", _opening)
    for window in opening:  # late once the last day its planned opening can mean has passed
        window.late_to_open = window.opening_is_late(today)
    return {
        "open": shown,
        "open_more": shown[0].open_count - len(shown) if shown else 0,
        "closing_soon": shown[0].closing_count if shown else 0,
        "opening": opening,
        "response_due": response_due,
        "response_recent": response_recent,
        "response_old": response_old,
        "today": today,
        "soon_days": SOON.days,
    }
