"""The delivery plan's fixtures: the lead organisation's strategy with one action, as a draft
(`strategy`, from tests/conftest.py) and adopted (`adopted`), and a builder of many actions."""

from __future__ import annotations

import datetime

import pytest

from delivery import plan
from delivery.models import Milestone, ProgressUpdate
from strategies.models import Strategy
from tests.factories import add_action, add_objective, add_priority

TODAY = datetime.date(2019, 6, 15)


@pytest.fixture
def action(strategy, lead_org):
    priority = add_priority(strategy, "Start well")
    objective = add_objective(priority, "Healthy pregnancies")
    return add_action(
        objective, "Stop smoking in pregnancy", lead_organisation=lead_org,
        due_date=datetime.date(2019, 3, 31),
    )  # fmt: skip


def set_stage(strategy: Strategy, stage: str) -> Strategy:
    """The stage the workflow would have reached (tests of the plan, not of the route)."""
    strategy.stage = stage
    strategy.save(update_fields=["stage"])
    return strategy


@pytest.fixture
def adopted(strategy, action):
    return set_stage(strategy, Strategy.Stage.ADOPTED)


def update(action, by, as_of, status="in_progress", rag="green", commentary="") -> ProgressUpdate:
    return plan.record_update(
        ProgressUpdate(action=action, as_of=as_of, status=status, rag=rag, commentary=commentary),
        by,
    )


def milestone(action, by, title="Midwives trained", due_on=datetime.date(2019, 5, 1), **kw):
    return plan.save_milestone(Milestone(action=action, title=title, due_on=due_on, **kw), by)


def many_actions(strategy, lead, officer, count: int, updates_each: int = 1) -> None:
    """`count` actions over two priorities, each with `updates_each` updates and a milestone."""
    objectives = [
        add_objective(add_priority(strategy, f"Priority {p}"), f"Objective {p}") for p in (1, 2)
    ]
    for n in range(count):
        act = add_action(objectives[n % 2], f"Action {n}", lead_organisation=lead)
        for u in range(updates_each):
            update(act, officer, datetime.date(2018, 1, 1) + datetime.timedelta(days=30 * u),
                   rag=["red", "amber", "green"][(n + u) % 3])  # fmt: skip
        milestone(act, officer, f"Milestone {n}")
