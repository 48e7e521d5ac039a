"""Governance pages, by family: the route tab and its planners' moves (route.py), secretaries'
meetings (meetings.py), decisions (decisions.py), call-ins (call_ins.py), the executive's
response to scrutiny (scrutiny.py), a strategy's moves after publication (lifecycle.py) and
the CSV download (exports.py); what they share
(common.py). Every move goes through governance.workflow, and what a page offers is what the
move's check allows. governance/urls.py reaches each view from here."""

from .agenda_items import match_agenda_item
from .call_ins import record_call_in, record_call_in_outcome
from .decisions import correct_decision, decision_detail, record_decision
from .exports import gates_csv
from .lifecycle import lifecycle_move
from .meetings import (
    agenda_references,
    mark_meeting,
    meeting_create,
    meeting_detail,
    meeting_edit,
    my_meetings,
)
from .route import (
    add_gate,
    apply_route,
    gate_move,
    publish,
    replan_gate,
    route,
    strategy_move,
)
from .scrutiny import record_response

__all__ = [
    "lifecycle_move",
    "add_gate",
    "agenda_references",
    "apply_route",
    "correct_decision",
    "decision_detail",
    "gate_move",
    "gates_csv",
    "mark_meeting",
    "match_agenda_item",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "my_meetings",
    "publish",
    "record_call_in",
    "record_call_in_outcome",
    "record_decision",
    "record_response",
    "replan_gate",
    "route",
    "strategy_move",
]
