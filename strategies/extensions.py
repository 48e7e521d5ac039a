"""Where apps that depend on strategies plug into it, so that strategies imports none of them.

Governance and consultation register here from their AppConfig.ready():
- `TABS`: extra tabs on the strategy page (a label and a URL name taking the strategy's slug);
- `VISIBILITY_RULES`: functions giving a Q of further strategies a user may read (a secretary
  reads what their bodies consider);
- `HISTORY_SOURCES`: further history tables whose rows belong to a strategy (its gates, its
  consultations), merged into the strategy's History tab by strategies/history.py;
- `PANELS`: sections of the strategy page below its content (the route's timeline and the
  projected adoption date);
- `DASHBOARD_SECTIONS`: sections of the staff dashboard at `/` (strategies/dashboard.py);
- `PUBLIC_PANELS`: sections of the public page of a published strategy (`/published/<slug>/`);
- `EXCHANGE_PARTS`: each app's share of a strategy's JSON export and import;
- `CALENDAR_SOURCES`: functions giving the dates of the calendar feed at `/calendar.ics`
  (gates, meetings, deadlines, consultation dates), and `CALENDAR_FILTERS`: further choices
  for its filter form (the bodies); strategies/calendar.py builds the feed.
- `REMINDER_SOURCES`: the kinds of reminder email and how to build each (strategies/reminders.py
  sends them; governance and consultation own the events).

A panel's or section's `context` returns the template's context, or None to leave it out. Each
must run a fixed number of queries however many rows there are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str
    order: int
    # Whether the tab is shown to a user on a strategy (user, strategy) -> bool; always if None.
    # A tab is not offered to those its page would refuse.
    shown_to: Callable | None = None


@dataclass(frozen=True)
class HistorySource:
    """A history table whose rows belong to a strategy. `rows(strategy)` must depend on
    `strategy.pk` alone and run no query itself: the merged history compiles every source's
    query set once, for a stand-in strategy, and reuses the SQL with each strategy's id
    (strategies/history.py checks that each source's SQL names the stand-in's id)."""

    kind: str
    label: str
    rows: Callable  # (strategy) -> QuerySet of historical rows belonging to it
    describe: Callable  # (historical row, name lookup) -> what the row is about


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable  # (request, strategy) -> dict | None
    order: int


@dataclass(frozen=True)
class DashboardSection:
    key: str
    template: str
    context: Callable  # (request, dashboard: strategies.dashboard.Dashboard) -> dict | None
    order: int


TABS: list[Tab] = []
PANELS: list[Panel] = []
DASHBOARD_SECTIONS: list[DashboardSection] = []
HISTORY_SOURCES: list[HistorySource] = []
VISIBILITY_RULES: list[Callable[[object], Q | None]] = []


def register_tab(tab: Tab) -> None:
    if all(existing.key != tab.key for existing in TABS):
        TABS.append(tab)
        TABS.sort(key=lambda t: t.order)


def register_visibility_rule(rule: Callable[[object], Q | None]) -> None:
    if rule not in VISIBILITY_RULES:
        VISIBILITY_RULES.append(rule)


def register_history_source(source: HistorySource) -> None:
    if all(existing.kind != source.kind for existing in HISTORY_SOURCES):
        HISTORY_SOURCES.append(source)


def register_panel(panel: Panel) -> None:
    if all(existing.key != panel.key for existing in PANELS):
        PANELS.append(panel)
        PANELS.sort(key=lambda p: p.order)


def register_dashboard_section(section: DashboardSection) -> None:
    if all(existing.key != section.key for existing in DASHBOARD_SECTIONS):
        DASHBOARD_SECTIONS.append(section)
        DASHBOARD_SECTIONS.sort(key=lambda s: s.order)


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict


def panels_for(request, strategy) -> list[RenderedPanel]:
    """The panels that have something to show for this strategy, in order."""
    rendered = []
    for panel in PANELS:
        context = panel.context(request, strategy)
        if context is not None:
            rendered.append(RenderedPanel(panel.template, context))
    return rendered


# The public page of a published strategy (strategies/public_views.py) ---------------------------
# Its panels are `Panel`s too; `context(request, strategy, published)` gets the strategy and its
# "As published" revision and must show only what the public may read.

PUBLIC_PANELS: list[Panel] = []


def register_public_panel(panel: Panel) -> None:
    if all(existing.key != panel.key for existing in PUBLIC_PANELS):
        PUBLIC_PANELS.append(panel)
        PUBLIC_PANELS.sort(key=lambda p: p.order)


# Export and import of a strategy (strategies/exchange.py) ---------------------------------------


@dataclass(frozen=True)
class ExchangePart:
    """One app's share of a strategy's JSON export, under `key` in the document.

    `export(strategy, exporter)` gives the app's rows of the strategy; `export_shared(exporter)`
    (optional, run after every part's `export`) the shared rows they refer to, such as bodies
    and meetings. On import, `import_shared(data, importer)` runs for every part before any
    `import_(data, importer)`, parts in `order`. Both raise strategies.exchange.ExchangeError
    with a message naming what is wrong."""

    key: str
    order: int
    export: Callable  # (strategy, exporter) -> dict
    import_: Callable  # (data: dict, importer) -> None
    export_shared: Callable | None = None  # (exporter) -> dict
    import_shared: Callable | None = None  # (data: dict, importer) -> None


EXCHANGE_PARTS: list[ExchangePart] = []


def register_exchange_part(part: ExchangePart) -> None:
    if all(existing.key != part.key for existing in EXCHANGE_PARTS):
        EXCHANGE_PARTS.append(part)
        EXCHANGE_PARTS.sort(key=lambda p: p.order)


# The calendar feed (strategies/calendar.py) -----------------------------------------------------


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
    location: str = ""
    cancelled: bool = False

    @property
    def summary(self) -> str:
        title = f"Cancelled: {self.title}" if self.cancelled else self.title
        return f"{title} ({self.precision})" if self.precision else title


# (user, CalendarFilters, strategies the feed covers: a QuerySet) -> entries. Each runs a fixed
# number of queries however many rows there are.
CalendarSource = Callable[[object, CalendarFilters, object], Iterable[CalendarEntry]]
CALENDAR_SOURCES: list[CalendarSource] = []


@dataclass(frozen=True)
class CalendarFilter:
    """A further filter of the feed's form: `key` is its query parameter (a field of
    CalendarFilters) and `choices(user)` the values the user may pick, as (value, label)."""

    key: str
    label: str
    empty_label: str
    choices: Callable[[object], list[tuple[str, str]]]
    order: int


CALENDAR_FILTERS: list[CalendarFilter] = []


def register_calendar_source(source: CalendarSource) -> None:
    if source not in CALENDAR_SOURCES:
        CALENDAR_SOURCES.append(source)


def register_calendar_filter(calendar_filter: CalendarFilter) -> None:
    if all(existing.key != calendar_filter.key for existing in CALENDAR_FILTERS):
        CALENDAR_FILTERS.append(calendar_filter)
        CALENDAR_FILTERS.sort(key=lambda f: f.order)


# Reminder emails (strategies/reminders.py) -------------------------------------------------------


@dataclass(frozen=True)
class ReminderSource:
    """How to send one kind of reminder (a `strategies.models.ReminderKind` value).

    `build(params)` runs in the task worker and returns a `strategies.reminders.Reminder` (the
    key, recipients, subject and template context), or None when the event no longer calls for
    one (the agenda was published meanwhile). `due(today)` is for reminders that time, not an
    event, brings: it gives `(key, params)` for every reminder due today, and `manage.py
    send_reminders` enqueues those whose key is not yet in the sent-log."""

    kind: str
    build: Callable[[dict], object]
    due: Callable[[datetime.date], Iterable[tuple[str, dict]]] | None = None


REMINDER_SOURCES: dict[str, ReminderSource] = {}


def register_reminder_source(source: ReminderSource) -> None:
    REMINDER_SOURCES[source.kind] = source
