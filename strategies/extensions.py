"""Where apps that depend on strategies plug into it, so that strategies imports none of them.

Governance and consultation register here from their AppConfig.ready():
- `TABS`: extra tabs on the strategy page (a label and a URL name taking the strategy's slug);
- `VISIBILITY_RULES`: functions giving a Q of further strategies a user may read (a secretary
  reads what their bodies consider);
- `HISTORY_SOURCES`: further history tables whose rows belong to a strategy (its gates, its
  consultations), merged into the strategy's History tab by strategies/history.py;
- `PANELS`: sections of the strategy page below its content (the route's timeline and the
  projected adoption date);
- `DASHBOARD_SECTIONS`: sections of the staff dashboard at `/` (strategies/dashboard.py).

A panel's or section's `context` returns the template's context, or None to leave it out. Each
must run a fixed number of queries however many rows there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str
    order: int


@dataclass(frozen=True)
class HistorySource:
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
