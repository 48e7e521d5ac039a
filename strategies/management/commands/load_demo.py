"""Load the two seed cases and the demo users. Idempotent; refuses when DEBUG is off.

Each of our apps may have a `demo` module with a `load(stdout)` function; they run in the order
of INSTALLED_APPS, which is their order of dependency, so governance can build on strategies
without strategies importing governance.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

OUR_APPS = ("strategies", "governance", "consultation")


class Command(BaseCommand):
    help = "Load the Milton Keynes and Dudley demo strategies and the demo users (needs DEBUG)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "load_demo only runs with DEBUG on (DJANGO_DEBUG=1): it creates users with a "
                "published password and must never touch a live database."
            )
        with transaction.atomic():
            for config in apps.get_app_configs():
                if config.name in OUR_APPS and find_spec(f"{config.name}.demo"):
                    import_module(f"{config.name}.demo").load(self.stdout)
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
