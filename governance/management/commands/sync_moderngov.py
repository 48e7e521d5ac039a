"""Bring meetings in from each organisation's Modern.gov site (governance/moderngov/).

    manage.py sync_moderngov                                   every enabled site, now
    manage.py sync_moderngov --organisation dudley             one organisation's site
    manage.py sync_moderngov --from 2026-01-01 --to 2026-12-31 another window
    manage.py sync_moderngov --queue                           for the worker (the schedule)

It prints, per site, the meetings created, updated and skipped (with why) and any error; an
error leaves that committee's meetings as they were. Running it again changes nothing that
Modern.gov has not changed. It exits with an error status when any site had an error, so that
cron reports it.
"""

from __future__ import annotations

import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError

from governance.models import ModernGovSite
from governance.moderngov.sync import default_window, sync_site
from governance.moderngov.tasks import queue_enabled_sites


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        # argparse's own error: one line naming the option, not a traceback.
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Bring meetings and agenda items in from the organisations' Modern.gov sites."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", help="The slug of one organisation.")
        parser.add_argument("--from", dest="date_from", type=_day, help="First day (YYYY-MM-DD).")
        parser.add_argument("--to", dest="date_to", type=_day, help="Last day (YYYY-MM-DD).")
        parser.add_argument(
            "--queue", action="store_true", help="Queue a task per site for the worker instead."
        )

    def handle(self, *args, organisation=None, date_from=None, date_to=None, queue=False, **_):
        if queue:
            count = queue_enabled_sites(organisation)
            self.stdout.write(self.style.SUCCESS(f"{count} Modern.gov site(s) queued."))
            return
        default_from, default_to = default_window()
        date_from, date_to = date_from or default_from, date_to or default_to
        if date_from > date_to:
            raise CommandError("--from must not be after --to.")
        sites = ModernGovSite.objects.filter(enabled=True).select_related("organisation")
        if organisation:
            sites = sites.filter(organisation__slug=organisation)
            if not sites:
                raise CommandError(
                    f"No enabled Modern.gov site for an organisation {organisation!r}."
                )
        failed = False
        for site in sites:
            report = sync_site(site, date_from, date_to)
            self.stdout.write(f"{report.site}, {date_from:%-d %b %Y} to {date_to:%-d %b %Y}")
            for line in report.lines()[:-1]:
                self.stdout.write(f"  {line}")
            style = self.style.ERROR if report.errors else self.style.SUCCESS
            self.stdout.write(style(f"  {report.summary()}"))
            failed |= bool(report.errors)
        if not sites:
            self.stdout.write("No enabled Modern.gov site: add one in the admin.")
        if failed:
            raise CommandError("Some meetings could not be brought in; see the errors above.")
