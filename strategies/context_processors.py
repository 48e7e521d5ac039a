from __future__ import annotations

from .extensions import TABS


def strategy_tabs(request) -> dict:
    """The strategy page's tabs contributed by other apps (see strategies/extensions.py)."""
    return {"strategy_tabs": TABS}
