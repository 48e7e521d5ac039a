"""Copying a strategy's content into another (a refresh starts from the strategy it replaces):
its priorities, objectives, actions, outcome indicators with the objectives they measure, and
evidence, in their order, each saved one by one so the history records it with the reason. An
action starts again (not started, no RAG); an indicator keeps its baseline and target, not its
latest value, which belongs to the delivery of the strategy it came from."""

from __future__ import annotations

from django.db import models, transaction

from .models import (
    Action,
    EvidenceSource,
    IndicatorObjective,
    Objective,
    OutcomeIndicator,
    Priority,
    Strategy,
)

# Columns a copy leaves out: its identity, its place in the record, and what belongs to the
# delivery of the strategy it came from.
NOT_COPIED = {"id", "version", "status", "rag", "latest_value", "latest_date"}


def _copy(item: models.Model, reason: str, **parent) -> models.Model:
    fields = {
        f.attname: getattr(item, f.attname)
        for f in type(item)._meta.concrete_fields
        if f.name not in NOT_COPIED and f.name not in parent
    }
    copy = type(item)(**fields, **parent)
    copy.version = 1
    copy._change_reason = reason
    copy.save()
    return copy


@transaction.atomic
def copy_content(source: Strategy, target: Strategy, reason: str) -> None:
    """Copy `source`'s content into `target`, which has none yet."""
    objectives: dict[int, Objective] = {}
    for priority in Priority.objects.filter(strategy=source).order_by("position"):
        new_priority = _copy(priority, reason, strategy=target)
        for objective in priority.objectives.order_by("position"):
            objectives[objective.pk] = _copy(objective, reason, priority=new_priority)
            for action in Action.objects.filter(objective=objective).order_by("position"):
                _copy(action, reason, objective=objectives[objective.pk])
    for indicator in OutcomeIndicator.objects.filter(strategy=source).order_by("position"):
        new_indicator = _copy(indicator, reason, strategy=target)
        for link in IndicatorObjective.objects.filter(indicator=indicator):
            if link.objective_id in objectives:
                copied = IndicatorObjective(
                    indicator=new_indicator, objective=objectives[link.objective_id]
                )
                copied._change_reason = reason
                copied.save()
    for source_item in EvidenceSource.objects.filter(strategy=source).order_by("position"):
        _copy(source_item, reason, strategy=target)
