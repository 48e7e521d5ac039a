"""Load the two seed cases and the demo users. Idempotent; refuses when DEBUG is off.

The demo is in portal/demo/, one module per app: the strategies and users first, then their
routes and decisions, then their consultations, each building on the one before.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo import consultation, governance, strategies


class Command(BaseCommand):
    help = "Load the Milton Keynes and Dudley demo strategies and the demo users (needs DEBUG)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "load_demo only runs with DEBUG on (DJANGO_DEBUG=1): it creates users with a "
                "published password and must never touch a live database."
            )
        with transaction.atomic():
            strategies.load(self.stdout)
            governance.load(self.stdout)
            consultation.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            "Demo sign-ins (password for all: "
            f"{settings.DEMO_PASSWORD}):\n"
            "  officer     officer of Dudley Council (edits Dudley's 2017-2022 strategy)\n"
            "  mk-officer  officer of Milton Keynes Council\n"
            "  secretary   board secretary, Dudley Council\n"
            "  manager     manager, reads everything\n"
            "  admin       administrator (Django admin at /admin/)"
        )
