"""What else holds a gate on its route: a question governance asks of an app above it.

A consultation runs at a consultation gate (`consultation.ConsultationWindow.gate`), and a gate
must not be removed from under it. Consultation depends on governance, so governance cannot
import it to ask; consultation adds its answer here from its AppConfig.ready(). It is kept as
a registry (docs/decisions/0014) because the rule must hold at every door that removes a gate
(the route page, the admin, commands), all of which go through `workflow.remove_gate`. The
only other question of its kind is gate_runs.py (when what runs at a gate runs, and its result).
"""

from __future__ import annotations

from collections.abc import Callable

# Each takes a gate and says, in words for the person removing it, what holds it; or None.
GATE_HOLDERS: list[Callable[[object], str | None]] = []


def add_gate_holder(holder: Callable[[object], str | None]) -> None:
    if holder not in GATE_HOLDERS:
        GATE_HOLDERS.append(holder)


def held_by(gate) -> str | None:
    """Why `gate` cannot leave its route while something else runs at it, or None."""
    for holder in GATE_HOLDERS:
        if (reason := holder(gate)) is not None:
            return reason
    return None
