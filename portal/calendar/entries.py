"""What the calendar feed is made of: the filters a feed address carries and the dates it lists.
gates.py and consultations.py give the entries; feed.py writes them as iCalendar."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

_MARK = "waymark-slug-mark"


def slug_address(name: str) -> Callable[[str], str]:
    """`slug -> reverse(name, kwargs={"slug": slug})` for a feed's thousands of entries: the
    address is reversed once per feed and each slug put in. A slug of letters, digits, hyphens
    and underscores needs no quoting; any other is reversed as usual."""
    pattern = reverse(name, kwargs={"slug": _MARK})

    def address(slug: str) -> str:
        if slug.isascii() and slug.replace("-", "").replace("_", "").isalnum():
            return pattern.replace(_MARK, slug)
        return reverse(name, kwargs={"slug": slug})

    return address


@dataclass(frozen=True)
class CalendarFilters:
    """What a feed address narrows the calendar to, as given in its query string. Values are
    well-formed but not checked against the database: a value that matches nothing the user
    may see gives an empty calendar, never a hint that it exists."""

    strategy: str = ""  # a strategy's slug
    organisation: str = ""  # an organisation's slug: strategies it leads or partners, its bodies
    body: int | None = None  # a governance body's pk
    # The dates covered (feed.py's window): from a year back to two years ahead of today unless
    # the address gives `from`, `to` (either replaces its own default) or `window=all`.
    from_day: datetime.date | None = None
    to_day: datetime.date | None = None
    all_dates: bool = False

    @property
    def any(self) -> bool:
        """Whether the address says more than the key: a narrower or wider feed."""
        return bool(
            self.strategy
            or self.organisation
            or self.body is not None
            or self.from_day
            or self.to_day
            or self.all_dates
        )


@dataclass(slots=True)
class CalendarEntry:
    """One date in the feed. `uid` must stay the same while the thing it marks is re-planned
    (calendar clients update the event with that UID rather than adding another). Not frozen:
    a frozen dataclass sets each field through object.__setattr__, which a manager's feed of
    tens of thousands of entries felt; nothing changes an entry once made."""

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
    # A date known only to a month, quarter or season: the period's last day. The window keeps
    # the entry while any day of its period is inside it, though it shows on the first.
    period_ends: datetime.date | None = None

    @property
    def summary(self) -> str:
        title = f"Cancelled: {self.title}" if self.cancelled else self.title
        return f"{title} ({self.precision})" if self.precision else title


# How far from the day it hangs on (a meeting's, a planned or an opening day) an entry can fall:
# a date known only to a season ends within it. gates.py and consultations.py add their own
# further reach (the Forward Plan's notice, the response due after closing).
REACH = datetime.timedelta(days=366)


def near_enough(
    first: datetime.date,
    last: datetime.date,
    days: tuple[datetime.date, datetime.date] | None,
    before: datetime.timedelta = datetime.timedelta(0),
    after: datetime.timedelta = datetime.timedelta(0),
) -> bool:
    """Whether anything dated from `before` plus REACH ahead of `first` to `after` plus REACH
    beyond `last` can fall between `days` (first and last; None for every date). Cheap and
    generous: the feed's window itself decides which of a kept thing's entries it shows."""
    if days is None:
        return True
    try:
        return first - REACH - before <= days[1] and last + REACH + after >= days[0]
    except OverflowError:  # a day near the calendar's ends
        return True
