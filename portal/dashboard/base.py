"""What every section of the dashboard starts from: the person, today, and the strategies they
may read (see __init__.py for the sections)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Window
from django.utils import timezone

from strategies.access import visible_strategies
from strategies.models import User


@dataclass
class Dashboard:
    user: User
    today: datetime.date = field(default_factory=timezone.localdate)
    LIMIT = 12

    @property
    def strategies(self):
        """The strategies the user may read (a queryset to filter further)."""
        return visible_strategies(self.user)

    @property
    def reads_everything(self) -> bool:
        """Managers and administrators read every strategy (`User.reads_everything`)."""
        return self.user.reads_everything

    def within(self, queryset, path: str = "strategy"):
        """`queryset` narrowed to rows whose strategy (reached by `path`) the user may read.
        Those who read everything need no narrowing (and the database is spared a subquery on
        every dashboard list)."""
        if self.reads_everything:
            return queryset
        return queryset.filter(**{f"{path}__in": self.strategies})

    @property
    def own_organisation_id(self) -> int | None:
        """For officers and secretaries, their own organisation's items come first."""
        return None if self.user.is_administrator else self.user.organisation_id

    def own_first(self, items, organisation_id_of) -> list:
        """Items sorted with the user's own organisation first, keeping their order otherwise."""
        own = self.own_organisation_id
        if own is None:
            return list(items)
        return sorted(items, key=lambda item: organisation_id_of(item) != own)


def first_rows(queryset, limit: int) -> tuple[list, int]:
    """The first `limit` rows of an ordered query set and how many rows it has in all, in one
    query: each row carries the count of all of them (a window over the whole result)."""
    rows = list(queryset.annotate(rows_in_all=Window(Count("pk")))[:limit])
    return rows, rows[0].rows_in_all if rows else 0
