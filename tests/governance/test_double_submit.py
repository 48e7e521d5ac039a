"""A double click on "Record the decision": on SQLite too, the second request waits for the
first and is told the gate has been decided, never a 500 ("database is locked")."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client

from governance import workflow
from governance.models import Decision
from tests.governance.conftest import meeting_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_decisions_on_one_gate(board_gate, secretary):
    meeting = meeting_of(board_gate.body, days_ago=2)
    workflow.schedule_gate(board_gate, meeting, secretary)
    data = {
        "outcome": "approved",
        "decided_on": meeting.starts_at.date().isoformat(),
        "resolution": "Agreed.",
    }
    start = threading.Barrier(2, timeout=10)
    answers = []

    def click():
        try:
            client = Client()
            client.force_login(secretary)
            start.wait()
            answers.append(client.post(f"/gates/{board_gate.pk}/decide/", data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200, 302], answers  # one recorded, one told it is decided
    assert Decision.objects.filter(gate=board_gate).count() == 1
