"""The calendar feed at `/calendar.ics`: the dates of the strategies a user may read, as
iCalendar (RFC 5545), for calendar clients that subscribe to an address and cannot sign in.

The address carries a per-user secret (`User.calendar_token`). Resetting it makes the old address
stop working at once; the secret itself never enters the history, the time of the reset does.
The dates come from gates.py (gates, meetings, notice deadlines, call-in) and consultations.py
(windows, responses due, events); this module writes them out.
"""

from __future__ import annotations

import datetime
import functools
import re
import zoneinfo
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from icalendar import Timezone

from governance.access import strategies_considered_by
from strategies import access
from strategies.models import Organisation, Strategy, User

from . import consultations, gates
from .entries import CalendarEntry, CalendarFilters

PRODID = "-//Waymark//Strategy calendar feed//EN"
# Calendar clients poll at their own pace; this asks the polite ones for hourly.
REFRESH_INTERVAL = datetime.timedelta(hours=1)
SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,80}")


class FilterError(ValueError):
    """A filter value that is not even well-formed (the feed answers 400 with the message).
    `field` names the query parameter (and the calendar page's form field) it is about."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# Filters and addresses -----------------------------------------------------------------------

# The feed's default window, counted from today in the site's time zone: clients poll all day,
# and few need the dates of long ago or of years ahead. `from`, `to` and `window=all` widen it.
YEARS_BACK = 1
YEARS_AHEAD = 2
DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_filters(query: QueryDict, today: datetime.date | None = None) -> CalendarFilters:
    """The filters of a feed address. Raises FilterError for a value that cannot be one."""
    strategy = query.get("strategy", "").strip()
    organisation = query.get("organisation", "").strip()
    body = query.get("body", "").strip()
    if strategy and not SLUG_PATTERN.fullmatch(strategy):
        raise FilterError("The strategy filter must be a strategy's short name, e.g. dudley-jhws.")
    if organisation and not SLUG_PATTERN.fullmatch(organisation):
        raise FilterError("The organisation filter must be an organisation's short name.")
    if body and not (body.isascii() and body.isdigit() and len(body) <= 9):
        raise FilterError("The body filter must be a body's number.")
    window = query.get("window", "").strip()
    if window not in ("", "all"):
        raise FilterError("The window must be window=all (every date), or left out.", "window")
    filters = CalendarFilters(
        strategy=strategy,
        organisation=organisation,
        body=int(body) if body else None,
        from_day=_day_parameter(query, "from"),
        to_day=_day_parameter(query, "to"),
        all_dates=window == "all",
    )
    check_window(filters, today or timezone.localdate())
    return filters


def _day_parameter(query: QueryDict, name: str) -> datetime.date | None:
    value = query.get(name, "").strip()
    if not value:
        return None
    try:
        if DAY_PATTERN.fullmatch(value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise FilterError(f"The {name} date must be a day written YYYY-MM-DD, e.g. 2027-03-31.", name)


def _years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)


def window(filters: CalendarFilters, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day the feed covers (both included); each bound the address leaves
    out is the default's."""
    if filters.all_dates:
        return datetime.date.min, datetime.date.max
    return (
        filters.from_day or _years_from(today, -YEARS_BACK),
        filters.to_day or _years_from(today, YEARS_AHEAD),
    )


def check_window(filters: CalendarFilters, today: datetime.date) -> None:
    """Refuses a window that covers nothing or says two things (FilterError)."""
    if filters.all_dates and (filters.from_day or filters.to_day):
        raise FilterError(
            "Every date (window=all) needs no from or to date: leave them out.", "window"
        )
    first, last = window(filters, today)
    if first > last:
        if not filters.to_day:
            raise FilterError(
                f"The from date is after the default end, {last:%Y-%m-%d} ({YEARS_AHEAD} years "
                f"ahead): give a to date too.",
                "to",
            )
        if not filters.from_day:
            raise FilterError(
                f"The to date is before the default start, {first:%Y-%m-%d} ({YEARS_BACK} year "
                f"back): give a from date too.",
                "from",
            )
        raise FilterError("The to date must not be before the from date.", "to")


def feed_path(user: User, filters: CalendarFilters | None = None) -> str:
    """The feed's address (without the host) for `user`, who must have a secret."""
    params = {"key": user.calendar_token}
    if filters is not None:
        if filters.strategy:
            params["strategy"] = filters.strategy
        if filters.organisation:
            params["organisation"] = filters.organisation
        if filters.body is not None:
            params["body"] = str(filters.body)
        if filters.from_day:
            params["from"] = filters.from_day.isoformat()
        if filters.to_day:
            params["to"] = filters.to_day.isoformat()
        if filters.all_dates:
            params["window"] = "all"
    return f"{reverse('calendar-feed')}?{urlencode(params)}"


# What the feed covers -------------------------------------------------------------------------


def _involving(user: User) -> Q:
    """The strategies a user works on: their organisation's (as lead or partner) and, for a
    secretary, those their bodies consider. Other organisations' adopted
    strategies are readable but would fill an unfiltered calendar with strangers' dates."""
    involved = Strategy.objects.involving_q(organisation_id=user.organisation_id)
    if (considered := strategies_considered_by(user)) is not None:
        involved |= considered
    return involved


def feed_strategies(user: User, filters: CalendarFilters):
    """The strategies whose dates the feed carries (a QuerySet; never anything `user` cannot
    read). Unfiltered, officers and secretaries get the strategies they work on, managers and
    administrators every strategy; a strategy or organisation filter reaches any they can read."""
    strategies = access.visible_strategies(user)
    if filters.strategy:
        return strategies.filter(slug=filters.strategy)
    if filters.organisation:
        return strategies.involving(organisation__slug=filters.organisation)
    if user.reads_everything:
        return strategies
    return strategies.filter(_involving(user))


def feed_entries(
    user: User, filters: CalendarFilters, today: datetime.date | None = None
) -> list[CalendarEntry]:
    strategies = feed_strategies(user, filters)
    days = None if filters.all_dates else window(filters, today or timezone.localdate())
    entries: list[CalendarEntry] = []
    entries.extend(gates.calendar_entries(user, filters, strategies, days))
    entries.extend(consultations.calendar_entries(user, filters, strategies, days))
    # A stable order, so that an unchanged calendar gives the same file. Each entry's first day
    # is worked out once, for the window and the order alike.
    keyed = [(_day_of(e.start), e.all_day is False, e.uid, e) for e in entries]
    if days is not None:  # kept while any of its days is inside (an event over several days)
        first, last = days
        keyed = [k for k in keyed if k[0] <= last and _last_day(k[3], k[0]) >= first]
    keyed.sort(key=_without_entry)
    return [k[3] for k in keyed]


def _without_entry(key: tuple) -> tuple:
    return key[:3]  # day, timed, uid: the uid is unique, so the entries are never compared


def feed_name(user: User, filters: CalendarFilters) -> str:
    """The calendar's name in the client's list of calendars."""
    if filters.strategy:
        # A strategy the user cannot read gives an empty calendar named by its slug alone.
        titles = access.visible_strategies(user).filter(slug=filters.strategy)
        return f"Waymark: {titles.values_list('title', flat=True).first() or filters.strategy}"
    if filters.organisation:
        org = Organisation.objects.filter(slug=filters.organisation).first()
        return f"Waymark: {org.display_name if org else filters.organisation}"
    if filters.body is not None:
        return "Waymark: one body"
    return "Waymark"


def _last_day(entry: CalendarEntry, starts: datetime.date) -> datetime.date:
    """The entry's last day (`starts` is its first): of its days, or of the month, quarter or
    season it is known only to. The window keeps an entry while any day of it is inside."""
    if entry.all_day:
        return max(entry.until or starts, entry.period_ends or starts)
    return _day_of(entry.end or entry.start)


# iCalendar ------------------------------------------------------------------------------------


def _day_of(start: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(start, datetime.datetime):
        # The site's zone, as to_ical writes times in (timezone.localtime asks for the current
        # zone each time, which the feed's tens of thousands of dates felt; none is activated).
        return start.astimezone(timezone.get_default_timezone()).date()
    return start


def to_ical(
    entries: Iterable[CalendarEntry],
    absolute: Callable[[str], str],
    name: str,
    calendar_uid: str,
    now: datetime.datetime | None = None,
) -> bytes:
    """The entries as an iCalendar file (RFC 5545, with the calendar properties of RFC 7986).
    `absolute` turns a path into a full address (request.build_absolute_uri); timed entries are
    given in the site's time zone, described once in a VTIMEZONE before the events.

    The lines are written here rather than through the icalendar package's objects, which cost
    a third of a millisecond an event (a manager's feed holds thousands); the package still
    describes the time zone, and the tests read every feed back with it."""
    tzid = settings.TIME_ZONE
    local = zoneinfo.ZoneInfo(tzid)
    # DTSTAMP is the start of the day in the site's time zone, not the moment of the request:
    # the same dates give the same file all day, which the feed's ETag (a hash of it) relies on.
    day = timezone.localdate(now or timezone.now())
    stamp = datetime.datetime.combine(day, datetime.time(), tzinfo=local)
    stamp = stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    refresh = _duration(REFRESH_INTERVAL)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(PRODID)}",
        f"UID:{_text(calendar_uid)}",
        f"NAME:{_text(name)}",
        f"X-WR-CALNAME:{_text(name)}",
        f"DESCRIPTION:{_text(DESCRIPTION)}",
        f"X-WR-CALDESC:{_text(DESCRIPTION)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}",
        f"X-PUBLISHED-TTL:{refresh}",
        f"X-WR-TIMEZONE:{_text(tzid)}",
    ]
    timed_days: list[datetime.date] = []
    # Each event's lines are joined and encoded on their own: one character beyond U+00FF (a
    # curly quote, a dash) among a feed's millions would otherwise make Python hold the whole
    # file at two bytes a character, or four for an emoji, before encoding it.
    events: list[bytes] = []
    one_day = datetime.timedelta(days=1)
    stamp_line = f"DTSTAMP:{stamp}"
    categories: dict[tuple[str, ...], str] = {}
    # The lines of fixed shape (BEGIN, DTSTAMP, DTSTART, ...) are short and ASCII (a TZID is an
    # IANA zone name, 32 characters at most: 61 for the line); those that carry a value from
    # the record are folded where needed as they are written (`_line`).
    for entry in entries:
        event = ["BEGIN:VEVENT"]
        add = event.append
        uid = entry.uid
        # The entries' UIDs are Waymark's own ("gate-12@waymark"): short, plain ASCII.
        add(f"UID:{uid}" if _PLAIN_UID(uid) else _line(f"UID:{_text(uid)}"))
        add(stamp_line)
        if entry.all_day:
            start = entry.start
            if type(start) is not datetime.date:
                start = _day_of(start)
            end = max(entry.until or start, start) + one_day  # exclusive
            add(f"DTSTART;VALUE=DATE:{_ymd(start)}")
            add(f"DTEND;VALUE=DATE:{_ymd(end)}")
        else:
            start = entry.start.astimezone(local)
            end = (entry.end or entry.start).astimezone(local)
            timed_days.append(start.date())
            add(f"DTSTART;TZID={tzid}:{start:%Y%m%dT%H%M%S}")
            add(f"DTEND;TZID={tzid}:{end:%Y%m%dT%H%M%S}")
        add(_line(f"SUMMARY:{_text(entry.summary)}"))
        if entry.url:
            add(_line(f"URL:{_uri(absolute(entry.url))}"))
        if entry.description:
            add(_line(f"DESCRIPTION:{_text(entry.description)}"))
        if entry.location:
            add(_line(f"LOCATION:{_text(entry.location)}"))
        if entry.categories:
            if entry.categories not in categories:
                line = "CATEGORIES:" + ",".join(_text(c) for c in entry.categories)
                categories[entry.categories] = _line(line)
            add(categories[entry.categories])
        if entry.cancelled:
            add("STATUS:CANCELLED")
        # Notes and deadlines do not make anyone busy; meetings do.
        add("TRANSP:TRANSPARENT" if entry.all_day else "TRANSP:OPAQUE")
        add("END:VEVENT")
        events.append("\r\n".join(event).encode())
    if timed_days:
        # Only the years the entries need, rather than the package's default of 1970 to 2038.
        zone = Timezone.from_tzinfo(
            local,
            tzid=tzid,
            first_date=min(timed_days) - datetime.timedelta(days=366),
            last_date=max(timed_days) + datetime.timedelta(days=366),
        )
        lines += zone.to_ical().decode().splitlines()
    lines = [_line(line) for line in lines]  # the calendar's own lines: a few
    # b"" for the last line's end
    return b"\r\n".join(["\r\n".join(lines).encode(), *events, b"END:VCALENDAR", b""])


DESCRIPTION = "Gates, meetings, deadlines and consultation dates from Waymark."
# A UID of Waymark's own making ("gate-12@waymark"): nothing to escape, far short of a fold.
_PLAIN_UID = re.compile(r"[-a-z0-9@.]{1,60}").fullmatch
# Characters a TEXT value may not hold (RFC 5545 3.3.11): control characters but tab.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@functools.lru_cache(maxsize=4096)
def _ymd(day: datetime.date) -> str:
    """20170712: what strftime("%Y%m%d") gives for years 1000 to 9999, at a fraction of its cost
    (and kept: a feed's tens of thousands of dates fall on a few hundred days)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line ends as \\n, other control
    characters as spaces. (Each test is a scan in C, and most values need none of the changes.
    `isprintable` is false for every control character, so a value it passes needs no more;
    one it fails, for a tab, a no-break space or a line separator, say, comes out unchanged
    by the regular expression.)"""
    value = str(value)
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if ";" in value:
        value = value.replace(";", "\\;")
    if "," in value:
        value = value.replace(",", "\\,")
    if value.isprintable():
        return value
    value = value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return value if value.isprintable() else _CONTROL.sub(" ", value)


def _uri(value: str) -> str:
    return value if value.isprintable() else _CONTROL.sub("", value)


def _duration(value: datetime.timedelta) -> str:
    hours, seconds = divmod(int(value.total_seconds()), 3600)
    return f"PT{hours}H" + (f"{seconds // 60}M" if seconds else "")


def _line(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1): one of that many characters or
    fewer, all ASCII, as it is (most of them; the test is far cheaper than calling _fold)."""
    return line if len(line) <= 75 and line.isascii() else _fold(line)


_FOLLOWING = re.compile(".{1,74}", re.DOTALL)


def _fold(line: str) -> str:
    """A content line folded at 75 octets, each continuation starting with a space (RFC 5545
    3.1), never inside a UTF-8 character."""
    if line.isascii():
        if len(line) <= 75:
            return line
        # One octet a character: 75 of them, then 74 at a time after each fold's space.
        return "\r\n ".join([line[:75], *_FOLLOWING.findall(line, 75)])
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and encoded[end] & 0xC0 == 0x80:
            end -= 1  # a continuation byte: break before the character it belongs to
        parts.append(encoded[start:end].decode())
        start, limit = end, 74  # the leading space counts
    return "\r\n ".join(parts)
