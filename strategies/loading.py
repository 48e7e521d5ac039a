"""A strategy's content read for its page: each kind of item in one query chosen by the
strategy's id, its SQL prepared once per process (strategies/prepared.py), and set on the
strategy and its items where Django's prefetching sets them, so that `strategy.priorities.all`,
`priority.objectives.all`, `objective.actions.all`, `indicator.objectives.all` and the rest
read what was loaded, as after `Strategy.objects.with_content()`.

`with_content` reads the same through prefetching, whose queries hold the lists of ids of the
rows above them (the priorities' ids for their objectives, and so on) and so are built afresh
for every page: on a strategy's page that was a quarter of its time. The queries are the same
in number, and as there, none is made for the items under none (no objectives without
priorities)."""

from __future__ import annotations

from collections import defaultdict

from . import prepared
from .models import (
    Action,
    EvidenceSource,
    IndicatorObjective,
    Objective,
    OutcomeIndicator,
    Priority,
    Strategy,
    StrategyPartner,
)


def _read(name: str, build, strategy: Strategy) -> list:
    return prepared.rows(f"content:{name}", build, strategy=strategy.pk)


def _set(instance, name: str, rows: list, back: str | None = None) -> None:
    """`rows` as what `instance.<name>.all()` gives, as prefetching leaves it; each row's
    relation `back` to `instance` set too (prefetching sets it for a reverse foreign key)."""
    queryset = getattr(instance, name).get_queryset()  # filtered, not read
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
    for row in rows if back else []:
        setattr(row, back, instance)


def _by(rows: list, attname: str) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, attname)].append(row)
    return grouped


def load_content(strategy: Strategy) -> Strategy:
    """The strategy with its partners, priorities, objectives, actions (with their lead
    organisations), outcome indicators (with the objectives they measure) and evidence loaded,
    each in its order."""
    partners = _read(
        "partners",
        lambda strategy: StrategyPartner.objects.filter(strategy_id=strategy).select_related(
            "organisation"
        ),
        strategy,
    )
    _set(strategy, "partner_links", partners, "strategy")
    priorities = _read(
        "priorities", lambda strategy: Priority.objects.filter(strategy_id=strategy), strategy
    )
    _set(strategy, "priorities", priorities, "strategy")
    objectives = actions = []
    if priorities:
        objectives = _read(
            "objectives",
            lambda strategy: Objective.objects.filter(priority__strategy_id=strategy),
            strategy,
        )
    if objectives:
        actions = _read(
            "actions",
            lambda strategy: Action.objects.filter(
                objective__priority__strategy_id=strategy
            ).select_related("lead_organisation"),
            strategy,
        )
    by_priority, by_objective = _by(objectives, "priority_id"), _by(actions, "objective_id")
    for priority in priorities:
        _set(priority, "objectives", by_priority.get(priority.pk, []), "priority")
    for objective in objectives:
        _set(objective, "actions", by_objective.get(objective.pk, []), "objective")
    indicators = _read(
        "indicators",
        lambda strategy: OutcomeIndicator.objects.filter(strategy_id=strategy),
        strategy,
    )
    _set(strategy, "indicators", indicators, "strategy")
    links = []
    if indicators:
        links = _read(
            "indicator-objectives",
            lambda strategy: (
                IndicatorObjective.objects.filter(indicator__strategy_id=strategy)
                .select_related("objective")
                .order_by(*[f"objective__{field}" for field in Objective._meta.ordering], "pk")
            ),
            strategy,
        )
    by_indicator = _by(links, "indicator_id")
    for indicator in indicators:
        _set(indicator, "objectives", [link.objective for link in by_indicator[indicator.pk]])
    evidence = _read(
        "evidence", lambda strategy: EvidenceSource.objects.filter(strategy_id=strategy), strategy
    )
    _set(strategy, "evidence", evidence, "strategy")
    return strategy
