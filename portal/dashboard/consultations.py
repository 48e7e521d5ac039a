"""The dashboard's consultation section: windows open (and closing within 14 days), about to
open, and responses due. Each list is chosen and counted in the database, so the cost is the
same however many consultations there are."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, IntegerField, Q, Subquery, Value, When

from consultation.access import can_read
from consultation.models import ConsultationWindow

from .lateness import Lateness, split_by_age

SOON = datetime.timedelta(days=14)
State = ConsultationWindow.State


def consultations_section(dashboard) -> dict:
    today, limit, user = dashboard.today, dashboard.LIMIT, dashboard.user
    windows = dashboard.within(ConsultationWindow.objects.all())
    own = dashboard.own_organisation_id
    if own:  # the user's own organisation's first
        windows = windows.annotate(
            not_own=Case(
                When(strategy__lead_organisation_id=own, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    first = ["not_own"] if own else []

    def rows(queryset, *order, **counts):
        # Each count from a subquery that does not depend on the row (counted once; see
        # portal/dashboard/base.py first_rows).
        queryset = queryset.select_related("strategy").annotate(
            **{
                name: Subquery(
                    queryset.order_by().values(one=Value(1)).annotate(n=count).values("n")
                )
                for name, count in counts.items()
            }
        )
        if not dashboard.reads_everything:  # can_read looks at the partners
            queryset = queryset.prefetch_related("strategy__partner_links")
        chosen = list(queryset.order_by(*first, *order, "pk")[:limit])
        for window in chosen:
            # The window's page where the user may read it, the strategy's page otherwise.
            window.url = (
                window.get_absolute_url()
                if can_read(user, window.strategy)
                else window.strategy.get_absolute_url()
            )
        return chosen

    open_now = windows.filter(state=State.OPEN)
    # Each open row carries how many are open and how many close soon (a window count).
    shown = rows(
        open_now,
        "closes_on",
        open_count=Count("pk"),
        closing_count=Count("pk", filter=Q(closes_on__lte=today + SOON)),
    )
    for window in shown:
        window.days_left = (window.closes_on - today).days if window.closes_on else None
        window.closing_soon = window.days_left is not None and window.days_left <= SOON.days
    response_due = rows(
        # Not one recorded after the fact whose response was due before it was recorded.
        windows.chased_for_response().filter(
            state=State.CLOSED, closes_on__lte=today + SOON - ConsultationWindow.RESPONSE_WITHIN
        ),
        "closes_on",
    )
    for window in response_due:
        window.response_days = (window.response_due_by - today).days
        window.lateness = (
            Lateness.of(window.response_due_by, today) if window.response_is_overdue else None
        )
    response_recent, response_old = split_by_age(response_due)
    opening = rows(
        windows.filter(state=State.PLANNED, opens_on__isnull=False, opens_on__lte=today + SOON),
        "opens_on",
    )
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
