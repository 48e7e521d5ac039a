"""What the calendar feed is made of: the filters a feed address carries and the dates it lists.
gates.py and consultations.py give the entries; feed.py writes them as iCalendar."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarFilters:
    """What a feed address narrows the calendar to, as given in its query string. Values are
    well-formed but not checked against the database: a value that matches nothing the user
    may see gives an empty calendar, never a hint that it exists."""

    strategy: str = ""  # a strategy's slug
    organisation: str = ""  # an organisation's slug: strategies it leads or partners, its bodies
    body: int | None = None  # a governance body's pk

    @property
    def any(self) -> bool:
        return bool(self.strategy or self.organisation or self.body is not None)


@dataclass(frozen=True)
class CalendarEntry:
    """One date in the feed. `uid` must stay the same while the thing it marks is re-planned
    (calendar clients update the event with that UID rather than adding another)."""

    uid: str  # e.g. "gate-12@waymark"
    title: str  # e.g. "Cabinet: adopt Dudley JHWS"
    start: datetime.date | datetime.datetime  # an aware datetime when `all_day` is False
    all_day: bool = True
    # For a date known only to a month, quarter or season: "month: September 2017". The entry
    # is an all-day note on the first day of that period with this in its title.
    precision: str = ""
    url: str = ""  # a path into Waymark; the feed makes it absolute
    description: str = ""
    categories: tuple[str, ...] = ()
    end: datetime.datetime | None = None  # timed entries only
    # All-day entries over several days: the last of them (the feed's DTEND is the day after).
    until: datetime.date | None = None
    location: str = ""
    cancelled: bool = False

    @property
    def summary(self) -> str:
        title = f"Cancelled: {self.title}" if self.cancelled else self.title
        return f"{title} ({self.precision})" if self.precision else title
