"""Load the two seed cases, Thurrock's and Bury's strategies from their public records, and the
demo users.
Idempotent; refuses when DEBUG is off.

The demo is in portal/demo/, one module per app: the strategies and users first, then their
routes and decisions, then their consultations, each building on the one before. Thurrock's
strategy and Bury's, brought into Waymark after the fact from their councils' public pages, have
a module each (thurrock.py, bury.py), loaded through the same workflow; last, a made-up
consultation open today, to try the public form (open_consultation.py); Dudley's 2012-2016
strategy in delivery and under review, with a made-up delivery plan (delivery.py); and the seed
reports themselves as PDFs on their gates, with an easy-read version marked as demo data
(documents.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo import (
    bury,
    consultation,
    delivery,
    documents,
    governance,
    open_consultation,
    strategies,
    thurrock,
)


class Command(BaseCommand):
    help = (
        "Load the Milton Keynes and Dudley demo strategies, Thurrock's and Bury's strategies "
        "brought in from their public records, a made-up consultation open today, and the demo "
        "users (needs DEBUG)."
    )

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
            thurrock.load(self.stdout)
            bury.load(self.stdout)
            open_consultation.load(self.stdout)
            delivery.load(self.stdout)
            documents.load(self.stdout)  # after delivery, which publishes Dudley 2012-2016
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            "Demo strategies:\n"
            "  Milton Keynes Joint Health and Wellbeing Strategy 2012-2015 (seed report, "
            "attached as a PDF to its gate)\n"
            "  Dudley's Health and Wellbeing Strategy 2017-2022 (seed report, attached as a "
            "PDF to its gate)\n"
            "  Dudley Health and Wellbeing Strategy 2012-2016, the one it replaces: in delivery, "
            "now under review, with a made-up delivery plan (actions, updates, indicator values "
            "marked Demo) and an easy-read version, demo data, on its public page\n"
            "  Thurrock Health and Wellbeing Strategy 2022-2026 (brought in from Thurrock "
            "Council's public records: scrutiny comments, a month-precision approval)\n"
            "  Bury Housing Strategy 2021-2030 (brought in from Bury Council's public records: "
            "a decision called in, minute and agenda item references)\n"
            "  Demo: Waymark Borough Council Physical Activity Strategy 2027-2031 (made up, "
            "with a consultation open today: try it at /consult/)"
        )
        self.stdout.write(
            "Demo sign-ins (password for all: "
            f"{settings.DEMO_PASSWORD}):\n"
            "  officer     officer of Dudley Council (edits Dudley's 2017-2022 strategy)\n"
            "  mk-officer  officer of Milton Keynes Council\n"
            "  secretary   board secretary, Dudley Council\n"
            "  manager     manager, reads everything\n"
            "  admin       administrator (Django admin at /admin/)"
        )
