"""Governance's panels on the strategy page (registered in apps.py)."""

from __future__ import annotations

from django.utils import timezone

from .projection import project_one


def adoption_panel(request, strategy) -> dict | None:
    """The projected (or actual) adoption date, what it rests on, and the route's deadlines."""
    if not strategy.gates.exists():
        return None
    today = timezone.localdate()
    projection = project_one(strategy, today)
    return {"projection": projection, "notes": projection.notes(today), "today": today}
