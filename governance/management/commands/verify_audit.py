from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from governance.audit import verify
from governance.models import Decision
from strategies.models import Revision


class Command(BaseCommand):
    help = "Check revision hashes and the decision hash chains; exit non-zero on any mismatch."

    def handle(self, *args, **options) -> None:
        findings = verify()
        for finding in findings:
            self.stderr.write(f"MISMATCH {finding}")
        if findings:
            raise CommandError(f"{len(findings)} record(s) failed the audit check.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit intact: {Revision.objects.count()} revisions and "
                f"{Decision.objects.count()} decisions checked."
            )
        )
