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


def public_decisions_panel(request, strategy, published) -> dict | None:
    """For the public page of a published strategy: the decisions that approved and adopted it,
    as minuted (each in its latest corrected wording), taken by bodies that meet in public and
    recorded before it was published. Reasons and anything else internal stay out."""
    from .models import Decision, Purpose
    from .timeline import effective_decisions

    decisions = effective_decisions(
        list(
            Decision.objects.filter(gate__strategy=strategy, recorded_at__lte=published.created_at)
            .select_related("gate__body__organisation", "meeting")
            .order_by("recorded_at", "pk")
        )
    )
    adopting = Purpose.final_approvals() | {Purpose.ADOPT}
    shown = [
        d
        for d in decisions
        if d.outcome in Decision.Outcome.passing()
        and d.gate.purpose in adopting
        and d.gate.body.meets_in_public
    ]
    return {"decisions": sorted(shown, key=lambda d: (d.decided_on, d.pk))}
