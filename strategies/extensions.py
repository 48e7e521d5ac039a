"""Where apps that depend on strategies plug into it, so that strategies imports none of them.

Governance and consultation register here from their AppConfig.ready():
- `TABS`: extra tabs on the strategy page (a label and a URL name taking the strategy's slug);
- `VISIBILITY_RULES`: functions giving a Q of further strategies a user may read (a secretary
  reads what their bodies consider).
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


TABS: list[Tab] = []
VISIBILITY_RULES: list[Callable[[object], Q | None]] = []


def register_tab(tab: Tab) -> None:
    if all(existing.key != tab.key for existing in TABS):
        TABS.append(tab)
        TABS.sort(key=lambda t: t.order)


def register_visibility_rule(rule: Callable[[object], Q | None]) -> None:
    if rule not in VISIBILITY_RULES:
        VISIBILITY_RULES.append(rule)
