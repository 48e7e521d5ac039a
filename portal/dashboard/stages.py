"""The dashboard's first section: how many strategies are at each stage."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from strategies import access
from strategies.models import Strategy

from .base import Dashboard


@dataclass(frozen=True)
class StageCount:
    value: str
    label: str
    count: int
    own: int


def stage_counts(dashboard: Dashboard) -> list[StageCount]:
    """How many strategies are at each stage (all the user may read, and their own
    organisation's), in the order of the stages."""
    own = dashboard.own_organisation_id
    rows = dashboard.strategies.values("stage").annotate(
        total=Count("pk"),
        own=Count("pk", filter=Q(lead_organisation_id=own)) if own else Count("pk"),
    )
    found = {row["stage"]: row for row in rows}
    return [
        StageCount(value, label, found[value]["total"], found[value]["own"])
        for value, label in Strategy.Stage.choices
        if value in found
    ]


def stages_section(dashboard: Dashboard) -> dict:
    counts = stage_counts(dashboard)
    return {
        "counts": counts,
        "total": sum(c.count for c in counts),
        "show_own": dashboard.own_organisation_id is not None,
        "organisation": dashboard.user.organisation,
        "can_create": access.can_create_strategy(dashboard.user),
    }
