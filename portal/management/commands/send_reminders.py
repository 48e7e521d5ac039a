"""Queue the reminders that time brings (agenda deadlines 3 working days away, overdue gates).

Run it hourly or daily from cron or a systemd timer (README, "Reminders"); `manage.py db_worker`
sends what it queues. Running it again queues nothing that has been sent: each reminder goes once
per recipient (portal/reminders/sending.py). A run missed during downtime is caught up by the next:
an agenda reminder is due from 3 working days before the deadline until the deadline, an overdue
gate from the day after it was due until it is decided or re-planned.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.reminders.tasks import enqueue_due
from strategies.models import ReminderKind


class Command(BaseCommand):
    help = "Queue reminder emails that are due (agenda deadlines, overdue gates)."

    def handle(self, *args, **options) -> None:
        queued = enqueue_due(timezone.localdate())
        for kind, count in queued.items():
            self.stdout.write(f"{ReminderKind(kind).label}: {count} queued")
        total = sum(queued.values())
        self.stdout.write(self.style.SUCCESS(f"{total} reminder(s) queued for the worker."))
