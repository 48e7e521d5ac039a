"""The dashboard's sections on the governance route: gates due and overdue, deadline warnings,
recent decisions and the adoption outlook."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, Min, Q, When, Window
from django.db.models.functions import Coalesce
from django.urls import reverse

from governance.access import bodies_served
from governance.dates import Precision
from governance.deadlines import DeadlineNote, gate_notes
from governance.models import Decision, Gate, Meeting
from portal.projection import attach_bodies_and_meetings, project
from strategies.models import Organisation, Strategy

from .base import first_rows

Stage = Strategy.Stage
DUE_WITHIN = datetime.timedelta(days=30)
RECENT = datetime.timedelta(days=30)


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


def open_gates(strategies=None):
    """The gates awaiting a decision, of `strategies` (a query set) or of all."""
    gates = Gate.objects.awaiting_decision()
    return gates if strategies is None else gates.filter(strategy__in=strategies)


def notice_days() -> tuple[set[int], set[int]]:
    """The agenda notice days and key decision notice days the organisations use (a few
    values, usually one each)."""
    rows = (
        Organisation.objects.values_list("agenda_notice_days", "key_decision_notice_days")
        .order_by()
        .distinct()
    )
    return {a for a, _ in rows}, {k for _, k in rows}


def _notice_day_passed(today: datetime.date, days: int) -> Q:
    """Gates (annotated with `due_on`) of organisations giving `days` clear days' notice of key
    decisions, whose day is close enough that the notice day has passed."""
    return Q(
        body__organisation__key_decision_notice_days=days,
        due_on__lte=today + datetime.timedelta(days=days),
    )


def late_key_decisions(today: datetime.date, days: int) -> Q:
    """Open key decisions planned to a day, without Forward Plan notice, whose notice day
    (`days` clear days before) has passed: each is a warning (the general exception or
    special urgency, see deadlines.KeyDecisionNotice), known in the database, due on its day
    less `days` + 1 and so never still ahead. Gates annotated with `due_on`. The rule of
    governance.deadlines.earliest_without_notice, in the database."""
    on_a_day = Q(meeting__date_precision=Precision.DAY) | Q(
        meeting__isnull=True, planned_precision=Precision.DAY
    )
    return (
        Q(key_decision=True, body__is_executive=True, forward_plan_published_on__isnull=True)
        & on_a_day
        & _notice_day_passed(today, days)
    )


def may_warn(today: datetime.date, agenda_days: set[int], key_days: set[int]) -> tuple[Q, Q]:
    """Which open gates may carry an agenda warning, and which a key decision warning (see
    deadlines.gate_notes): narrowed in the database so that the rules run on the few near or
    past a deadline rather than on every open gate, and never narrower than the rules:
    - an agenda is late or missed only at a scheduled public meeting whose agenda has been
      published, or which is close enough that its publication date may have passed (notice in
      clear working days spans at most twice the days and a fortnight of holidays);
    - a key decision with notice may have had it late; one without is late only once its day
      (or the last day of its period) is within the notice days from today."""
    reach = today + datetime.timedelta(days=2 * max(agenda_days, default=0) + 14)
    agenda = Q(
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__date_precision=Precision.DAY,
        meeting__body__meets_in_public=True,
    ) & (Q(meeting__agenda_published_on__isnull=False) | Q(due_on__lte=reach))
    unnoticed = Q()
    for days in key_days:
        unnoticed |= _notice_day_passed(today, days)
    key = Q(key_decision=True, body__is_executive=True) & (
        Q(forward_plan_published_on__isnull=False) | unnoticed
    )
    return agenda, key


def gates_section(dashboard) -> dict:
    """Gates due within 30 days, overdue gates and deadline warnings, the user's own
    organisation's first. What is due, late and (for the many key decisions past their notice
    day) warned of is chosen, ordered and counted in the database, so that only the rows shown
    and the few gates near another deadline are loaded, however many strategies there are."""
    today, limit = dashboard.today, dashboard.LIMIT
    served = set(bodies_served(dashboard.user).values_list("pk", flat=True))
    gates = dashboard.within(open_gates()).select_related("strategy").with_due_day()
    own = dashboard.own_organisation_id
    if own:
        gates = gates.annotate(
            not_own=Case(When(strategy__lead_organisation_id=own, then=0), default=1)
        )
    first = ["not_own"] if own else []
    agenda_days, key_days = notice_days()
    late_key = Q(pk__in=[])  # matches nothing
    for days in key_days:
        late_key |= late_key_decisions(today, days)
    due, due_count = first_rows(
        gates.filter(due_on__gte=today, due_on__lte=today + DUE_WITHIN).order_by(
            *first, "due_on", "strategy_id", "position"
        ),
        limit,
    )
    overdue, overdue_count = first_rows(
        gates.filter(due_on__lt=today).order_by(*first, "due_on", "strategy_id", "position"),
        limit,
    )
    # The late key decisions longest past their notice day last: the latest first.
    late_keys, late_key_count = [], 0
    for days in key_days:
        rows, count = first_rows(
            gates.filter(late_key_decisions(today, days)).order_by(
                *first, "-due_on", "strategy_id", "position"
            ),
            limit,
        )
        late_keys += rows
        late_key_count += count
    agenda, key = may_warn(today, agenda_days, key_days)
    others = list(
        gates.annotate(late_key=Case(When(late_key, then=True), default=False))
        .filter(agenda | (key & Q(late_key=False)))
        .order_by("strategy_id", "position")
    )
    attach_bodies_and_meetings(due + overdue + late_keys + others)

    def as_item(gate: Gate) -> GateItem:
        day = gate.due_day
        item = GateItem(gate, day, days_late=max(0, (today - day).days))
        if gate.body_id in served:
            if gate.meeting_id and gate.meeting.day_has_come(today):
                item.action_url = reverse("governance:record-decision", args=[gate.pk])
                item.action_label = "Record the decision"
            elif gate.meeting_id:
                item.action_url = gate.meeting.get_absolute_url()
                item.action_label = "Meeting"
            else:
                item.action_url = f"{reverse('governance:meetings')}?gate={gate.pk}"
                item.action_label = "Put on a meeting"
        return item

    warnings = [
        Warning(gate, note)
        for gate in late_keys
        for note in gate_notes(gate, today)
        if note.warning and note.rule == "key_decision"
    ] + [
        Warning(gate, note)
        for gate in others
        for note in gate_notes(gate, today)
        if note.warning and not (gate.late_key and note.rule == "key_decision")
    ]
    total_warnings = late_key_count + len(warnings) - len(late_keys)
    # In the rules' own order (route order, a gate's agenda before its Forward Plan), then
    # those still to act on first (soonest first), those already missed after (latest first).
    warnings.sort(key=lambda w: (w.gate.strategy_id, w.gate.position, w.note.rule != "agenda"))
    ahead = sorted((w for w in warnings if (w.note.due_on or today) >= today),
                   key=lambda w: w.note.due_on or today)  # fmt: skip
    behind = sorted((w for w in warnings if (w.note.due_on or today) < today),
                    key=lambda w: w.note.due_on, reverse=True)  # fmt: skip
    warnings = dashboard.own_first(ahead + behind, lambda w: w.gate.strategy.lead_organisation_id)
    warnings = warnings[:limit]
    recent = dashboard.within(
        Decision.objects.filter(decided_on__gte=today - RECENT), "gate__strategy"
    )
    decisions, decision_count = first_rows(
        recent.select_related("gate__strategy", "gate__body", "meeting").order_by(
            "-decided_on", "-pk"
        ),
        limit,
    )
    return {
        "due": Capped([as_item(g) for g in due], due_count - len(due)),
        "overdue": Capped([as_item(g) for g in overdue], overdue_count - len(overdue)),
        "warnings": Capped(warnings, total_warnings - len(warnings)),
        "decisions": Capped(decisions, decision_count - len(decisions)),
        "today": today,
        "due_within_days": DUE_WITHIN.days,
        "recent_days": RECENT.days,
    }


def outlook_section(dashboard) -> dict:
    """When the strategies on their route will realistically be adopted: the ones whose next
    gate comes soonest (the user's own organisation's first), projected in full. Choosing them
    in the database keeps the cost the same however many strategies there are; the timeline
    has the rest."""
    on_route = (
        dashboard.strategies.exclude(stage__in=[*Stage.route_settled_values(), Stage.ADOPTED])
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
    # The order is worked out on narrow rows (ids and the count of all), then the chosen few
    # strategies are loaded: grouping whole strategy rows costs the database more.
    chosen = list(
        on_route.annotate(in_all=Window(Count("pk"))).values_list("pk", "in_all")[: dashboard.LIMIT]
    )
    total = chosen[0][1] if chosen else 0
    loaded = Strategy.objects.select_related("lead_organisation").in_bulk([pk for pk, _ in chosen])
    strategies = [loaded[pk] for pk, _ in chosen]
    projections = project(strategies, dashboard.today)
    rows = [projections[s.pk] for s in strategies]
    return {"projections": Capped(rows, total - len(rows))}
