"""How a strategy's delivery stands, for its pages and reports: per priority > objective >
action, the latest update, the trend of the last few, the milestones with what is overdue, and
what changed since a given day. Each reading costs the same number of queries however many
actions, updates and milestones the strategy has (tests/delivery pin them)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from strategies.models import Action, Objective, Organisation, Priority, Strategy

from .models import Milestone, ProgressUpdate
from .plan import RAG_ORDER

# How many updates a trend shows, oldest to newest.
TREND_LENGTH = 4
CLOSED_STATUSES = {Action.Status.COMPLETE, Action.Status.CANCELLED}
# What a RAG rating means on the plan's pages and in its counts.
RAG_MEANING = {
    Action.Rag.GREEN: "On track",
    Action.Rag.AMBER: "At risk",
    Action.Rag.RED: "Off track",
    "": "Not rated",
}


@dataclass
class Trend:
    """The last few updates' ratings, oldest to newest, and how the latest compares with the
    one before it: "better", "worse", "same", or "" when there is nothing to compare."""

    ratings: list[str]
    direction: str

    SYMBOLS = {"better": "▲", "worse": "▼", "same": "▶"}
    WORDS = {
        "better": "Better than the previous update",
        "worse": "Worse than the previous update",
        "same": "The same as the previous update",
    }

    @property
    def symbol(self) -> str:
        return self.SYMBOLS.get(self.direction, "")

    @property
    def words(self) -> str:
        return self.WORDS.get(self.direction, "No earlier rating to compare")

    @property
    def ratings_named(self) -> str:
        return " → ".join(Action.Rag(r).label if r else "not rated" for r in self.ratings)


def trend_of(updates_newest_first: list[ProgressUpdate]) -> Trend:
    ratings = [u.rag for u in reversed(updates_newest_first[:TREND_LENGTH])]
    return Trend(ratings, compare(ratings[-2], ratings[-1]) if len(ratings) > 1 else "")


def compare(before: str, now: str) -> str:
    """ "better", "worse" or "same" from the rating `before` to the rating `now`; "" when
    either is not rated."""
    if before not in RAG_ORDER or now not in RAG_ORDER:
        return ""
    step = RAG_ORDER.index(now) - RAG_ORDER.index(before)
    return "better" if step > 0 else "worse" if step < 0 else "same"


@dataclass
class MilestoneRow:
    milestone: Milestone
    overdue: bool


@dataclass
class ActionRow:
    action: Action
    updates: list[ProgressUpdate]  # the latest few, newest first
    milestones: list[MilestoneRow]
    overdue: bool

    @property
    def latest(self) -> ProgressUpdate | None:
        return self.updates[0] if self.updates else None

    @property
    def trend(self) -> Trend:
        return trend_of(self.updates)

    @property
    def rag_meaning(self) -> str:
        return RAG_MEANING[self.action.rag]

    @property
    def overdue_milestones(self) -> int:
        return sum(1 for m in self.milestones if m.overdue)


@dataclass
class ObjectiveRows:
    objective: Objective
    actions: list[ActionRow]


@dataclass
class PriorityRows:
    priority: Priority
    objectives: list[ObjectiveRows]


@dataclass
class Plan:
    priorities: list[PriorityRows]
    counts: dict[str, int]
    shown: int
    total: int
    leads: list[Organisation] = field(default_factory=list)


def is_overdue(action: Action, today: datetime.date) -> bool:
    """Its due date has passed and it is neither complete nor cancelled."""
    return (
        action.due_date is not None
        and action.due_date < today
        and action.status not in CLOSED_STATUSES
    )


def milestone_overdue(milestone: Milestone, today: datetime.date) -> bool:
    return milestone.completed_on is None and milestone.due_on < today


def latest_updates(actions_filter: Q, many: int = TREND_LENGTH):
    """The latest `many` updates of each action `actions_filter` picks, newest first, with who
    recorded them: one query, however many updates each action has."""
    return (
        ProgressUpdate.objects.filter(actions_filter)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("action_id")],
                order_by=[F("as_of").desc(), F("id").desc()],
            )
        )
        .filter(place__lte=many)
        .select_related("recorded_by")
        .order_by("action_id", "place")
    )


def delivery_plan(
    strategy: Strategy,
    today: datetime.date | None = None,
    rag: str | None = None,
    overdue_only: bool = False,
    lead: int | None = None,
) -> Plan:
    """The strategy's actions by priority and objective, each with its latest updates, trend,
    milestones and overdue flags, in five queries. The counts are of every action; the rows are
    those the filters keep: a RAG rating ("none" for not rated), overdue (the action or one of
    its milestones), a lead organisation's id."""
    today = today or timezone.localdate()
    in_strategy = Q(action__objective__priority__strategy=strategy)
    updates = defaultdict(list)
    for update in latest_updates(in_strategy):
        updates[update.action_id].append(update)
    milestones = defaultdict(list)
    for milestone in Milestone.objects.filter(in_strategy):
        milestones[milestone.action_id].append(
            MilestoneRow(milestone, milestone_overdue(milestone, today))
        )
    priorities = Priority.objects.filter(strategy=strategy).prefetch_related(
        Prefetch(
            "objectives",
            queryset=Objective.objects.prefetch_related(
                Prefetch("actions", queryset=Action.objects.select_related("lead_organisation"))
            ),
        )
    )
    counts = dict.fromkeys(RAG_MEANING.values(), 0) | {
        "Overdue actions": 0,
        "Overdue milestones": 0,
    }
    leads: dict[int, Organisation] = {}
    rows, shown, total = [], 0, 0
    for priority in priorities:
        objective_rows = []
        for objective in priority.objectives.all():
            action_rows = []
            for action in objective.actions.all():
                row = ActionRow(
                    action, updates[action.pk], milestones[action.pk], is_overdue(action, today)
                )
                total += 1
                counts[row.rag_meaning] += 1
                counts["Overdue actions"] += row.overdue
                counts["Overdue milestones"] += row.overdue_milestones
                if action.lead_organisation_id:
                    leads[action.lead_organisation_id] = action.lead_organisation
                if _kept(row, rag, overdue_only, lead):
                    action_rows.append(row)
            shown += len(action_rows)
            if action_rows:
                objective_rows.append(ObjectiveRows(objective, action_rows))
        if objective_rows:
            rows.append(PriorityRows(priority, objective_rows))
    return Plan(rows, counts, shown, total, sorted(leads.values(), key=lambda o: o.name))


def _kept(row: ActionRow, rag: str | None, overdue_only: bool, lead: int | None) -> bool:
    if rag is not None and row.action.rag != ("" if rag == "none" else rag):
        return False
    if overdue_only and not (row.overdue or row.overdue_milestones):
        return False
    return lead is None or row.action.lead_organisation_id == lead


@dataclass
class Changes:
    since: datetime.date
    updates: list[ProgressUpdate]  # each with `previous_rag`, the action's rating before it
    milestones: list[Milestone]


def changes_since(strategy: Strategy, since: datetime.date) -> Changes:
    """The updates describing a day from `since` on, newest first, each with the rating of the
    update before it (its `previous_rag`, "" if none), and the milestones completed from
    `since` on: two queries."""
    in_strategy = Q(action__objective__priority__strategy=strategy)
    before = ProgressUpdate.objects.filter(
        Q(as_of__lt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), pk__lt=OuterRef("pk")),
        action=OuterRef("action"),
    ).order_by("-as_of", "-pk")
    updates = list(
        ProgressUpdate.objects.filter(in_strategy, as_of__gte=since)
        .annotate(previous_rag=Subquery(before.values("rag")[:1]))
        .select_related("action", "recorded_by")
        .order_by("-as_of", "-pk")
    )
    for update in updates:
        update.previous_rag = update.previous_rag or ""
        update.direction = compare(update.previous_rag, update.rag)
    milestones = list(
        Milestone.objects.filter(in_strategy, completed_on__gte=since)
        .select_related("action")
        .order_by("-completed_on", "pk")
    )
    return Changes(since, updates, milestones)


def action_history(action: Action, today: datetime.date | None = None) -> ActionRow:
    """One action with every update, newest first, and its milestones: two queries."""
    today = today or timezone.localdate()
    updates = list(action.updates.select_related("recorded_by").order_by("-as_of", "-pk"))
    milestones = [MilestoneRow(m, milestone_overdue(m, today)) for m in action.milestones.all()]
    return ActionRow(action, updates, milestones, is_overdue(action, today))
