"""Who may start or change a committee report, and when: each function says why not, in a
sentence for the page, or returns None.
"""

from __future__ import annotations

from governance.models import Gate, Purpose
from strategies.models import Strategy


def gate_refusal(gate: Gate) -> str | None:
    """Why this gate's report cannot be started or changed now, whoever asks; None if it can."""
    strategy = gate.strategy
    if gate.purpose == Purpose.CONSULT:
        return (
            "A consultation gate runs with its consultation window, not at a meeting, so it has "
            "no committee report."
        )
    if strategy.route_is_closed:
        return f"The strategy is {strategy.get_stage_display().lower()}; its route is closed."
    if gate.state == Gate.State.REMOVED:
        return "This gate has been removed from the route."
    if gate.state == Gate.State.REFERRED_BACK:
        return (
            f"The {gate.body} referred the strategy back. Resubmit the gate on the route before "
            f"changing its report."
        )
    if not gate.is_open:
        return (
            f"The {gate.body} has decided on this gate ({gate.get_state_display().lower()}), so "
            f"its report stays as it was sent."
        )
    if gate.papers_revision_id:
        return (
            f"The papers for the {gate.body} meeting of {gate.when} have been published, so the "
            f"report stays as sent until the {gate.body} decides."
        )
    return None


def writer_refusal(user, strategy: Strategy) -> str | None:
    """Why `user` never writes this strategy's committee reports, or None if they do."""
    if not user.is_authenticated:
        return "Sign in to prepare committee reports."
    if not strategy.is_lead_officer(user):
        return "Only officers of the lead organisation prepare and edit its committee reports."
    return None


def report_refusal(user, gate: Gate) -> str | None:
    """Why `user` may not start or change this gate's report now, or None if they may."""
    return writer_refusal(user, gate.strategy) or gate_refusal(gate)
