"""The dashboard's first section: how many strategies are at each stage."""

from __future__ import annotations

from dataclasses import dataclass

from governance.deadlines import note_call_in
from strategies import access
from strategies.models import Strategy

from .base import Dashboard

# The stages every strategy passes through are always shown, with 0 where none is there now,
# so that the figures keep their places from one visit to the next; superseded and withdrawn
# strategies only when there are some.
SHOWN_WHEN_NONE = [
    stage
    for stage in Strategy.Stage
    if stage not in (Strategy.Stage.SUPERSEDED, Strategy.Stage.WITHDRAWN)
]


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
    found = dashboard.stage_totals
    counts = []
    for value, label in Strategy.Stage.choices:
        if value not in found:
            if value in SHOWN_WHEN_NONE:
                counts.append(StageCount(value, label, 0, 0))
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
    total = sum(c.count for c in counts)
    return {
        "counts": counts if total else [],
        "total": total,
        "show_own": dashboard.own_organisation_id is not None,
        "organisation": dashboard.user.organisation,
        "can_create": access.can_create_strategy(dashboard.user),
    }
