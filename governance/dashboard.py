"""Governance's sections of the staff dashboard: gates due and overdue, deadline warnings,
recent decisions and the adoption outlook (registered in apps.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, Min, Q, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from strategies.models import Strategy

from .access import bodies_served
from .dates import Precision, latest_day
from .deadlines import DeadlineNote, gate_notes
from .models import Decision, Gate
from .projection import load_gates, project

Stage = Strategy.Stage
DUE_WITHIN = datetime.timedelta(days=30)
RECENT = datetime.timedelta(days=30)
# Strategies whose route is behind them or abandoned have nothing due.
SETTLED = [Stage.PUBLISHED, Stage.IN_DELIVERY, Stage.SUPERSEDED, Stage.WITHDRAWN]


@dataclass
class GateItem:
    gate: Gate
    day: datetime.date  # the meeting's day, or the last day the plan can mean
    days_late: int = 0
    action_url: str = ""
    action_label: str = ""

    @property
    def url(self) -> str:
        return reverse("governance:route", kwargs={"slug": self.gate.strategy.slug}) + (
            f"#gate-{self.gate.pk}"
        )


@dataclass
class Warning:
    gate: Gate
    note: DeadlineNote

    @property
    def url(self) -> str:
        route = reverse("governance:route", kwargs={"slug": self.gate.strategy.slug})
        return f"{route}#gate-{self.gate.pk}"


@dataclass
class Capped:
    """At most `limit` rows of a list, and how many more there are."""

    rows: list
    more: int

    @classmethod
    def of(cls, items: list, limit: int) -> Capped:
        return cls(items[:limit], max(0, len(items) - limit))


def gate_day(gate: Gate) -> datetime.date | None:
    """The day a gate is due: its meeting's, or the last day its plan can mean. A gate of
    `open_gates` is overdue once this day has passed (here and in governance/reminders.py)."""
    if gate.meeting_id:
        return timezone.localtime(gate.meeting.starts_at).date()
    if gate.planned_date and gate.planned_precision != Precision.NOT_SET:
        return latest_day(gate.planned_date, gate.planned_precision)
    return None


def open_gates(strategies):
    """The gates still to be decided of those strategies that are still on their route."""
    return Gate.objects.filter(
        strategy__in=strategies.exclude(stage__in=SETTLED), state__in=Gate.State.open_values()
    ).exclude(purpose="consult")  # a consultation gate runs with its window (see below)


def gates_section(request, dashboard) -> dict:
    today, limit = dashboard.today, dashboard.LIMIT
    served = set(bodies_served(dashboard.user).values_list("pk", flat=True))
    gates = load_gates(open_gates(dashboard.strategies).select_related("strategy"))
    due, overdue, warnings = [], [], []
    for gate in gates:
        day = gate_day(gate)
        item = GateItem(gate, day) if day else None
        if item and gate.body_id in served:
            if gate.meeting_id and day <= today:
                item.action_url = reverse("governance:record-decision", args=[gate.pk])
                item.action_label = "Record the decision"
            elif gate.meeting_id:
                item.action_url = gate.meeting.get_absolute_url()
                item.action_label = "Meeting"
            else:
                item.action_url = reverse("governance:meetings")
                item.action_label = "Put on a meeting"
        if item and day < today:
            item.days_late = (today - day).days
            overdue.append(item)
        elif item and day <= today + DUE_WITHIN:
            due.append(item)
        warnings += [Warning(gate, note) for note in gate_notes(gate, today) if note.warning]

    def org(item):
        return item.gate.strategy.lead_organisation_id

    due = dashboard.own_first(sorted(due, key=lambda i: i.day), org)
    overdue = dashboard.own_first(sorted(overdue, key=lambda i: -i.days_late), org)
    # Those still to act on first (soonest first), then those already missed (latest first).
    warnings.sort(key=lambda w: (w.note.due_on or today) < today)
    ahead = sorted((w for w in warnings if (w.note.due_on or today) >= today),
                   key=lambda w: w.note.due_on or today)  # fmt: skip
    behind = sorted((w for w in warnings if (w.note.due_on or today) < today),
                    key=lambda w: w.note.due_on, reverse=True)  # fmt: skip
    warnings = dashboard.own_first(ahead + behind, org)
    recent = Decision.objects.filter(
        gate__strategy__in=dashboard.strategies, decided_on__gte=today - RECENT
    )
    decisions = list(
        recent.select_related("gate__strategy", "gate__body", "meeting").order_by(
            "-decided_on", "-pk"
        )[:limit]
    )
    return {
        "due": Capped.of(due, limit),
        "overdue": Capped.of(overdue, limit),
        "warnings": Capped.of(warnings, limit),
        "decisions": Capped(decisions, max(0, recent.count() - limit) if decisions else 0),
        "today": today,
    }


def outlook_section(request, dashboard) -> dict:
    """When the strategies on their route will realistically be adopted: the ones whose next
    gate comes soonest (the user's own organisation's first), projected in full. Choosing them
    in the database keeps the cost the same however many strategies there are; the timeline
    has the rest."""
    on_route = (
        dashboard.strategies.exclude(stage__in=[*SETTLED, Stage.ADOPTED])
        .filter(pk__in=Gate.objects.values("strategy_id"))
        .annotate(
            next_gate=Min(
                Coalesce("gates__meeting__starts_at__date", "gates__planned_date"),
                filter=Q(gates__state__in=Gate.State.open_values()),
            )
        )
    )
    own = dashboard.own_organisation_id
    if own:
        on_route = on_route.annotate(
            not_own=Case(When(lead_organisation_id=own, then=0), default=1)
        ).order_by("not_own", F("next_gate").asc(nulls_last=True), "title")
    else:
        on_route = on_route.order_by(F("next_gate").asc(nulls_last=True), "title")
    total = on_route.count()
    strategies = list(on_route.select_related("lead_organisation")[: dashboard.LIMIT])
    projections = project(strategies, dashboard.today)
    rows = [projections[s.pk] for s in strategies]
    return {"projections": Capped(rows, total - len(rows))}
