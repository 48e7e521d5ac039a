"""Reading a period as Fingertips and councils write it ("2019", "2019/20", "2017 - 19",
"2016/17 - 18/19", "2019 Q3", "2019/20 Q3") into the days it covers, so that values are ordered
and drawn by time. A year written with a slash is a financial year (April to March), as most of
the Public Health Outcomes Framework's are; an academic year is written the same way and is taken
as the financial year it mostly overlaps, which orders and draws it in the same place."""

from __future__ import annotations

import datetime
import re

YEAR = r"(\d{4})"
SHORT = r"(\d{2}|\d{4})"

CALENDAR_YEAR = re.compile(rf"^{YEAR}$")
FINANCIAL_YEAR = re.compile(rf"^{YEAR}\s*/\s*{SHORT}$")
CALENDAR_SPAN = re.compile(rf"^{YEAR}\s*-\s*{SHORT}$")
FINANCIAL_SPAN = re.compile(rf"^{YEAR}\s*/\s*{SHORT}\s*-\s*{SHORT}\s*/\s*{SHORT}$")
CALENDAR_QUARTER = re.compile(rf"^{YEAR}\s*Q([1-4])$", re.IGNORECASE)
FINANCIAL_QUARTER = re.compile(rf"^{YEAR}\s*/\s*{SHORT}\s*Q([1-4])$", re.IGNORECASE)

LATEST_YEAR = 2200


def _year(short: str, after: int) -> int:
    """A year written in two digits ("20" in "2019/20"), read as the first such year after
    `after`'s century start that is not before it."""
    if len(short) == 4:
        return int(short)
    year = after // 100 * 100 + int(short)
    return year if year >= after else year + 100


def _backwards(short: str, first: int, last: int) -> bool:
    """Whether a span's end written in two digits reads as a later century only because it is
    before its start ("2018 - 17" is not 2018 to 2117): written backwards, so not a period."""
    return len(short) == 2 and last - first >= 50


def _quarter(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    month = 3 * (quarter - 1) + 1
    start = datetime.date(year, month, 1)
    end_month = month + 3
    end = (
        datetime.date(year + 1, 1, 1) if end_month > 12 else datetime.date(year, end_month, 1)
    ) - datetime.timedelta(days=1)
    return start, end


def parse_period(text: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of the period `text` names, or None if it is not one of the forms
    above (or names a year outside 1900 to 2200)."""
    text = " ".join((text or "").split())
    try:
        if m := CALENDAR_YEAR.match(text):
            first = int(m[1])
            start, end = datetime.date(first, 1, 1), datetime.date(first, 12, 31)
        elif m := FINANCIAL_YEAR.match(text):
            first = int(m[1])
            if _year(m[2], first) != first + 1:
                return None
            start, end = datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)
        elif m := CALENDAR_SPAN.match(text):
            first, last = int(m[1]), _year(m[2], int(m[1]))
            if _backwards(m[2], first, last):
                return None
            start, end = datetime.date(first, 1, 1), datetime.date(last, 12, 31)
        elif m := FINANCIAL_SPAN.match(text):
            first = int(m[1])
            last_start = _year(m[3], first)
            if _backwards(m[3], first, last_start):
                return None
            if _year(m[2], first) != first + 1 or _year(m[4], last_start) != last_start + 1:
                return None
            start, end = datetime.date(first, 4, 1), datetime.date(last_start + 1, 3, 31)
        elif m := CALENDAR_QUARTER.match(text):
            start, end = _quarter(int(m[1]), int(m[2]))
        elif m := FINANCIAL_QUARTER.match(text):
            first = int(m[1])
            if _year(m[2], first) != first + 1:
                return None
            quarter = int(m[3])  # Q1 is April to June
            start, end = _quarter(first if quarter < 4 else first + 1, quarter % 4 + 1)
        else:
            return None
    except ValueError:
        return None
    if start.year < 1900 or end.year > LATEST_YEAR or end < start:
        return None
    return start, end
