"""The dashboard's sections on the governance route: gates due and overdue, deadline warnings,
recent decisions and the adoption outlook."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from governance.access import bodies_served
from governance.dates import Precision
from governance.deadlines import DeadlineNote, gate_notes
from governance.models import Decision, Gate, Meeting
from portal.projection import attach_bodies_and_meetings, project
from strategies.models import Organisation, Strategy

from .lateness import LateList, Lateness, is_old, recent_first, split_by_age

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

    @property
    def lateness(self) -> Lateness | None:
        return Lateness(self.day, self.days_late) if self.days_late else None


@dataclass
class Warning:
    gate: Gate
    note: DeadlineNote
    today: datetime.date

    @property
    def lateness(self) -> Lateness | None:
        """How long ago the deadline was missed (None while it is still ahead)."""
        due = self.note.due_on
        return Lateness.of(due, self.today) if due and due < self.today else None

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


def notice_days(dashboard) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The agenda notice days and key decision notice days the organisations use (a few
    values, usually one each), each in order."""
    rows = dashboard.read(
        "notice-days",
        lambda board: (
            Organisation.objects.values_list("agenda_notice_days", "key_decision_notice_days")
            .order_by()
            .distinct()
        ),
    )
    return tuple(sorted({a for a, _ in rows})), tuple(sorted({k for _, k in rows}))


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


def _open_gates(board):
    """The open gates of the strategies the user reads, each with its `due_on` and strategy,
    and (for those with an organisation of their own) `not_own`, 0 for that organisation's."""
    gates = board.within(open_gates()).select_related("strategy").with_due_day()
    return board.own_first_in_database(gates, "strategy__")


def _late_key(today: datetime.date, key_days) -> Q:
    late_key = Q(pk__in=[])  # matches nothing
    for days in key_days:
        late_key |= late_key_decisions(today, days)
    return late_key


def _due_soon(today: datetime.date) -> Q:
    return Q(due_on__gte=today, due_on__lte=today + DUE_WITHIN)


def _gate_counts(board, agenda_days, key_days):
    """How many gates each list has in all, counted in one pass over the open gates (one row;
    each list then reads only the rows it shows: a gate decided between the two reads could
    make a count one off for that view, never below what is shown)."""
    today = board.today
    return (
        _open_gates(board)
        .order_by()
        .values(one=Value(1))
        .annotate(
            due=Count("pk", filter=_due_soon(today)),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            overdue_old=Count("pk", filter=is_old("due_on", today)),
            late_keys=Count("pk", filter=_late_key(today, key_days)),
        )
        .values("due", "overdue", "overdue_old", "late_keys")
    )


def _gates_due(board, *notice):
    due = _open_gates(board).filter(_due_soon(board.today))
    return board.first(due.order_by(*board.own_first_order, "due_on", "strategy_id", "position"))


def _gates_overdue(board, *notice):
    """Late for a year or less first (portal/dashboard/lateness.py), each kind longest late
    first."""
    today, first = board.today, board.own_first_order
    overdue = _open_gates(board).filter(due_on__lt=today)
    ordered = recent_first(overdue, "due_on", today, *first, "due_on", "strategy_id", "position")
    return board.first(ordered)


def _late_key_gates(board, agenda_days, key_days):
    """The late key decisions, longest past their notice day last: the latest first."""
    late = _open_gates(board).filter(_late_key(board.today, key_days))
    return board.first(late.order_by(*board.own_first_order, "-due_on", "strategy_id", "position"))


def _may_warn_gates(board, agenda_days, key_days):
    """The other open gates near or past an agenda or Forward Plan deadline (`may_warn`)."""
    agenda, key = may_warn(board.today, set(agenda_days), set(key_days))
    late_key = _late_key(board.today, key_days)
    return (
        _open_gates(board)
        .annotate(late_key=Case(When(late_key, then=True), default=False))
        .filter(agenda | (key & Q(late_key=False)))
        .order_by("strategy_id", "position")
    )


def _recent_decisions(board):
    recent = board.within(
        Decision.objects.filter(decided_on__gte=board.today - RECENT), "gate__strategy"
    )
    return recent.select_related("gate__strategy", "gate__body", "meeting").order_by(
        "-decided_on", "-pk"
    )


def gates_section(dashboard) -> dict:
    """Gates due within 30 days, overdue gates and deadline warnings, the user's own
    organisation's first. What is due, late and (for the many key decisions past their notice
    day) warned of is chosen, ordered and counted in the database, so that only the rows shown
    and the few gates near another deadline are loaded, however many strategies there are.
    The organisations' notice days shape the queries (`shape` of Dashboard.read)."""
    today, limit = dashboard.today, dashboard.LIMIT
    served = set(
        dashboard.read(
            "bodies-served", lambda board: bodies_served(board.user).values_list("pk", flat=True)
        )
    )
    notice = notice_days(dashboard)
    [counts] = dashboard.read("gate-counts", _gate_counts, *notice)
    due = dashboard.read("gates-due", _gates_due, *notice)
    overdue = dashboard.read("gates-overdue", _gates_overdue, *notice)
    late_keys = dashboard.read("late-key-decisions", _late_key_gates, *notice)
    others = dashboard.read("gates-near-deadlines", _may_warn_gates, *notice)
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
        Warning(gate, note, today)
        for gate in late_keys
        for note in gate_notes(gate, today)
        if note.warning and note.rule == "key_decision"
    ] + [
        Warning(gate, note, today)
        for gate in others
        for note in gate_notes(gate, today)
        if note.warning and not (gate.late_key and note.rule == "key_decision")
    ]
    total_warnings = counts["late_keys"] + len(warnings) - len(late_keys)
    # In the rules' own order (route order, a gate's agenda before its Forward Plan), then
    # those still to act on first (soonest first), those already missed after (latest first).
    warnings.sort(key=lambda w: (w.gate.strategy_id, w.gate.position, w.note.rule != "agenda"))
    ahead = sorted((w for w in warnings if (w.note.due_on or today) >= today),
                   key=lambda w: w.note.due_on or today)  # fmt: skip
    behind = sorted((w for w in warnings if (w.note.due_on or today) < today),
                    key=lambda w: w.note.due_on, reverse=True)  # fmt: skip
    warnings = dashboard.own_first(ahead + behind, lambda w: w.gate.strategy.lead_organisation_id)
    warnings = warnings[:limit]
    recent_warnings, old_warnings = split_by_age(warnings)
    decisions, decision_count = dashboard.first_rows("recent-decisions", _recent_decisions)
    return {
        "due": Capped([as_item(g) for g in due], max(0, counts["due"] - len(due))),
        "overdue": LateList(
            [as_item(g) for g in overdue],
            max(0, counts["overdue"] - len(overdue)),
            counts["overdue_old"],
        ),
        "warnings": Capped(warnings, max(0, total_warnings - len(warnings))),
        "recent_warnings": recent_warnings,
        "old_warnings": old_warnings,
        "decisions": Capped(decisions, decision_count - len(decisions)),
        "today": today,
        "due_within_days": DUE_WITHIN.days,
        "recent_days": RECENT.days,
    }


def _on_route(board):
    """The strategies on their route, their next gate's day soonest first (the user's own
    organisation's first). Each strategy's next gate is read in a subquery (no grouping of
    whole strategy rows), so that one query chooses the strategies, counts them and loads the
    few shown."""
    next_gate = (
        Gate.objects.filter(strategy=OuterRef("pk"), state__in=Gate.State.open_values())
        .annotate(day=Coalesce("meeting__starts_at__date", "planned_date"))
        .order_by(F("day").asc(nulls_last=True))
        .values("day")[:1]
    )
    on_route = (
        board.strategies.exclude(stage__in=[*Stage.route_settled_values(), Stage.ADOPTED])
        .filter(Exists(Gate.objects.filter(strategy=OuterRef("pk"))))
        .annotate(next_gate=Subquery(next_gate))
        .select_related("lead_organisation")
    )
    on_route = board.own_first_in_database(on_route)
    # The id last: titles repeat (and a route with no dates has no next day), and the order
    # must be whole for the first rows to be the same however they are chosen (Dashboard.first).
    return on_route.order_by(
        *board.own_first_order, F("next_gate").asc(nulls_last=True), "title", "pk"
    )


def outlook_section(dashboard) -> dict:
    """When the strategies on their route will realistically be adopted: the ones whose next
    gate comes soonest (the user's own organisation's first), projected in full. Choosing them
    in the database keeps the cost the same however many strategies there are; the timeline
    has the rest."""
    strategies, total = dashboard.first_rows("outlook", _on_route)
    projections = project(strategies, dashboard.today)
    rows = [projections[s.pk] for s in strategies]
    return {"projections": Capped(rows, total - len(rows))}
