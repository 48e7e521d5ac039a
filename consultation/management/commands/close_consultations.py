"""Close every consultation whose closing day has passed; run daily by cron or the scheduler
(`manage.py close_consultations`). Each closure records its result on the route's gate."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from consultation.workflow import close_due_windows


class Command(BaseCommand):
    help = "Close consultations whose closing day has passed, recording the result on their gate."

    def handle(self, *args, **options) -> None:
        refused: list = []
        closed = close_due_windows(refused=refused)
        for window in closed:
            self.stdout.write(f"Closed “{window}”: {window.result}")
        self.stdout.write(self.style.SUCCESS(f"{len(closed)} consultation(s) closed."))
        # Said on the error stream, for the scheduler's log; the run itself succeeds, so that what
        # the schedule runs after it (send_reminders) still runs.
        for window, reason in refused:
            self.stderr.write(f"Not closed “{window}”: {reason}")
