from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit import checkpoints, ledger


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the audit ledger's head to a folder kept outside the "
        "database (settings.AUDIT_CHECKPOINT_DIR) and, if configured, email it "
        "(settings.AUDIT_CHECKPOINT_EMAIL). Run it on the schedule."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", help="The folder (default: WAYMARK_AUDIT_CHECKPOINT_DIR).")
        parser.add_argument("--email", help="Also send it to this address.")

    def handle(self, *args, **options) -> None:
        ledger.seal_pending()  # any left by a process that stopped before sealing them
        checkpoint = checkpoints.make()
        folder = Path(options["to"] or settings.AUDIT_CHECKPOINT_DIR)
        try:
            path = checkpoints.write(checkpoint, folder)
        except OSError as error:
            raise CommandError(f"The checkpoint cannot be written to {folder}: {error}") from None
        self.stdout.write(f"Checkpoint of entry {checkpoint['entries']} written to {path}")
        to = options["email"] or settings.AUDIT_CHECKPOINT_EMAIL
        if to:
            checkpoints.email(checkpoint, to)
            self.stdout.write(f"…and sent to {to}")
