"""The staff dashboard at `/`: where every strategy the user may read stands, what is due, what
is late, and what was decided. Strategies contributes the count by stage; governance and
consultation contribute their sections through strategies.extensions.DASHBOARD_SECTIONS.

Each section runs a fixed number of queries and shows at most `Dashboard.LIMIT` rows per list,
saying how many more there are, so the page costs the same with 10 strategies or 500.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Window
from django.utils import timezone

from .access import visible_strategies
from .extensions import DASHBOARD_SECTIONS, RenderedPanel
from .models import Strategy, User


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
        """Managers and administrators read every strategy."""
        return not self.strategies.query.has_filters()

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


@dataclass(frozen=True)
class StageCount:
    value: str
    label: str
    count: int
    own: int


def stage_counts(dashboard: Dashboard) -> list[StageCount]:
    """How many strategies are at each stage (all the user may read, and their own
    organisation's), in the order of the stages."""
    own = dashboard.own_organisation_id
    rows = dashboard.strategies.values("stage").annotate(
        total=Count("pk"),
        own=Count("pk", filter=Q(lead_organisation_id=own)) if own else Count("pk"),
    )
    found = {row["stage"]: row for row in rows}
    return [
        StageCount(value, label, found[value]["total"], found[value]["own"])
        for value, label in Strategy.Stage.choices
        if value in found
    ]


def stages_section(request, dashboard: Dashboard) -> dict:
    counts = stage_counts(dashboard)
    return {
        "counts": counts,
        "total": sum(c.count for c in counts),
        "show_own": dashboard.own_organisation_id is not None,
        "organisation": dashboard.user.organisation,
    }


def sections_for(request, dashboard: Dashboard) -> list[RenderedPanel]:
    rendered = []
    for section in DASHBOARD_SECTIONS:
        context = section.context(request, dashboard)
        if context is not None:
            rendered.append(RenderedPanel(section.template, {**context, "dashboard": dashboard}))
    return rendered
