"""Governance's dates in the calendar feed (portal/calendar/feed.py): gates, meetings, agenda
publication deadlines, Forward Plan notice deadlines and the ends of call-in periods.

UIDs name the thing, never its date, so a re-planned gate or a moved meeting updates the event a
client already has: `gate-<pk>@waymark`, `meeting-<pk>@waymark`,
`meeting-<pk>-agenda-deadline@waymark`, `gate-<pk>-forward-plan@waymark` and
`gate-<pk>-call-in@waymark` (a gate has one decision that takes effect, whatever corrections).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from governance.dates import Precision, describe, first_day, latest_day
from governance.deadlines import (
    agenda_deadline,
    call_in,
    key_decision_notice,
    recorded_call_in,
)
from governance.models import Body, BodySecretary, Decision, Gate, Meeting, Purpose
from strategies.access import visible_strategies
from strategies.models import Strategy, User

from .entries import CalendarEntry, CalendarFilters, near_enough, slug_address
from .rows import with_shared_relations

# Papers do not say how long a meeting lasts; two hours blocks the time without overclaiming.
MEETING_LENGTH = datetime.timedelta(hours=2)


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _precision_label(day: datetime.date, precision: str) -> str:
    """'' for an exact day, otherwise e.g. 'month: September 2017' for the entry's title."""
    if precision == Precision.DAY:
        return ""
    return f"{precision}: {describe(day, precision)}"


# Django's get_FOO_display builds the field's choices again at every call, which a feed of tens
# of thousands of rows felt: the model's own labels are asked once for each value instead.
@functools.cache
def _purpose(purpose: str) -> str:
    return Gate(purpose=purpose).get_purpose_display()


@functools.cache
def _state_label(purpose: str, state: str) -> str:
    # Gate.state_label reads the purpose and the state, nothing else.
    return Gate(purpose=purpose, state=state).state_label


def _gate_label(gate: Gate) -> str:
    return f"{gate.body.name}: {_purpose(gate.purpose).lower()} {gate.strategy.title}"


def _gate_entry(
    gate: Gate, route_url: str, gate_label: str, said: dict, meeting: Meeting | None = None
) -> CalendarEntry | None:
    """The gate's own entry. `gate_label` is `_gate_label(gate)`; `said` keeps the lines about
    a body or a meeting, written once for all the gates that share it (`_said`); `meeting` is
    the gate's, already read, if it has one."""
    if meeting is None and gate.meeting_id is not None:
        meeting = gate.meeting
    lines = [
        f"Strategy: {gate.strategy.title}",
        _said(said, gate.body),
        f"Purpose: {_purpose(gate.purpose)}",
        f"State: {_state_label(gate.purpose, gate.state)}",
    ]
    if gate.forward_plan_reference:
        lines.append(f"Forward Plan reference: {gate.forward_plan_reference}")
    if gate.key_decision and gate.forward_plan_published_on:
        lines.append(f"Key decision: on the Forward Plan from {gate.forward_plan_published_on}.")
    elif gate.key_decision and gate.is_open:
        lines.append("Key decision: needs notice on the Forward Plan.")
    elif gate.key_decision:
        lines.append("Key decision.")
    if gate.note:
        lines.append(gate.note)
    common = {
        "uid": f"gate-{gate.pk}@waymark",
        "title": gate_label,
        "url": route_url,
        "categories": ("Gate",),
    }
    if meeting is not None:
        lines.append(_said(said, meeting))
        lines += _agenda_place(gate)
        starts = meeting.starts_at.astimezone(timezone.get_default_timezone())
        common |= {
            "location": meeting.venue,
            "cancelled": meeting.status == Meeting.Status.CANCELLED,
        }
        if meeting.date_precision == Precision.DAY and meeting.time_known:
            return CalendarEntry(
                start=starts,
                all_day=False,
                end=starts + MEETING_LENGTH,
                description="\n".join(lines),
                **common,
            )
        # Its day (or month) without a time: all day on it, as a plan is.
        day, precision = starts.date(), meeting.date_precision
    else:
        day, precision = gate.planned_date, gate.planned_precision
    if day is None or precision == Precision.NOT_SET:
        return None
    lines.append(f"Planned: {describe(day, precision)}")
    return CalendarEntry(
        start=first_day(day, precision),
        precision=_precision_label(day, precision),
        period_ends=latest_day(day, precision),
        description="\n".join(lines),
        **common,
    )


def _said(said: dict, thing: Body | Meeting) -> str:
    """The description's line about a gate's body or meeting, written once for each: a feed's
    thousands of gates share a few hundred of them (and a meeting's day is worked out in the
    site's time zone each time it is written)."""
    key = (type(thing), thing.pk)
    line = said.get(key)
    if line is None:
        if isinstance(thing, Meeting):
            line = f"Meeting: {thing}"
        else:
            line = f"Body: {thing.name} ({thing.organisation.display_name})"
        said[key] = line
    return line


def _agenda_place(gate: Gate) -> list[str]:
    """The gate's place on its meeting's agenda, as the council numbers it."""
    place = [f"item {gate.agenda_item}"] if gate.agenda_item else []
    place += [f"report {gate.report_number}"] if gate.report_number else []
    return [f"On the agenda: {', '.join(place)}"] if place else []


def _forward_plan_entry(
    gate: Gate, route_url: str, gate_label: str, today: datetime.date
) -> CalendarEntry | None:
    notice = key_decision_notice(gate)
    if notice is None or not gate.is_open:  # once decided, the notice is no longer due
        return None
    label = "" if notice.precise else f"decision planned for {notice.period}"
    return CalendarEntry(
        uid=f"gate-{gate.pk}-forward-plan@waymark",
        title=f"Forward Plan notice due: {gate_label}",
        start=notice.notice_by,
        precision=label,
        period_ends=notice.last_notice_by,
        url=route_url,
        description=notice.message(today),
        categories=("Deadline", "Forward Plan"),
    )


def _call_in_entry(decision: Decision, today: datetime.date) -> CalendarEntry | None:
    period = call_in(decision)
    if period is None:
        return None
    # The decision as the council cites it: its minute and its decision notice.
    cited = [decision.minute_cited] if decision.minute_reference else []
    if decision.decision_notice_reference:
        cited.append(f"Decision notice {decision.decision_notice_reference}")
    return CalendarEntry(
        uid=f"gate-{decision.gate_id}-call-in@waymark",
        title=f"Call-in period ends: {_gate_label(decision.gate)}",
        start=period.ends_on,
        url=decision.get_absolute_url(),
        description="\n".join([period.message(today), *cited]),
        categories=("Deadline", "Call-in"),
    )


def _call_in_heard_entry(decision: Decision, today: datetime.date) -> CalendarEntry | None:
    """The day a recorded call-in of the decision was heard, with what came of it."""
    row = recorded_call_in(decision)
    if row is None or row.heard_on is None:
        return None
    return CalendarEntry(
        uid=f"gate-{decision.gate_id}-call-in-heard@waymark",
        title=f"Call-in heard by the {row.heard_by}: {_gate_label(decision.gate)}",
        start=row.heard_on,
        url=decision.get_absolute_url(),
        description=f"{row.get_outcome_display()}. {call_in(decision).message(today)}",
        categories=("Call-in",),
    )


def _meeting_entries(
    meeting: Meeting, url: str, agenda: list[Gate], today: datetime.date
) -> Iterator[CalendarEntry]:
    body = meeting.body
    starts = meeting.starts_at.astimezone(timezone.get_default_timezone())
    cancelled = meeting.status == Meeting.Status.CANCELLED
    lines = [f"{body.name} ({body.organisation.display_name})"]
    lines += [f"On the agenda: {_agenda_line(g)}" for g in agenda]
    if meeting.agenda_published_on:
        lines.append(f"Agenda published on {_day(meeting.agenda_published_on)}.")
    if not body.meets_in_public:
        lines.append("Meets in private.")
    common = {
        "uid": f"meeting-{meeting.pk}@waymark",
        "title": f"{body.name} meeting",
        "url": url,
        "location": meeting.venue,
        "categories": ("Meeting",),
        "cancelled": cancelled,
        "description": "\n".join(lines),
    }
    if meeting.date_precision == Precision.DAY and meeting.time_known:
        yield CalendarEntry(start=starts, all_day=False, end=starts + MEETING_LENGTH, **common)
    elif meeting.date_precision == Precision.DAY:  # its time not recorded: all day on its day
        common["description"] += "\nTime not recorded."
        yield CalendarEntry(start=starts.date(), **common)
    else:
        yield CalendarEntry(
            start=first_day(starts.date(), meeting.date_precision),
            precision=_precision_label(starts.date(), meeting.date_precision),
            period_ends=latest_day(starts.date(), meeting.date_precision),
            **common,
        )
    deadline = None if cancelled else agenda_deadline(meeting)
    if deadline is not None:
        if deadline.published_on:
            state = f"Published on {_day(deadline.published_on)}" + (
                " (late)." if deadline.is_late else "."
            )
        elif deadline.is_missed(today):
            state = "Not recorded as published: the deadline has passed."
        else:
            state = "Not yet published."
        yield CalendarEntry(
            uid=f"meeting-{meeting.pk}-agenda-deadline@waymark",
            title=f"Agenda publication deadline: {body.name} meeting of {_day(starts.date())}",
            start=deadline.publish_by,
            url=url,
            description=f"Publish the agenda by this day: {deadline.rule}. {state}",
            categories=("Deadline", "Agenda"),
        )


def _agenda_line(gate: Gate) -> str:
    """'7b. Health and Wellbeing Strategy (adopt; report CAB 12/17)'."""
    item = f"{gate.agenda_item}. " if gate.agenda_item else ""
    report = f"; report {gate.report_number}" if gate.report_number else ""
    return f"{item}{gate.strategy.title} ({_purpose(gate.purpose).lower()}{report})"


def _meetings(user: User, filters: CalendarFilters, gates):
    """Meetings of the bodies that consider the feed's strategies, and of the bodies the user
    keeps as secretary; managers and administrators see every body's meetings. Each comes with
    `served`: whether the user may open the meeting's page."""
    considering = Q(body_id__in=gates.values("body_id"))
    served = BodySecretary.objects.filter(user=user)
    if filters.organisation:
        served = served.filter(body__organisation__slug=filters.organisation)
    sees_all = user.reads_everything
    if filters.strategy:
        scope = considering
    elif sees_all:
        scope = considering | Q(body__organisation__slug=filters.organisation)
        scope = scope if filters.organisation else Q()
    else:
        scope = considering | Q(body_id__in=served.values("body_id"))
    meetings = Meeting.objects.filter(scope)
    if filters.body is not None:
        meetings = meetings.filter(body_id=filters.body)
    if user.role == User.Role.SECRETARY and not sees_all:
        meetings = meetings.annotate(
            served=Exists(BodySecretary.objects.filter(user=user, body_id=OuterRef("body_id")))
        )
    else:
        meetings = meetings.annotate(served=Value(sees_all))
    return meetings.select_related("body__organisation").order_by("starts_at", "pk")


# What gates' rows leave unread: all of a strategy but its title and slug, and a meeting's
# long text, which the feed never shows (select_related read them again for every gate).
_LONG_FIELDS = {
    "strategy": {f.name for f in Strategy._meta.concrete_fields} - {"id", "title", "slug"},
    "meeting": {"minutes", "moderngov_imported"},
}


def _attach_bodies(gate_rows: list[Gate]) -> None:
    """Sets each gate's body and its meeting's, with their organisations, as select_related
    would. The bodies are a few hundred at most, read in one query rather than joined onto
    each of tens of thousands of gates' rows (a third of those rows' width). They are asked
    for by the ids the rows hold, so a gate changed since its row was read still finds its
    body."""
    ids = {gate.body_id for gate in gate_rows}
    ids |= {gate.meeting.body_id for gate in gate_rows if gate.meeting is not None}
    bodies = Body.objects.select_related("organisation").in_bulk(ids)
    gate_body, meeting_body = Gate.body.field, Meeting.body.field
    for gate in gate_rows:
        gate_body.set_cached_value(gate, bodies[gate.body_id])
        meeting = gate.meeting
        if meeting is not None and not meeting_body.is_cached(meeting):
            meeting_body.set_cached_value(meeting, bodies[meeting.body_id])


def may_fall_within(
    gate: Gate, days: tuple[datetime.date, datetime.date] | None, meeting: Meeting | None = None
) -> bool:
    """Whether the gate's own entries (its date, its Forward Plan notice) can fall between
    `days` (the first and last, None for every date): those of a gate planned or met years
    away are not worked out only for the feed's window to leave them out. `meeting` is the
    gate's, already read, if it has one."""
    if days is None:
        return True
    if meeting is None and gate.meeting_id is not None:
        meeting = gate.meeting
    # The meeting's day in UTC, not Meeting.local_day: a year's reach covers the hour, and
    # 20,000 gates need no time-zone conversion each.
    anchor = meeting.starts_at.date() if meeting is not None else gate.planned_date
    if anchor is None:
        return True
    notice = datetime.timedelta(days=gate.body.organisation.key_decision_notice_days + 2)
    return near_enough(anchor, anchor, days, before=notice)


def calendar_entries(
    user: User,
    filters: CalendarFilters,
    strategies,
    days: tuple[datetime.date, datetime.date] | None = None,
) -> list[CalendarEntry]:
    """The governance dates of `strategies` for `user`, in four queries whatever their number:
    gates, their bodies, decisions with a call-in period, and meetings. `days` (first, last) is
    the feed's window, None for every date: a gate whose dates cannot fall in it gives none."""
    today = timezone.localdate()
    gates = Gate.objects.filter(strategy__in=strategies).exclude(state=Gate.State.REMOVED)
    if filters.body is not None:
        gates = gates.filter(body_id=filters.body)
    gate_rows = with_shared_relations(
        gates.order_by("strategy_id", "position"), ["strategy", "meeting"], unread=_LONG_FIELDS
    )
    _attach_bodies(gate_rows)
    entries: list[CalendarEntry] = []
    agendas: dict[int, list[Gate]] = {}
    route_of_body: dict[int, str] = {}
    routes: dict[int, str] = {}  # each strategy's route address, worked out once
    said: dict = {}  # the lines about each body and meeting (_said)
    route_url = slug_address("governance:route")
    consult = Purpose.CONSULT
    for gate in gate_rows:
        strategy_id = gate.strategy_id
        route = routes.get(strategy_id)
        if route is None:
            route = routes[strategy_id] = route_url(gate.strategy.slug)
        route_of_body.setdefault(gate.body_id, route)
        meeting = None
        if gate.meeting_id:
            meeting = gate.meeting
            agendas.setdefault(gate.meeting_id, []).append(gate)
        # A consultation gate's dates are its window's, which consultation adds.
        if gate.purpose != consult and may_fall_within(gate, days, meeting):
            label = _gate_label(gate)
            entry = _gate_entry(gate, route, label, said, meeting)
            if entry is not None:
                entries.append(entry)
            if gate.key_decision:  # only a key decision has a Forward Plan notice
                entry = _forward_plan_entry(gate, route, label, today)
                if entry is not None:
                    entries.append(entry)

    decisions = (
        Decision.objects.filter(
            gate__in=gates,
            gate__body__is_executive=True,
            outcome__in=Decision.Outcome.passing(),
            corrected_by__isnull=True,
        )
        .select_related(
            "gate__strategy",
            "gate__body__organisation",
            "call_in__heard_by",
            "corrects__call_in__heard_by",
        )
        .order_by("pk")
    )
    for decision in decisions:
        found = (_call_in_entry(decision, today), _call_in_heard_entry(decision, today))
        entries.extend(e for e in found if e)

    for meeting in _meetings(user, filters, gates):
        # Secretaries, managers and administrators open the meeting; anyone else (who keeps no
        # meetings) the route of a strategy that goes to the body.
        if meeting.served:
            url = meeting.get_absolute_url()
        else:
            url = route_of_body.get(meeting.body_id, reverse("strategies:list"))
        entries.extend(_meeting_entries(meeting, url, agendas.get(meeting.pk, []), today))
    return entries


def body_choices(user: User) -> list[tuple[str, str]]:
    """The bodies a user may narrow the feed to: those that consider a strategy they can read
    and those they keep; managers and administrators may pick any."""
    bodies = Body.objects.select_related("organisation").order_by("organisation__name", "name")
    if not user.reads_everything:
        gates = Gate.objects.filter(strategy__in=visible_strategies(user)).exclude(
            state=Gate.State.REMOVED
        )
        bodies = bodies.filter(
            Q(pk__in=gates.values("body_id"))
            | Q(pk__in=BodySecretary.objects.filter(user=user).values("body_id"))
        )
    return [(str(b.pk), b.with_organisation) for b in bodies]
