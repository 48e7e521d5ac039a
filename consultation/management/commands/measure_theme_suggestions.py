"""How far the theme suggestions agree with themes people gave the same comments
(`manage.py measure_theme_suggestions [CSV]`): the figure the README and
docs/decisions/0022-theme-suggestions.md quote, and tests/consultation/test_suggestion_method.py
keeps from falling. The labelled set is public material from another project and is not kept
in this repository: by default it is read from WAYMARK_LABELLED_COMMENTS, or else from
`shared/data/labelled_comments.csv` beside the checkout (docs/decisions/0022 says where it
comes from and how to get it)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from consultation.suggestions import METHOD, agreement, read_labelled

LABELLED = Path(
    os.environ.get("WAYMARK_LABELLED_COMMENTS")
    or Path(settings.BASE_DIR).parent / "shared" / "data" / "labelled_comments.csv"
)


class Command(BaseCommand):
    help = "Measure how far the theme suggestions agree with themes people gave the comments."

    def add_arguments(self, parser) -> None:
        parser.add_argument("csv", nargs="?", default=str(LABELLED), help="id,theme,comment CSV")
        parser.add_argument(
            "--column", default="theme", help="The column of the people's theme (default: theme)"
        )

    def handle(self, *args, **options) -> None:
        labelled = read_labelled(options["csv"], options["column"])
        found = agreement(labelled)
        self.stdout.write(f"Method: {METHOD}")
        self.stdout.write(
            f"{found.comments} comments with {found.human_themes} themes given by people; "
            f"{found.suggested} themes suggested, covering {found.coverage:.0%} of the comments."
        )
        self.stdout.write(
            f"Adjusted Rand index {found.adjusted_rand:.3f}; normalised mutual information "
            f"{found.mutual_information:.3f}; purity {found.purity:.3f} (1 on all three is the "
            f"people's grouping exactly; the adjusted Rand index is 0 by chance)."
        )
