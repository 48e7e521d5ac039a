"""On PostgreSQL, two secretaries recording the same gate at once leave exactly one decision."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from governance import workflow
from governance.models import Decision, Gate
from tests.governance.conftest import meeting_of

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_two_secretaries_recording_the_same_gate_leave_one_decision(
    board_gate, board, secretary, administrator
):
    workflow.schedule_gate(board_gate, meeting_of(board), secretary)
    start = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def record(user, outcome):
        try:
            start.wait()
            workflow.record_decision(
                Gate.objects.get(pk=board_gate.pk), user, outcome, "Resolved.", reasons="Because."
            )
            outcomes.append("recorded")
        except workflow.WorkflowError as refusal:
            outcomes.append(refusal.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=record, args=(secretary, "approved")),
        threading.Thread(target=record, args=(administrator, "noted")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)

    assert sorted(outcomes)[1] == "recorded"
    assert "already been decided" in sorted(outcomes)[0]
    assert Decision.objects.count() == 1
    assert Gate.objects.get().state == Gate.State.PASSED
