"""What every section of the dashboard starts from: the person, today, and the strategies they
may read (see __init__.py for the sections)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Case, Count, IntegerField, Subquery, Value, When
from django.utils import timezone

from strategies import prepared
from strategies.access import visible_strategies
from strategies.models import Strategy, User

# From how many strategies the user reads the lists choose their rows by id first
# (`chosen_first`): at 5,000 strategies that took a fifth off the page on PostgreSQL, while at
# 10 the subquery's planning cost more than it saved and at 500 it made no difference.
CHOOSE_BY_ID_FROM = 1000


@dataclass
class Dashboard:
    user: User
    today: datetime.date = field(default_factory=timezone.localdate)
    # Whether the lists choose their rows by id first: set for the lists' builders (`read`),
    # worked out from how many strategies the user reads otherwise (`chooses_by_id`).
    by_id: bool | None = None
    LIMIT = 12

    @property
    def strategies(self):
        """The strategies the user may read (a queryset to filter further)."""
        return visible_strategies(self.user)

    @cached_property
    def stage_totals(self) -> dict[str, dict[str, int]]:
        """How many strategies the user may read are at each stage (`total`), and how many of
        them their own organisation leads (`own`), by stage: one query, read by the stage counts
        and the delivery section alike."""
        own = self.own_organisation_id
        rows = self.strategies.values("stage").annotate(
            total=Count("pk"),
            own=Count("pk", filter=Strategy.objects.led_by_q(own)) if own else Count("pk"),
        )
        return {row["stage"]: row for row in rows}

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

    @property
    def chooses_by_id(self) -> bool:
        """Whether the lists choose their rows by id first (`first`): from `CHOOSE_BY_ID_FROM`
        strategies the user reads (counted by `stage_totals`, which the page reads anyway)."""
        if self.by_id is None:
            read = sum(row["total"] for row in self.stage_totals.values())
            self.by_id = read >= CHOOSE_BY_ID_FROM
        return self.by_id

    def first(self, queryset):
        """The first `LIMIT` rows of an ordered query set: chosen by id first where the user
        reads many strategies (`chosen_first`), a plain slice otherwise. The same rows."""
        if self.chooses_by_id:
            return chosen_first(queryset, self.LIMIT)
        return queryset[: self.LIMIT]

    def read(self, name: str, build, *shape) -> list:
        """The rows of `build(dashboard)` (a query set), its SQL built once per process for
        people of this user's kind (strategies/prepared.py). `build` may draw only on the
        dashboard's user and day, on `shape`, which it is also given, and on `first`."""
        by_id = self.chooses_by_id
        return prepared.rows(
            f"dashboard:{name}",
            lambda user, today: build(Dashboard(user, today, by_id), *shape),
            user=self.user,
            today=self.today,
            shape=(*shape, by_id),
        )

    def first_rows(self, name: str, build, *shape) -> tuple[list, int]:
        """The first `LIMIT` rows of the ordered query set `build(dashboard, *shape)` and how
        many rows it has in all, in one prepared query (`first_rows`)."""
        rows = self.read(name, lambda board, *s: first_rows(board, build(board, *s)), *shape)
        return rows, rows[0].rows_in_all if rows else 0

    def own_first_in_database(self, queryset, path: str = ""):
        """`queryset` annotated, for those with an organisation of their own, with `not_own`:
        0 for the rows of strategies that organisation leads (reached by `path`, "strategy__"
        say), 1 for the others; ordering by `own_first_order` then puts theirs first."""
        own = self.own_organisation_id
        if not own:
            return queryset
        lead = {f"{path}lead_organisation_id": own}
        not_own = Case(When(**lead, then=Value(0)), default=Value(1), output_field=IntegerField())
        return queryset.annotate(not_own=not_own)

    @property
    def own_first_order(self) -> list[str]:
        """The order words to put before a list's own, after `own_first_in_database`."""
        return ["not_own"] if self.own_organisation_id else []

    def own_first(self, items, organisation_id_of) -> list:
        """Items sorted with the user's own organisation first, keeping their order otherwise."""
        own = self.own_organisation_id
        if own is None:
            return list(items)
        return sorted(items, key=lambda item: organisation_id_of(item) != own)


def first_rows(board: Dashboard, queryset):
    """The first rows of an ordered query set (`Dashboard.first`), each carrying how many it has in
    all (`rows_in_all`), in one query: the count comes from a subquery that does not depend on
    the row, so the database counts once (an InitPlan) and then reads only the first rows in
    order. A window over the whole result (COUNT(*) OVER ()) gave the same answer but built
    every row, joins and all, before keeping `limit` of them: at 5,000 strategies most of the
    dashboard's time."""
    counted = queryset.order_by().values(one=Value(1)).annotate(n=Count("pk")).values("n")
    return board.first(queryset.annotate(rows_in_all=Subquery(counted)))


def chosen_first(queryset, limit: int):
    """The first `limit` rows of an ordered query set, chosen by their ids in a subquery that
    reads only the columns the filter and the order need, then read whole. Sorting every
    candidate with all the columns of the rows joined to it (a gate with its strategy, say)
    was a third of each dashboard list's time at 5,000 strategies; the rows read whole are
    only those shown. Same rows, same order."""
    return queryset.filter(pk__in=queryset.values("pk")[:limit])
