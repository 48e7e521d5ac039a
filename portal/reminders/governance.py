"""The reminder emails governance's events and deadlines bring (listed in tasks.py; sent by
sending.py).

- a gate put on a meeting: to the secretaries of the meeting's body (not the one who did it);
- a decision recorded: to the strategy's officers (portal.reminders.sending.strategy_officers);
- an agenda to publish within 3 working days: to the secretaries of the meeting's body;
- a gate overdue (`Gate.is_overdue`, as on the dashboard): to the strategy's officers and the
  secretaries of the gate's body.

The first two are queued when governance/workflow/ announces them (listeners.py); the last two
by `manage.py send_reminders` (`due_*` below). Each builder reads the database again when the
worker runs, and sends nothing when the event no longer holds (the gate moved to another meeting,
the agenda was published, the gate was decided).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from governance.deadlines import agenda_deadline, end_of_working_days
from governance.models import Decision, Gate, Meeting
from portal.projection import load_gates
from strategies.models import ReminderKind, User

from .sending import Reminder, absolute_url, strategy_officers

# Secretaries hear of an agenda deadline when it is this many working days away (or nearer, if
# the command did not run on the day).
AGENDA_WARNING_WORKING_DAYS = 3


def _route_url(gate: Gate) -> str:
    path = reverse("governance:route", kwargs={"slug": gate.strategy.slug})
    return absolute_url(f"{path}#gate-{gate.pk}")


def _secretaries_of(body_id: int):
    return User.objects.filter(secretary_links__body_id=body_id)


# Builders, run by the worker --------------------------------------------------------------------


def build_gate_scheduled(params: dict) -> Reminder | None:
    gate = (
        Gate.objects.select_related("strategy", "body", "meeting__body__organisation")
        .filter(pk=params["gate"])
        .first()
    )
    if gate is None or gate.meeting_id != params["meeting"]:
        return None  # deferred or moved since: the later move has its own reminder
    meeting = gate.meeting
    return Reminder(
        kind=ReminderKind.GATE_SCHEDULED,
        key=f"gate-scheduled:gate-{gate.pk}:meeting-{meeting.pk}",
        subject=f"{gate.strategy.title} is on the agenda of the {meeting}",
        recipients=_secretaries_of(gate.body_id),
        exclude_user_id=params.get("by"),
        context={
            "gate": gate,
            "strategy": gate.strategy,
            "meeting": meeting,
            "deadline": agenda_deadline(meeting),
            "meeting_url": absolute_url(meeting.get_absolute_url()),
            "route_url": _route_url(gate),
        },
    )


def build_decision_recorded(params: dict) -> Reminder | None:
    decision = (
        Decision.objects.select_related("gate__strategy", "gate__body", "meeting")
        .filter(pk=params["decision"])
        .first()
    )
    if decision is None:
        return None
    gate = decision.gate
    return Reminder(
        kind=ReminderKind.DECISION_RECORDED,
        key=f"decision-recorded:decision-{decision.pk}",
        subject=(f"{gate.body}: {decision.get_outcome_display().lower()}, {gate.strategy.title}"),
        recipients=strategy_officers(gate.strategy),
        exclude_user_id=params.get("by"),
        context={
            "decision": decision,
            "gate": gate,
            "strategy": gate.strategy,
            "decision_url": absolute_url(decision.get_absolute_url()),
            "route_url": _route_url(gate),
        },
    )


# Agenda deadlines -------------------------------------------------------------------------------


def _agenda_key(meeting: Meeting, publish_by: datetime.date) -> str:
    return f"agenda-deadline:meeting-{meeting.pk}:{publish_by.isoformat()}"


def _agenda_due(meeting: Meeting, today: datetime.date):
    """The meeting's agenda deadline if a secretary should be reminded of it today."""
    if meeting.status != Meeting.Status.SCHEDULED or meeting.agenda_published_on:
        return None
    deadline = agenda_deadline(meeting)
    horizon = end_of_working_days(today, AGENDA_WARNING_WORKING_DAYS)
    if deadline is None or not today <= deadline.publish_by <= horizon:
        return None
    return deadline


def due_agenda_deadlines(today: datetime.date) -> list[tuple[str, dict]]:
    # A meeting's deadline falls at most a few weeks before it (agenda_notice_days clear days).
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        agenda_published_on__isnull=True,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=90),
    ).select_related("body__organisation")
    due = []
    for meeting in meetings:
        deadline = _agenda_due(meeting, today)
        if deadline:
            due.append((_agenda_key(meeting, deadline.publish_by), {"meeting": meeting.pk}))
    return due


def build_agenda_deadline(params: dict) -> Reminder | None:
    meeting = (
        Meeting.objects.select_related("body__organisation").filter(pk=params["meeting"]).first()
    )
    deadline = meeting and _agenda_due(meeting, timezone.localdate())
    if not deadline:
        return None
    gates = list(
        meeting.gates.filter(state=Gate.State.SCHEDULED).select_related("strategy", "body")
    )
    return Reminder(
        kind=ReminderKind.AGENDA_DEADLINE,
        key=_agenda_key(meeting, deadline.publish_by),
        subject=f"Publish the agenda for the {meeting} by {deadline.publish_by:%A %-d %B}",
        recipients=_secretaries_of(meeting.body_id),
        context={
            "meeting": meeting,
            "deadline": deadline,
            "gates": gates,
            "meeting_url": absolute_url(meeting.get_absolute_url()),
        },
    )


# Overdue gates ---------------------------------------------------------------------------------


def _overdue_key(gate: Gate, day: datetime.date) -> str:
    return f"gate-overdue:gate-{gate.pk}:{day.isoformat()}"


def _overdue_gates(which: Q, today: datetime.date):
    gates = Gate.objects.awaiting_decision().filter(which).select_related("strategy")
    for gate in load_gates(gates):
        if gate.is_overdue(today):
            yield gate, gate.due_day


def due_overdue_gates(today: datetime.date) -> list[tuple[str, dict]]:
    return [
        (_overdue_key(gate, day), {"gate": gate.pk}) for gate, day in _overdue_gates(Q(), today)
    ]


def build_gate_overdue(params: dict) -> Reminder | None:
    today = timezone.localdate()
    found = list(_overdue_gates(Q(pk=params["gate"]), today))
    if not found:
        return None  # decided, removed or re-planned since
    gate, day = found[0]
    return Reminder(
        kind=ReminderKind.GATE_OVERDUE,
        key=_overdue_key(gate, day),
        subject=f"Overdue: {gate.body} to {gate.get_purpose_display().lower()} "
        f"{gate.strategy.title}",
        recipients=User.objects.filter(
            Q(pk__in=strategy_officers(gate.strategy).values("pk"))
            | Q(secretary_links__body_id=gate.body_id)
        ),
        context={
            "gate": gate,
            "strategy": gate.strategy,
            "day": day,
            "days_late": (today - day).days,
            "route_url": _route_url(gate),
            "meeting_url": absolute_url(gate.meeting.get_absolute_url()) if gate.meeting else "",
        },
    )
