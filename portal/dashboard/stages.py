"""The dashboard's first section: how many strategies are at each stage."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from governance.deadlines import note_call_in
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
    organisation's), in the order of the stages. Adopted strategies whose adoption can still
    be called in are counted apart, as "Adopted, subject to call-in" (Strategy.stage_label):
    two more queries when there are adopted strategies, none otherwise."""
    own = dashboard.own_organisation_id
    rows = dashboard.strategies.values("stage").annotate(
        total=Count("pk"),
        own=Count("pk", filter=Strategy.objects.led_by_q(own)) if own else Count("pk"),
    )
    found = {row["stage"]: row for row in rows}
    counts = []
    for value, label in Strategy.Stage.choices:
        if value not in found:
            continue
        total, ours = found[value]["total"], found[value]["own"]
        if value == Strategy.Stage.ADOPTED:
            adopted = dashboard.strategies.filter(stage=value).only("stage", "lead_organisation")
            held = [s for s in note_call_in(adopted) if s.call_in_until is not None]
            if held:
                held_own = sum(1 for s in held if not own or s.lead_organisation_id == own)
                counts.append(StageCount(value, Strategy.SUBJECT_TO_CALL_IN, len(held), held_own))
                total, ours = total - len(held), ours - held_own
            if not total:
                continue
        counts.append(StageCount(value, label, total, ours))
    return counts


def stages_section(dashboard: Dashboard) -> dict:
    counts = stage_counts(dashboard)
    return {
        "counts": counts,
        "total": sum(c.count for c in counts),
        "show_own": dashboard.own_organisation_id is not None,
        "organisation": dashboard.user.organisation,
        "can_create": access.can_create_strategy(dashboard.user),
    }
