"""delivery.progress: the plan as its pages read it, on a fixed "today": the latest update and
the trend, what is overdue, what changed since a day, and a constant number of queries."""

from __future__ import annotations

import datetime

import pytest

from delivery import plan, progress
from strategies.models import Strategy
from tests.delivery.conftest import TODAY, many_actions, milestone, set_stage, update

pytestmark = pytest.mark.django_db


def only_row(result):
    [priority] = result.priorities
    [objective] = priority.objectives
    [row] = objective.actions
    return row


def test_overdue_action_and_milestones_on_a_fixed_day(officer, action):
    milestone(action, officer, "Due before today", due_on=datetime.date(2019, 6, 14))
    milestone(action, officer, "Due today", due_on=TODAY)
    milestone(action, officer, "Done late", due_on=datetime.date(2019, 1, 1),
              completed_on=datetime.date(2019, 2, 1))  # fmt: skip
    row = only_row(progress.delivery_plan(action.objective.priority.strategy, TODAY))
    assert row.overdue  # due on 31 March 2019, not started
    assert [(m.milestone.title, m.overdue) for m in row.milestones] == [
        ("Done late", False), ("Due before today", True), ("Due today", False),
    ]  # fmt: skip
    the_day_before = progress.delivery_plan(
        action.objective.priority.strategy, datetime.date(2019, 3, 31)
    )
    assert not only_row(the_day_before).overdue


@pytest.mark.parametrize("status", ["complete", "cancelled"])
def test_a_finished_action_is_never_overdue(officer, adopted, action, status):
    update(action, officer, datetime.date(2019, 4, 1), status=status, rag="green")
    assert not only_row(progress.delivery_plan(adopted, TODAY)).overdue


def test_trend_reads_the_last_updates_oldest_to_newest(officer, adopted, action):
    for month, rag in [(1, "green"), (2, "red"), (3, "red"), (4, "amber"), (5, "green")]:
        update(action, officer, datetime.date(2019, month, 1), rag=rag)
    row = only_row(progress.delivery_plan(adopted, TODAY))
    assert row.latest.as_of == datetime.date(2019, 5, 1)
    assert row.trend.ratings == ["red", "red", "amber", "green"]
    assert (row.trend.direction, row.trend.symbol) == ("better", "▲")
    assert row.trend.ratings_named == "Red → Red → Amber → Green"
    assert row.rag_meaning == "On track"


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [("green", "amber", "worse"), ("amber", "amber", "same"), ("red", "", ""), ("", "red", "")],
)
def test_better_or_worse_than_the_previous_update(before, after, direction):
    assert progress.compare(before, after) == direction


def test_counts_filters_and_leads(officer, adopted, action, other_org):
    update(action, officer, datetime.date(2019, 4, 1), rag="red")
    result = progress.delivery_plan(adopted, TODAY)
    assert result.counts["Off track"] == 1 and result.counts["Overdue actions"] == 1
    assert result.leads == [action.lead_organisation]
    assert progress.delivery_plan(adopted, TODAY, rag="green").shown == 0
    assert progress.delivery_plan(adopted, TODAY, rag="red").shown == 1
    assert progress.delivery_plan(adopted, TODAY, lead=other_org.pk).shown == 0
    assert progress.delivery_plan(adopted, TODAY, overdue_only=True).shown == 1
    assert progress.delivery_plan(adopted, TODAY, rag="none").total == 1


def test_what_changed_since_a_day(officer, adopted, action):
    update(action, officer, datetime.date(2019, 1, 1), rag="green")
    update(action, officer, datetime.date(2019, 4, 1), rag="amber")
    update(action, officer, datetime.date(2019, 5, 1), rag="red")
    milestone(action, officer, "Old", completed_on=datetime.date(2019, 2, 1))
    milestone(action, officer, "New", completed_on=datetime.date(2019, 4, 2))
    changes = progress.changes_since(adopted, datetime.date(2019, 4, 1))
    assert [(u.as_of.month, u.previous_rag, u.rag, u.direction) for u in changes.updates] == [
        (5, "amber", "red", "worse"), (4, "green", "amber", "worse"),
    ]  # fmt: skip
    assert [m.title for m in changes.milestones] == ["New"]


@pytest.mark.parametrize(("actions", "updates_each"), [(2, 1), (30, 6)])
def test_the_plan_reads_in_the_same_queries_however_large(
    strategy, lead_org, officer, django_assert_num_queries, actions, updates_each
):
    set_stage(strategy, Strategy.Stage.ADOPTED)
    many_actions(strategy, lead_org, officer, actions, updates_each)
    with django_assert_num_queries(5):
        result = progress.delivery_plan(strategy, TODAY)
        assert result.total == actions
        assert all(len(r.trend.ratings) == min(updates_each, progress.TREND_LENGTH)
                   for p in result.priorities for o in p.objectives for r in o.actions)  # fmt: skip
    with django_assert_num_queries(2):
        progress.changes_since(strategy, datetime.date(2018, 1, 1))


def test_rag_order_runs_from_worst_to_best():
    assert plan.RAG_ORDER == ["red", "amber", "green"]
