"""Who else may read a strategy: the one question strategies asks of an app above it.

Officers and secretaries read their own organisation's strategies and any adopted one
(`StrategyQuerySet.visible_to`). A board secretary also reads the strategies their bodies
consider, wherever they come from, and bodies belong to governance, which depends on
strategies and so cannot be imported here. Governance therefore adds that rule from its
AppConfig.ready(). This is kept as a registry (docs/decisions/0014) because every door to a
strategy, strategies' own pages included, must apply the same rule; the only other registry
of its kind is approvals.py (what a body approved of the content).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

# Each takes a signed-in user and gives a Q of further strategies they may read, or None.
READER_RULES: list[Callable[[object], Q | None]] = []


def add_reader_rule(rule: Callable[[object], Q | None]) -> None:
    if rule not in READER_RULES:
        READER_RULES.append(rule)


def further_readable(user) -> Q | None:
    """The strategies `user` may read beyond their organisation's and the adopted ones."""
    allowed = None
    for rule in READER_RULES:
        extra = rule(user)
        if extra is not None:
            allowed = extra if allowed is None else allowed | extra
    return allowed
