"""Committee reports (CommitteeReport): who may start or change a gate's report, and when; and
whether a report names a meeting other than the one its gate is on (meeting_mismatch).

The portal writes the reports (portal/reports/editing.py: from what Waymark knows, which spans
the apps); these checks are governance's, as the report and everything they read are. Each
says why not, in a sentence for the page, or returns None; the portal asks them before
offering a change and again under the strategy's row lock (lock_strategy) as it makes it.
"""

from __future__ import annotations

from django.utils.text import capfirst

from strategies.models import Strategy, User

from ..models import CommitteeReport, Gate, Purpose
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
        if recorded_after_the_fact(gate):
            return None  # its report is being entered from the council's records
        return (
            f"The {gate.body} has decided on this gate ({gate.get_state_display().lower()}), so "
            f"its report stays as it was sent."
        )
    if gate.papers_revision_id:
        return capfirst(papers_out(gate, "the report"))
    return None


def recorded_after_the_fact(gate: Gate) -> bool:
    """Whether the gate was decided before its strategy came into Waymark, its decision
    recorded after the fact from the council's records: then its committee report, which no one
    sent through Waymark, can be entered (and corrected) from the report the council published,
    where a report sent through Waymark stays as it was sent."""
    return gate.decisions.filter(recorded_later=True).exists()


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


def meeting_mismatch(report: CommitteeReport) -> str | None:
    """What to tell anyone reading `report`, or about to publish the papers it goes with, when
    it names a meeting other than the one its gate is now on (the gate was deferred, or moved
    to another meeting, after the report was written): which meeting it names, which the gate
    is on, and what to do. None when it names the gate's meeting, or the gate is on none.
    Reads the report's gate with its body and meeting."""
    gate = report.gate
    meeting, line = gate.meeting, report.meeting_line.strip()
    if meeting is None or not line or meeting.when in line:
        return None
    said = f"The report names a different meeting (“{line}”) from the one the gate is on now"
    if not gate.is_open:
        return (
            f"{said}: the {gate.body} decided at its meeting of {meeting.when}. The report stays "
            f"as it was sent."
        )
    if gate.papers_revision_id:
        return (
            f"{said}, the {gate.body} meeting of {meeting.when}, and the papers for that meeting "
            f"have been published with it. It cannot change until the {gate.body} decides, so "
            f"tell the members which meeting it is for: publish a correction with the papers "
            f"(a supplementary agenda) or have the chair say so at the meeting."
        )
    return (
        f"{said}, the {gate.body} meeting of {meeting.when}. Before its agenda is published, an "
        f"officer of the lead organisation should refresh the report's Meeting section from "
        f"Waymark (or correct it by hand); secretaries, publish the agenda once it is corrected, "
        f"as the report is then kept as sent."
    )
