"""Reminders queued before the reminder task moved to the portal still reach the worker."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.reminders.tasks import send_reminder

MOVED = ("portal", "0001_reminder_task_moved")


@pytest.mark.django_db(transaction=True)
def test_a_reminder_queued_under_the_old_path_is_pointed_at_the_new_one():
    executor = MigrationExecutor(connection)
    executor.migrate([("portal", None)])  # before the move
    try:
        queued = send_reminder.enqueue("decision_recorded", {"decision": 1, "by": None})
        DBTaskResult.objects.filter(pk=queued.id).update(
            task_path="strategies.reminders.send_reminder"
        )
        executor = MigrationExecutor(connection)
        executor.migrate([MOVED])
        row = DBTaskResult.objects.get(pk=queued.id)
        assert row.task_path == "portal.reminders.tasks.send_reminder"
        assert row.task.func is send_reminder.func  # the worker can import it again
        assert row.enqueued_at <= timezone.now()
    finally:
        # Back to the latest, so that the portal's later tables are there for the next test.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
