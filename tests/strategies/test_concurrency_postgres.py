"""On PostgreSQL, two saves racing on the same item: the row lock lets exactly one win."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from strategies.forms import PriorityForm
from strategies.models import Priority
from tests.factories import add_priority

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_two_simultaneous_saves_leave_one_change_and_one_conflict(strategy):
    priority = add_priority(strategy, "Original")
    both_validating = threading.Barrier(2, timeout=10)
    outcomes: dict[str, str] = {}

    def save_as(title: str) -> None:
        try:
            with transaction.atomic():
                instance = Priority.objects.get(pk=priority.pk)
                both_validating.wait()
                form = PriorityForm({"title": title, "version": 1}, instance=instance)
                if form.is_valid():
                    time.sleep(0.3)  # hold the lock while the other request waits for it
                    form.save()
                    outcomes[title] = "saved"
                else:
                    outcomes[title] = "conflict" if form.conflict else str(form.errors)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save_as, args=(t,)) for t in ("Alice's", "Bob's")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(title for title, outcome in outcomes.items() if outcome == "saved")
    priority.refresh_from_db()
    assert (priority.title, priority.version) == (winner, 2)
    assert Priority.history.filter(id=priority.pk).count() == 2
