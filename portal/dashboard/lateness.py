"""How the dashboard says that something is late. Lateness of the last year is news: it is
counted in days and shown first, prominently. Lateness older than that (`OLD_AFTER`) is mostly
history to tidy: a gate of a strategy brought in after the fact, or of a route that stalled
long ago, still awaits a decision nobody will take. Shouting "3,369 days late" in red at every
visit hides what is late this month, so such rows are said in plain words ("Overdue since
May 2017"), grouped after the recent ones and kept out of the headline figures, with their
links to where to act (templates/portal/_dashboard_late.html shows both kinds, and
_dashboard_older.html is the closed group of old rows that every such list shares)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Q, Subquery, Value, When

OLD_AFTER = datetime.timedelta(days=365)


@dataclass(frozen=True)
class Lateness:
    since: datetime.date  # the day it was due
    days: int

    @classmethod
    def of(cls, due: datetime.date, today: datetime.date) -> Lateness:
        return cls(due, max(0, (today - due).days))

    @property
    def is_old(self) -> bool:
        return self.days > OLD_AFTER.days


@dataclass
class LateList:
    """At most the dashboard's limit of late rows (each with a `lateness`), the recent first;
    how many more there are; and how many of all of them, shown or not, are late by more than
    `OLD_AFTER` (the shape of gates.Capped, with the old ones told apart)."""

    rows: list
    more: int
    older_in_all: int = 0

    @property
    def recent(self) -> list:
        return [row for row in self.rows if not (row.lateness is not None and row.lateness.is_old)]

    @property
    def older(self) -> list:
        return [row for row in self.rows if row.lateness is not None and row.lateness.is_old]

    @property
    def recent_more(self) -> int:
        return self.more - self.older_more

    @property
    def older_more(self) -> int:
        return self.older_in_all - len(self.older)


def late_rows(board, queryset, due: str, *order):
    """The first rows of `queryset` (late things, `due` naming their day; `board.first`), those
    late for a year or less first, then by `order`, each carrying how many rows there are in
    all and how many of them are late by more than `OLD_AFTER` (read by `late_counts`). One
    query: both counts come from subqueries that do not depend on the row, as in
    portal/dashboard/base.py first_rows."""
    old = is_old(due, board.today)
    counted = queryset.order_by().values(one=Value(1))
    return board.first(
        recent_first(queryset, due, board.today, *order).annotate(
            rows_in_all=Subquery(counted.annotate(n=Count("pk")).values("n")),
            old_in_all=Subquery(counted.annotate(n=Count("pk", filter=old)).values("n")),
        )
    )


def late_counts(rows: list) -> tuple[int, int]:
    """How many late rows there are in all, and how many of them are old, as the rows of
    `late_rows` carry them."""
    return (rows[0].rows_in_all, rows[0].old_in_all) if rows else (0, 0)


def is_old(due: str, today: datetime.date) -> Q:
    """Rows (`due` naming their day) late by more than `OLD_AFTER`."""
    return Q(**{f"{due}__lt": today - OLD_AFTER})


def recent_first(queryset, due: str, today: datetime.date, *order):
    """`queryset` (late things, `due` naming their day) ordered with those late for a year or
    less first, then by `order`."""
    old = Case(When(is_old(due, today), then=Value(1)), default=Value(0))
    return queryset.annotate(is_old=old).order_by("is_old", *order)


def split_by_age(rows: list) -> tuple[list, list]:
    """Rows with a `lateness` (or none: not late), the recent and the old, keeping their
    order: for the short lists whose rows are all loaded anyway."""

    def is_old(row) -> bool:
        return row.lateness is not None and row.lateness.is_old

    return [row for row in rows if not is_old(row)], [row for row in rows if is_old(row)]
