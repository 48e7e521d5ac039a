"""Consultation dates in the calendar feed (portal/calendar/feed.py): each window's opening and
closing, the day its response is due (Cabinet Office principles: within
`ConsultationWindow.RESPONSE_WITHIN` of closing), and its events.

UIDs name the window and the date's role, never the date: `consultation-<pk>-opens@waymark`,
`consultation-<pk>-closes@waymark`, `consultation-<pk>-response-due@waymark` and
`consultation-event-<pk>@waymark`. An event at a time of day is timed; one whose time is not
recorded, or that runs over several days or months, is all day from its first day to its last.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator

from django.utils import timezone
from django.utils.dateformat import format as date_format

from consultation.models import ConsultationWindow, Event
from governance.dates import Precision, describe, describe_span, first_day, latest_day
from portal.calendar.gates import MEETING_LENGTH

from .entries import CalendarEntry, CalendarFilters, near_enough, slug_address
from .rows import with_shared_relations


def _label(day: datetime.date, precision: str) -> str:
    return "" if precision == Precision.DAY else f"{precision}: {describe(day, precision)}"


@functools.cache
def _state(state: str) -> str:
    # Django's get_state_display builds the choices again at every call: once for each value.
    return ConsultationWindow(state=state).get_state_display()


def _window_entries(window: ConsultationWindow, url: str) -> Iterator[CalendarEntry]:
    precision = window.date_precision
    if precision == Precision.NOT_SET:
        return
    lines = [
        f"Strategy: {window.strategy.title}",
        f"Consultation: {window.title} ({_state(window.state).lower()})",
        f"Dates: {window.dates}",
    ]
    if window.audiences:
        lines.append(f"For: {', '.join(window.audiences)}")
    description = "\n".join(lines)
    for day, role in [(window.opens_on, "opens"), (window.closes_on, "closes")]:
        if day is None:
            continue
        yield CalendarEntry(
            uid=f"consultation-{window.pk}-{role}@waymark",
            title=f"Consultation {role}: {window.title}",
            start=first_day(day, precision),
            precision=_label(day, precision),
            period_ends=latest_day(day, precision),
            url=url,
            description=description,
            categories=("Consultation",),
        )
    due = window.response_due_by
    if due is not None and precision == Precision.DAY:
        if window.response_published_on:
            state = f"Published on {date_format(window.response_published_on, 'j F Y')}."
        else:
            state = "Not yet published."
        yield CalendarEntry(
            uid=f"consultation-{window.pk}-response-due@waymark",
            title=f"Consultation response due: {window.title}",
            start=due,
            url=url,
            description=(
                f"Publish the response (“you said, we did”) within "
                f"{window.response_within()} of closing "
                f"(Cabinet Office Consultation Principles 2018). {state}\n{description}"
            ),
            categories=("Deadline", "Consultation"),
        )


def _event_entry(event: Event, url: str) -> CalendarEntry:
    window = event.window
    starts = event.starts_at.astimezone(timezone.get_default_timezone())
    lines = [f"Consultation: {window.title}", f"Strategy: {window.strategy.title}"]
    if event.online:
        lines.append("Online.")
    if event.notes:
        lines.append(event.notes)
    common = {
        "uid": f"consultation-event-{event.pk}@waymark",
        "title": f"Consultation event: {event.title}",
        "url": url,
        "location": "Online" if event.online and not event.place else event.place,
        "description": "\n".join(lines),
        "categories": ("Consultation", "Event"),
    }
    day, last, precision = starts.date(), event.ends_on, event.date_precision
    if precision == Precision.DAY:
        if event.time_known and last in (None, day):
            return CalendarEntry(start=starts, all_day=False, end=starts + MEETING_LENGTH, **common)
        # Its time not recorded, or over several days: all day, from its first to its last.
        common["description"] += f"\nWhen: {event.when}"
        return CalendarEntry(start=day, until=last, **common)
    if last is not None and (last.year, last.month) != (day.year, day.month):
        # Over several months: all day from the first of the first to the end of the last.
        return CalendarEntry(
            start=first_day(day, precision),
            until=latest_day(last, precision),
            precision=f"{precision}: {describe_span(day, last, precision)}",
            **common,
        )
    return CalendarEntry(
        start=first_day(day, precision),
        precision=_label(day, precision),
        period_ends=latest_day(day, precision),
        **common,
    )


def may_fall_within(
    window: ConsultationWindow, days: tuple[datetime.date, datetime.date] | None
) -> bool:
    """Whether the window's dates (its opening, closing and response due, each a period at
    most a season long) can fall between `days` (first and last; None for every date)."""
    opens, closes = window.opens_on or window.closes_on, window.closes_on or window.opens_on
    if opens is None:
        return True
    return near_enough(opens, closes, days, after=window.RESPONSE_WITHIN)


def calendar_entries(
    user,
    filters: CalendarFilters,
    strategies,
    days: tuple[datetime.date, datetime.date] | None = None,
) -> list[CalendarEntry]:
    """The consultation dates of `strategies`, in two queries whatever their number. A body
    filter keeps the windows run for that body's consultation gate. `days` (first, last) is
    the feed's window, None for every date: a window whose dates cannot fall in it gives
    none (its events are few, and are all worked out)."""
    windows = ConsultationWindow.objects.filter(strategy__in=strategies)
    if filters.body is not None:
        windows = windows.filter(gate__body_id=filters.body)
    entries: list[CalendarEntry] = []
    # The strategy's Consultation tab: everyone who can read the strategy may open it.
    url = slug_address("consultation:strategy")
    for window in with_shared_relations(
        windows.order_by("pk"), ["strategy"], unread={"strategy": {"vision", "summary"}}
    ):
        if may_fall_within(window, days):
            entries.extend(_window_entries(window, url(window.strategy.slug)))
    events = Event.objects.filter(window__in=windows).order_by("pk")
    for event in with_shared_relations(
        events, ["window", "window__strategy"], unread={"window__strategy": {"vision", "summary"}}
    ):
        entries.append(_event_entry(event, url(event.window.strategy.slug)))
    return entries
