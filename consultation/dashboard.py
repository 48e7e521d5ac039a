"""Consultation's section of the staff dashboard: windows open (and closing within 14 days),
about to open, and responses due (registered in apps.py)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse

from .access import can_read
from .models import ConsultationWindow

SOON = datetime.timedelta(days=14)
State = ConsultationWindow.State


def consultations_section(request, dashboard) -> dict:
    today = dashboard.today
    windows = list(
        ConsultationWindow.objects.filter(strategy__in=dashboard.strategies)
        .filter(
            Q(state=State.OPEN)
            | Q(state=State.PLANNED, opens_on__lte=today + SOON, opens_on__isnull=False)
            | Q(state=State.CLOSED)
        )
        .select_related("strategy")
        .prefetch_related("strategy__partner_links")
        .order_by("closes_on", "pk")
    )
    user = dashboard.user
    open_now, opening, response_due = [], [], []
    for window in windows:
        # The window's page where the user may read it, the strategy's tab otherwise.
        window.url = (
            window.get_absolute_url()
            if can_read(user, window.strategy)
            else reverse("consultation:strategy", kwargs={"slug": window.strategy.slug})
        )
        if window.state == State.OPEN:
            window.days_left = (window.closes_on - today).days if window.closes_on else None
            window.closing_soon = window.days_left is not None and window.days_left <= SOON.days
            open_now.append(window)
        elif window.state == State.PLANNED:
            opening.append(window)
        elif window.response_due_by and window.response_due_by <= today + SOON:
            window.response_days = (window.response_due_by - today).days
            response_due.append(window)

    def org(window):
        return window.strategy.lead_organisation_id

    limit = dashboard.LIMIT
    return {
        "open": dashboard.own_first(open_now, org)[:limit],
        "open_more": max(0, len(open_now) - limit),
        "closing_soon": sum(1 for w in open_now if w.closing_soon),
        "opening": dashboard.own_first(opening, org)[:limit],
        "response_due": dashboard.own_first(response_due, org)[:limit],
        "today": today,
    }
