"""Dates as officers plan them: an exact day, a month, a quarter, a season, or not yet set."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models


class Precision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    SEASON = "season", "Season"
    NOT_SET = "not_set", "Not yet set"


SEASONS = {
    12: "winter",
    1: "winter",
    2: "winter",
    3: "spring",
    4: "spring",
    5: "spring",
    6: "summer",
    7: "summer",
    8: "summer",
    9: "autumn",
    10: "autumn",
    11: "autumn",
}


MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def long_date(day: datetime.date) -> str:
    """'13 September 2017': Django's "j F Y" without its cost in long lists (English only)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_count(days: int) -> str:
    """'1 day', '90 days': a length as the pages, the messages and the reports say it."""
    return f"{days} day{'' if days == 1 else 's'}"


def describe(date: datetime.date | None, precision: str) -> str:
    """'13 September 2017', 'December 2017', 'Q3 2017', 'summer 2017', 'winter 2017/18' or
    'date to be set'."""
    if date is None or precision == Precision.NOT_SET:
        return "date to be set"
    if precision == Precision.DAY:
        return long_date(date)
    if precision == Precision.MONTH:
        return f"{MONTHS[date.month - 1]} {date.year}"
    if precision == Precision.QUARTER:
        return f"Q{(date.month - 1) // 3 + 1} {date.year}"
    if SEASONS[date.month] == "winter":  # it crosses the year: name both
        start = date.year if date.month == 12 else date.year - 1
        return f"winter {start}/{(start + 1) % 100:02d}"
    return f"{SEASONS[date.month]} {date.year}"


def first_day(date: datetime.date, precision: str) -> datetime.date:
    """The first day the planned date can mean: where the calendar feed shows it, and what a
    deadline counted back from an imprecise plan is measured from."""
    if precision == Precision.MONTH:
        return date.replace(day=1)
    if precision == Precision.QUARTER:
        return date.replace(month=((date.month - 1) // 3) * 3 + 1, day=1)
    if precision != Precision.SEASON:
        return date
    # A season starts at the first of its months (winter starts in the December before).
    first = date.replace(day=1)
    while True:
        before = (first - datetime.timedelta(days=1)).replace(day=1)
        if SEASONS[before.month] != SEASONS[date.month]:
            return first
        first = before


def latest_day(date: datetime.date, precision: str) -> datetime.date:
    """The last day the planned date can mean: what lateness is measured against."""
    if precision == Precision.DAY:
        return date
    if precision == Precision.MONTH:
        next_month = date.replace(day=28) + datetime.timedelta(days=4)
        return next_month - datetime.timedelta(days=next_month.day)
    if precision == Precision.QUARTER:
        last_month = ((date.month - 1) // 3) * 3 + 3
        return latest_day(date.replace(month=last_month, day=1), Precision.MONTH)
    # A season runs to the last of its months from the one given (winter crosses the year).
    year, month = date.year, date.month
    while True:
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        if SEASONS[next_month] != SEASONS[date.month]:
            return latest_day(datetime.date(year, month, 1), Precision.MONTH)
        year, month = next_year, next_month


def plausible(value: datetime.date | datetime.datetime | None) -> None:
    """Dates from 1990 to 2100: anything else is a typing slip (and breaks date arithmetic)."""
    if value is not None and not 1990 <= value.year <= 2100:
        raise ValidationError("Give a date between 1990 and 2100.")


def describe_span(
    start: datetime.date,
    end: datetime.date | None,
    precision: str,
    time: datetime.time | None = None,
) -> str:
    """A meeting's or an event's dates in words: '3 July 2019', '3 July 2019, 18:00' (a time of
    day is said only with an exact day), '3–5 July 2019', '3 July to 2 August 2019',
    '30 December 2019 to 2 January 2020'; known only to the month, 'July 2019', 'July–August
    2019', 'December 2019 to January 2020'. `end` is the last day (any day of the last month),
    None or the start itself for one day or month; a quarter or a season, 'Q3 2019 to Q1
    2020'. The time is when it starts."""
    if precision == Precision.MONTH:
        if end is None or (end.year, end.month) == (start.year, start.month):
            return describe(start, precision)
        if end.year == start.year:
            return f"{MONTHS[start.month - 1]}–{describe(end, precision)}"
        return f"{describe(start, precision)} to {describe(end, precision)}"
    if precision in (Precision.QUARTER, Precision.SEASON):  # a consultation planned loosely
        first, last = describe(start, precision), describe(end or start, precision)
        return first if last == first else f"{first} to {last}"
    at = f"{time:%H:%M}" if time is not None else ""
    if end is None or end == start:
        return f"{long_date(start)}, {at}" if at else long_date(start)
    if (end.year, end.month) == (start.year, start.month):
        days = f"{start.day}–{long_date(end)}"
    elif end.year == start.year:
        days = f"{start.day} {MONTHS[start.month - 1]} to {long_date(end)}"
    else:
        days = f"{long_date(start)} to {long_date(end)}"
    return f"{days}, starting at {at}" if at else days


def iso(date: datetime.date | None, precision: str) -> str:
    """A date as the downloads write it, one form for each precision: '2017-09-13', '2017-09',
    '2017-Q3', a season in words ('summer 2017', 'winter 2017/18': no standard form is read by
    people), or '' while it is not set. The CSV of gates writes every date column so."""
    if date is None or precision == Precision.NOT_SET:
        return ""
    if precision == Precision.DAY:
        return date.isoformat()
    if precision == Precision.MONTH:
        return f"{date:%Y-%m}"
    if precision == Precision.QUARTER:
        return f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    return describe(date, precision)


def iso_span(start: datetime.date | None, end: datetime.date | None, precision: str) -> str:
    """A period as the downloads write it: both ends in `iso`'s form, joined by ISO 8601's
    solidus ('2021-10-13/2021-12-03', '2022-06/2022-08'); one end when both read alike, or when
    the other is not set."""
    first, last = iso(start, precision), iso(end, precision)
    if not first or not last or first == last:
        return first or last
    return f"{first}/{last}"


# Said beside the time wherever a meeting or an event is typed (governance.workflow.meetings,
# consultation.workflow.rules): a time of day belongs to a day, not to a month.
TIME_NEEDS_A_DAY = (
    "Only the month is known, so leave the time empty (or choose “Exact day” and give the day)."
)
