"""Remove the personal parts of consultation responses older than the retention period
(`manage.py anonymise_responses`; run daily). See consultation/retention.py."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from consultation.retention import anonymise_due_responses, due_for_anonymising


class Command(BaseCommand):
    help = "Anonymise consultation responses older than RESPONSE_RETENTION_DAYS, keeping counts."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would be anonymised, change none."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        days = settings.RESPONSE_RETENTION_DAYS
        if dry_run:
            count = due_for_anonymising().count()
            self.stdout.write(f"{count} response(s) older than {days} days would be anonymised.")
            return
        count = anonymise_due_responses()
        self.stdout.write(
            self.style.SUCCESS(f"{count} response(s) older than {days} days anonymised.")
        )
