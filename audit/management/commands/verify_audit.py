from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit import checkpoints, ledger
from audit.models import Entry
from audit.verify import verify


class Command(BaseCommand):
    help = (
        "Check the audit ledger: its chain and seals, every recorded row against its entry, "
        "every tracked row against its history, the records' own hashes and, when given, "
        "checkpoints kept outside the database. Names each broken entry; exits non-zero."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            help="A checkpoint file (manage.py audit_checkpoint) to check against; repeatable. "
            "A folder checks every checkpoint in it.",
        )

    def handle(self, *args, **options) -> None:
        # Entries left unsealed by a process that stopped between its commit and their sealing
        # (their own HMACs show Waymark wrote them) take their place in the chain first.
        waiting = ledger.seal_pending()
        if waiting:
            self.stdout.write(f"{waiting} entries that were waiting have been sealed.")
        findings = verify()
        files = []
        for given in options["checkpoint"]:
            path = Path(given)
            files += sorted(path.glob("*.json")) if path.is_dir() else [path]
        for path in files:
            try:
                findings += checkpoints.check(checkpoints.read(path), f"Checkpoint {path.name}")
            except ValueError as error:
                raise CommandError(str(error)) from None
        for finding in findings:
            self.stderr.write(f"BROKEN {finding}")
        if findings:
            raise CommandError(f"{len(findings)} problem(s) found: the record has been altered.")
        against = f", against {len(files)} checkpoint(s)" if files else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit intact: {Entry.objects.count()} ledger entries checked{against}."
            )
        )
