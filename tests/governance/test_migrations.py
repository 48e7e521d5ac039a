"""Migration 0007: gate dependencies gain their own history, and the links already there get
a first history row each (dated and attributed as their gate's first history row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from governance import workflow
from governance.models import Gate, GateDependency, Purpose

BEFORE = [("governance", "0006_gate_planned_until")]


@pytest.mark.django_db(transaction=True)
def test_links_already_there_get_a_first_history_row(strategy, board, officer):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [review])
    added = Gate.history.filter(id=approve.pk).earliest("history_date")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # the history of links is gone; the links stay
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    (row,) = GateDependency.history.all()
    assert (row.id, row.from_gate_id, row.to_gate_id, row.history_type) == (
        GateDependency.objects.get().pk, approve.pk, review.pk, "+"
    )  # fmt: skip
    assert row.history_date == added.history_date
    assert row.history_user_id == added.history_user_id
    assert row.history_change_reason.startswith("Set when the gate was added")
