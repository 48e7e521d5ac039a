"""The calendar feed at `/calendar.ics`: the dates of the strategies a user may read, as
iCalendar (RFC 5545), for calendar clients that subscribe to an address and cannot sign in.

The address carries a per-user secret (`User.calendar_token`). Resetting it makes the old address
stop working at once; the secret itself never enters the history, the time of the reset does.
The dates come from gates.py (gates, meetings, notice deadlines, call-in) and consultations.py
(windows, responses due, events); this module writes them out.
"""

from __future__ import annotations

import datetime
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
    """A filter value that is not even well-formed (the feed answers 400 with the message)."""


# Filters and addresses -----------------------------------------------------------------------


def parse_filters(query: QueryDict) -> CalendarFilters:
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
    return CalendarFilters(
        strategy=strategy, organisation=organisation, body=int(body) if body else None
    )


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


def feed_entries(user: User, filters: CalendarFilters) -> list[CalendarEntry]:
    strategies = feed_strategies(user, filters)
    entries: list[CalendarEntry] = []
    entries.extend(gates.calendar_entries(user, filters, strategies))
    entries.extend(consultations.calendar_entries(user, filters, strategies))
    # A stable order, so that an unchanged calendar gives the same file.
    entries.sort(key=lambda e: (_day_of(e.start), e.all_day is False, e.uid))
    return entries


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


# iCalendar ------------------------------------------------------------------------------------


def _day_of(start: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localtime(start).date() if isinstance(start, datetime.datetime) else start


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
    stamp = (now or timezone.now()).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    tzid = settings.TIME_ZONE
    local = zoneinfo.ZoneInfo(tzid)
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
    events: list[str] = []
    for entry in entries:
        if entry.all_day:
            start = _day_of(entry.start)
            end = max(entry.until or start, start) + datetime.timedelta(days=1)  # exclusive
            span = [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
        else:
            start = entry.start.astimezone(local)
            end = (entry.end or entry.start).astimezone(local)
            timed_days.append(start.date())
            span = [
                f"DTSTART;TZID={tzid}:{start:%Y%m%dT%H%M%S}",
                f"DTEND;TZID={tzid}:{end:%Y%m%dT%H%M%S}",
            ]
        events += ["BEGIN:VEVENT", f"UID:{_text(entry.uid)}", f"DTSTAMP:{stamp}", *span]
        events.append(f"SUMMARY:{_text(entry.summary)}")
        if entry.url:
            events.append(f"URL:{_uri(absolute(entry.url))}")
        if entry.description:
            events.append(f"DESCRIPTION:{_text(entry.description)}")
        if entry.location:
            events.append(f"LOCATION:{_text(entry.location)}")
        if entry.categories:
            events.append("CATEGORIES:" + ",".join(_text(c) for c in entry.categories))
        if entry.cancelled:
            events.append("STATUS:CANCELLED")
        # Notes and deadlines do not make anyone busy; meetings do.
        events.append("TRANSP:TRANSPARENT" if entry.all_day else "TRANSP:OPAQUE")
        events.append("END:VEVENT")
    if timed_days:
        # Only the years the entries need, rather than the package's default of 1970 to 2038.
        zone = Timezone.from_tzinfo(
            local,
            tzid=tzid,
            first_date=min(timed_days) - datetime.timedelta(days=366),
            last_date=max(timed_days) + datetime.timedelta(days=366),
        )
        lines += zone.to_ical().decode().splitlines()
    lines += events
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


DESCRIPTION = "Gates, meetings, deadlines and consultation dates from Waymark."
# Characters a TEXT value may not hold (RFC 5545 3.3.11): control characters but tab.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line ends as \\n, other control
    characters as spaces."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return _CONTROL.sub(" ", value)


def _uri(value: str) -> str:
    return _CONTROL.sub("", value)


def _duration(value: datetime.timedelta) -> str:
    hours, seconds = divmod(int(value.total_seconds()), 3600)
    return f"PT{hours}H" + (f"{seconds // 60}M" if seconds else "")


def _fold(line: str) -> str:
    """A content line folded at 75 octets, each continuation starting with a space (RFC 5545
    3.1), never inside a UTF-8 character."""
    if len(line) <= 75 and line.isascii():
        return line
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
