"""manage.py import_strategy FILE [--as USERNAME]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from portal.exchange.document import ExchangeError, import_strategy
from strategies.models import User


class Command(BaseCommand):
    help = (
        "Create a strategy from a file written by export_strategy, with everything in it, in one "
        "transaction: a file that cannot be imported whole is refused and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file written by export_strategy.")
        parser.add_argument(
            "--as", dest="username", help="The user the import is recorded against in the history."
        )

    def handle(self, *args, file, username=None, **kwargs):
        by = None
        if username:
            by = User.objects.filter(username=username, is_active=True).first()
            if by is None:
                raise CommandError(f"No active user “{username}”.")
        try:
            with open(file, encoding="utf-8") as handle:
                document = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} is not a JSON file ({error}).") from None
        try:
            strategy, notes = import_strategy(document, by=by)
        except ExchangeError as refusal:
            raise CommandError(refusal.message) from None
        for note in notes:
            self.stdout.write(f"  {note}")
        self.stdout.write(
            self.style.SUCCESS(f"Imported “{strategy}” at /strategies/{strategy.slug}/.")
        )
