"""Statutory timing rules for English councils (shared/DEADLINES.md), counted exactly.

Clear days leave out both the day of the event that starts the count (publication) and the day
of the meeting. An organisation counts agenda notice in clear days or in clear working days
(Monday to Friday less England and Wales bank holidays); the default is clear working days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

import holidays

from .dates import Precision, long_date
from .models import Meeting

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def previous_working_day(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day -= ONE_DAY
    return day


@lru_cache(maxsize=4096)
def latest_notice_date(event: datetime.date, clear_days: int, working: bool) -> datetime.date:
    """The last day a notice can be published and still leave `clear_days` clear days (or clear
    working days) before `event`. With working days the notice itself goes out on a working
    day."""
    day, counted = event, 0
    while counted < clear_days:
        day -= ONE_DAY
        if not working or is_working_day(day):
            counted += 1
    notice = day - ONE_DAY
    return previous_working_day(notice) if working else notice


@lru_cache(maxsize=4096)
def end_of_working_days(start: datetime.date, working_days: int) -> datetime.date:
    """The last day of a period of `working_days` working days after `start` (not counting
    `start` itself), e.g. a call-in period after a decision is published."""
    day, counted = start, 0
    while counted < working_days:
        day += ONE_DAY
        if is_working_day(day):
            counted += 1
    return day


@dataclass(frozen=True)
class AgendaDeadline:
    publish_by: datetime.date
    clear_days: int
    working: bool
    published_on: datetime.date | None

    @property
    def rule(self) -> str:
        kind = "clear working days" if self.working else "clear days"
        return f"{self.clear_days} {kind} (Local Government Act 1972 s100B)"

    @property
    def is_late(self) -> bool:
        return self.published_on is not None and self.published_on > self.publish_by

    def is_missed(self, today: datetime.date) -> bool:
        return self.published_on is None and today > self.publish_by


def agenda_deadline(meeting) -> AgendaDeadline | None:
    """When a public meeting's agenda must be published; None for bodies meeting in private or
    meetings known only to the month."""
    if not meeting.body.meets_in_public or meeting.date_precision != Precision.DAY:
        return None
    organisation = meeting.body.organisation
    working = organisation.agenda_counting == organisation.AgendaCounting.CLEAR_WORKING_DAYS
    day = meeting.local_day
    return AgendaDeadline(
        publish_by=latest_notice_date(day, organisation.agenda_notice_days, working),
        clear_days=organisation.agenda_notice_days,
        working=working,
        published_on=meeting.agenda_published_on,
    )


def agenda_overdue(meeting, deadline: AgendaDeadline | None, today: datetime.date) -> bool:
    """The agenda of a meeting still to be held (scheduled) was due by now and no publication is
    recorded: the warning on the meeting's page, on My meetings and beside its gates
    (gate_notes). `deadline` is the meeting's agenda_deadline."""
    return (
        deadline is not None
        and meeting.status == Meeting.Status.SCHEDULED
        and deadline.is_missed(today)
    )


# Key decisions and the Forward Plan (SI 2012/2089 regs 9-11) ----------------------------------

GENERAL_EXCEPTION_CLEAR_DAYS = 5


@dataclass(frozen=True)
class KeyDecisionNotice:
    """When a key decision must appear on the Forward Plan, and what follows if it does not.

    `decision_on` is the day the decision is planned for; when the gate is planned only to a
    month, quarter or season it is the first day of that period and `precise` is False, so the
    dates are a guide rather than a deadline."""

    decision_on: datetime.date
    precise: bool
    period: str
    clear_days: int
    notice_by: datetime.date
    general_exception_by: datetime.date
    published_on: datetime.date | None
    # For an imprecise plan, the notice date for a decision on the period's last day: once that
    # has passed too, no day of the period is in time, which is a warning, not a note.
    last_notice_by: datetime.date | None = None

    def status(self, today: datetime.date) -> str:
        """'met', 'due' (still time), 'general_exception', 'special_urgency', 'note'
        (imprecise plan, nothing missed yet) or 'period_too_late' (imprecise plan, too late for
        any day of it)."""
        if self.published_on is not None:
            if self.published_on <= self.notice_by:
                return "met"
            if self.published_on <= self.general_exception_by:
                return "general_exception"
            return "special_urgency"
        if today <= self.notice_by:
            return "due" if self.precise else "note"
        if not self.precise:
            late = self.last_notice_by is not None and today > self.last_notice_by
            return "period_too_late" if late else "note"
        if today <= self.general_exception_by:
            return "general_exception"
        return "special_urgency"

    def is_warning(self, today: datetime.date) -> bool:
        return self.status(today) in {"general_exception", "special_urgency", "period_too_late"}

    def message(self, today: datetime.date) -> str:
        notice_by = f"{long_date(self.notice_by)}"
        exception_by = f"{long_date(self.general_exception_by)}"
        status = self.status(today)
        if status == "met":
            return (
                f"Key decision: notice published on the Forward Plan on "
                f"{long_date(self.published_on)}, in time ({self.clear_days} clear days: by "
                f"{notice_by})."
            )
        if status == "due":
            return (
                f"Key decision: publish notice on the Forward Plan by {notice_by} "
                f"({self.clear_days} clear days before {long_date(self.decision_on)})."
            )
        if status == "note":
            return (
                f"Key decision planned for {self.period} only: notice must be on the Forward "
                f"Plan {self.clear_days} clear days before the meeting, so by {notice_by} if the "
                f"decision is on {long_date(self.decision_on)}. Set the date to check it exactly."
            )
        if status == "period_too_late":
            return (
                f"Key decision planned for {self.period}: too late for the Forward Plan on any "
                f"day of it (even for the last day notice was due by "
                f"{long_date(self.last_notice_by)}). Set the meeting's date to see whether the "
                f"general exception (reg 10) can still be used, or move the decision."
            )
        if status == "general_exception":
            return (
                f"Too late for the Forward Plan (notice was due by {notice_by}). Under the "
                f"general exception (reg 10) the decision can go ahead if the chair of scrutiny "
                f"is told in writing and a notice is published by {exception_by} "
                f"({GENERAL_EXCEPTION_CLEAR_DAYS} clear days before), or move the decision."
            )
        return (
            f"Too late even for the general exception (notice was due by {exception_by}). "
            f"Only special urgency (reg 11) remains: the chair of scrutiny (or of the council) "
            f"must agree that the decision cannot be deferred, and that agreement be recorded; "
            f"otherwise move the decision to a later meeting."
        )


def earliest_without_notice(gate, today: datetime.date) -> datetime.date | None:
    """For a key decision at an executive body not yet on the Forward Plan: the first day it
    can be taken if notice were published today (the notice period, in clear days, from today).
    None for any other gate. The dashboard's `late_key_decisions` is this rule in the
    database."""
    if not (gate.key_decision and gate.body.is_executive) or gate.forward_plan_published_on:
        return None
    days = gate.body.organisation.key_decision_notice_days
    return today + datetime.timedelta(days=days + 1)


def key_decision_notice(gate) -> KeyDecisionNotice | None:
    """The Forward Plan deadline of a gate taking a key decision at an executive body; None
    for other gates and for gates with no date yet."""
    from .dates import describe, first_day, latest_day

    if not gate.key_decision or not gate.body.is_executive:
        return None
    if gate.meeting_id:
        day, precision = (
            gate.meeting.local_day,
            gate.meeting.date_precision,
        )
    else:
        day, precision = gate.planned_date, gate.planned_precision
    if day is None or precision == Precision.NOT_SET:
        return None
    precise = precision == Precision.DAY
    organisation = gate.body.organisation
    last_notice_by = None
    if not precise:
        last_notice_by = latest_notice_date(
            latest_day(day, precision), organisation.key_decision_notice_days, working=False
        )
        day = first_day(day, precision)
    return KeyDecisionNotice(
        decision_on=day,
        precise=precise,
        period=describe(day, precision),
        clear_days=organisation.key_decision_notice_days,
        notice_by=latest_notice_date(day, organisation.key_decision_notice_days, working=False),
        general_exception_by=latest_notice_date(day, GENERAL_EXCEPTION_CLEAR_DAYS, working=False),
        published_on=gate.forward_plan_published_on,
        last_notice_by=last_notice_by,
    )


# What a gate's deadlines say today, for the route, the strategy page and the dashboard --------


@dataclass(frozen=True)
class DeadlineNote:
    message: str
    warning: bool  # something has been or is about to be missed; otherwise information
    due_on: datetime.date | None = None
    rule: str = ""  # "agenda", "key_decision" or "call_in"


def gate_notes(gate, today: datetime.date, decision=None) -> list[DeadlineNote]:
    """The deadline rules that apply to an open gate (agenda, Forward Plan) or a decided one
    (call-in). `gate` needs its body, organisation and meeting loaded."""
    notes = []
    if gate.is_open:
        if gate.meeting_id and gate.meeting.status == Meeting.Status.SCHEDULED:
            deadline = agenda_deadline(gate.meeting)
            if deadline and deadline.is_late:
                notes.append(
                    DeadlineNote(
                        f"The agenda for the {gate.meeting.body} meeting was published on "
                        f"{long_date(deadline.published_on)}, after the deadline of "
                        f"{long_date(deadline.publish_by)} ({deadline.rule}).",
                        True,
                        deadline.publish_by,
                        "agenda",
                    )
                )
            elif deadline and deadline.published_on is None:
                missed = agenda_overdue(gate.meeting, deadline, today)
                notes.append(
                    DeadlineNote(
                        f"Agenda for the {gate.meeting.body} meeting "
                        f"{'was due' if missed else 'to be published'} by "
                        f"{long_date(deadline.publish_by)} ({deadline.rule})"
                        f"{': not recorded as published' if missed else ''}.",
                        missed,
                        deadline.publish_by,
                        "agenda",
                    )
                )
        notice = key_decision_notice(gate)
        if notice:
            notes.append(
                DeadlineNote(
                    notice.message(today),
                    notice.is_warning(today),
                    notice.notice_by,
                    "key_decision",
                )
            )
    elif decision is not None:
        period = call_in(decision, gate)
        if period and period.is_running(today):
            notes.append(DeadlineNote(period.message(today), False, period.ends_on, "call_in"))
    return notes


# The call-in rules live beside these (call_in_periods.py, which counts with this module's
# end_of_working_days); pages, downloads and the workflow import them from here.
from .call_in_periods import (  # noqa: E402
    CallIn,
    adoption_call_in,
    call_in,
    call_in_period,
    called_in_words,
    note_call_in,
    recorded_call_in,
)

__all__ = [
    "AgendaDeadline",
    "CallIn",
    "DeadlineNote",
    "KeyDecisionNotice",
    "adoption_call_in",
    "agenda_deadline",
    "agenda_overdue",
    "call_in",
    "call_in_period",
    "called_in_words",
    "earliest_without_notice",
    "end_of_working_days",
    "gate_notes",
    "is_working_day",
    "key_decision_notice",
    "latest_notice_date",
    "note_call_in",
    "previous_working_day",
    "recorded_call_in",
]
