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
from django.utils import timezone

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
    if not meeting.body.meets_in_public or meeting.date_precision != "day":
        return None
    organisation = meeting.body.organisation
    working = organisation.agenda_counting == organisation.AgendaCounting.CLEAR_WORKING_DAYS
    day = timezone.localtime(meeting.starts_at).date()
    return AgendaDeadline(
        publish_by=latest_notice_date(day, organisation.agenda_notice_days, working),
        clear_days=organisation.agenda_notice_days,
        working=working,
        published_on=meeting.agenda_published_on,
    )
