"""The approval timeline: each strategy's route drawn planned against actual.

`load_timelines(strategies, today)` reads the gates of any number of strategies, their decisions,
the first plan in each gate's history and the consultation windows in a fixed number of queries
(loading.py), and `layout(timelines, today)` works out where everything goes on a shared time
axis (chart.py). Both are plain functions: svg.py only draws what
they give it, and /timeline/ and the strategy page's panel share them.

Slippage is measured against the first plan recorded for a gate, because putting a gate on a
meeting overwrites its planned date with the meeting's (`schedule_gate`, in
governance/workflow/meetings.py): measured against the current plan, every scheduled gate would
look on time.
"""

from .chart import Box, Chart, Lane, Tick, axis, layout
from .loading import (
    GateLine,
    Mark,
    Period,
    Slippage,
    StrategyTimeline,
    first_plans,
    load_timelines,
    slippage,
)

__all__ = [
    "Box",
    "Chart",
    "GateLine",
    "Lane",
    "Mark",
    "Period",
    "Slippage",
    "StrategyTimeline",
    "Tick",
    "axis",
    "first_plans",
    "layout",
    "load_timelines",
    "slippage",
]
