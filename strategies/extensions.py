"""Where apps that depend on strategies plug into it, so that strategies imports none of them.

Governance and consultation register here from their AppConfig.ready():
- `TABS`: extra tabs on the strategy page (a label and a URL name taking the strategy's slug);
- `VISIBILITY_RULES`: functions giving a Q of further strategies a user may read (a secretary
  reads what their bodies consider);
- `HISTORY_SOURCES`: further history tables whose rows belong to a strategy (its gates, its
  consultations), merged into the strategy's History tab by strategies/history.py.
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


TABS: list[Tab] = []
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
