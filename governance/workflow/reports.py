"""Committee reports (CommitteeReport): who may start or change a gate's report, and when.

The portal writes the reports (portal/reports/editing.py: from what Waymark knows, which spans
the apps); these checks are governance's, as the report and everything they read are. Each
says why not, in a sentence for the page, or returns None; the portal asks them before
offering a change and again under the strategy's row lock (lock_strategy) as it makes it.
"""

from __future__ import annotations

from django.utils.text import capfirst

from strategies.models import Strategy, User

from ..models import Gate, Purpose
from .common import active_refusal, papers_out


def gate_refusal(gate: Gate) -> str | None:
    """Why this gate's report cannot be started or changed now, whoever asks; None if it can.
    A report stays as sent once its papers are published, like the strategy's text."""
    if gate.purpose == Purpose.CONSULT:
        return (
            "A consultation gate runs with its consultation window, not at a meeting, so it has "
            "no committee report."
        )
    if refusal := active_refusal(gate.strategy):
        return refusal
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
        return capfirst(papers_out(gate, "the report"))
    return None


def writer_refusal(user: User, strategy: Strategy) -> str | None:
    """Why `user` never writes this strategy's committee reports, or None if they do."""
    if not user.is_authenticated:
        return "Sign in to prepare committee reports."
    if not strategy.is_lead_officer(user):
        return "Only officers of the lead organisation prepare and edit its committee reports."
    return None


def report_refusal(user: User, gate: Gate) -> str | None:
    """Why `user` may not start or change this gate's report now, or None if they may."""
    return writer_refusal(user, gate.strategy) or gate_refusal(gate)
