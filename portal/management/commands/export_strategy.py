"""manage.py export_strategy <slug> [--output FILE] [--as USERNAME] [--include-personal-data]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from portal.exchange.document import export_strategy
from strategies import access
from strategies.access import can_export_personal_data
from strategies.models import Strategy, User


class Command(BaseCommand):
    help = (
        "Write a strategy, with its content, revisions, route, decisions, consultations and "
        "history, as JSON. Respondents' personal data is left out unless --include-personal-data "
        "is given with --as naming an active administrator."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The strategy's address, as in /strategies/<slug>/.")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument(
            "--as",
            dest="username",
            help="The user the export is made for; it is recorded in the file.",
        )
        parser.add_argument(
            "--include-personal-data",
            action="store_true",
            help="Include what respondents wrote and who they responded for (administrators).",
        )

    def handle(self, *args, slug, output=None, username=None, include_personal_data=False, **kw):
        strategy = Strategy.objects.filter(slug=slug).first()
        if strategy is None:
            raise CommandError(f"No strategy at the address “{slug}”.")
        by = None
        if username:
            by = User.objects.filter(username=username, is_active=True).first()
            if by is None:
                raise CommandError(f"No active user “{username}”.")
        if include_personal_data and not can_export_personal_data(by):
            raise CommandError(
                "Personal data is exported only for an administrator: add --as with the "
                "username of an active administrator, who is named in the file."
            )
        if by is not None and not access.visible_strategies(by).filter(pk=strategy.pk).exists():
            # The browser's and the API's rule: another organisation's draft is not theirs.
            raise CommandError(f"“{username}” cannot read “{strategy}”: nothing was written.")
        document = export_strategy(strategy, by=by, personal_data=include_personal_data)
        text = json.dumps(document, indent=1, ensure_ascii=False)
        if output:
            try:
                with open(output, "w", encoding="utf-8") as file:
                    file.write(text + "\n")
            except OSError as problem:
                raise CommandError(f"Cannot write {output}: {problem.strerror}.") from None
            self.stdout.write(f"“{strategy}” written to {output}.")
        else:
            self.stdout.write(text)
