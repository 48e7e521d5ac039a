"""The only code that moves a strategy along its route.

Every move checks itself (the order of gates, the actor's role and body, the state), runs in
one transaction with the strategy row locked, records a Transition row for each move of a gate
or the strategy, and leaves the strategy's stage and editing lock consistent with its gates.
Views, admin actions, commands and load_demo all call these functions, as
`from governance import workflow; workflow.add_gate(...)`.

Each move has a check that says why a person may not make it now, or None, without making it:
`remove_gate_refusal(user, gate)` for `remove_gate`, and so on. Pages ask the check to decide
what to offer; the move asks the same check again under the lock and raises its sentence as a
WorkflowError.

    common.py              WorkflowError, who may plan or keep a body's business, locking,
                           recording transitions, the stage derived from the gates
    planning.py            add a gate, what it waits for, re-plan, remove, resubmit
    route_templates.py     apply a route template: the whole route, its dependencies and
                           planned months, a step whose body is missing named
    meetings.py            put a gate on a meeting (and its place on the agenda), publish an
                           agenda, mark a meeting held or cancelled, what of a meeting its
                           edit page may change
    decisions.py           record and correct a decision, the rules of its record
    approved_parts.py      the priorities a decision approved, and a later change to them
    call_ins.py            record a call-in of an executive decision and what came of it
    records.py             a decision's date at its precision, its references, and whether
                           it was recorded after the fact
    chain.py               the decisions' hash chain
    strategy.py            open a new revision, withdraw, publish
    lifecycle.py           after publication: into delivery, the review date, under review
                           and back, a refresh, and the strategy a refresh replaces superseded
    consultation_gates.py  start and complete a consultation gate (for consultation/)
    scrutiny.py            comments and recommendations (what each purpose may record, how
                           they settle a gate without approving), the executive's response
    reports.py             who may start or change a gate's committee report, and when
                           (checks only: the portal writes reports, asking these)
"""

from .approved_parts import (
    approved_parts_problems,
    parts_since,
    priorities_numbered,
    standing_parts,
)
from .call_ins import (
    record_call_in,
    record_call_in_outcome,
    record_call_in_outcome_refusal,
    record_call_in_refusal,
)
from .chain import decision_hash
from .common import (
    Outcome,
    Stage,
    WorkflowError,
    active_refusal,
    derive_stage,
    is_planner_of,
    is_secretary_of,
    lock_strategy,
    name_gates,
    planner_refusal,
    refuse_if,
    secretary_refusal,
)
from .consultation_gates import (
    complete_consultation,
    complete_consultation_refusal,
    plan_consultation,
    record_consultation,
    record_consultation_refusal,
    start_consultation,
    start_consultation_refusal,
)
from .decisions import (
    ALTERNATIVES_NEEDED,
    KEEP,
    REASONS_NEEDED,
    check_decision,
    correct_decision,
    correct_decision_refusal,
    decision_day_refusal,
    decision_problems,
    record_decision,
    record_decision_refusal,
)
from .lifecycle import (
    end_review,
    end_review_refusal,
    is_review_due,
    refresh_of,
    review_date_problem,
    set_review_date,
    set_review_date_refusal,
    start_delivery,
    start_delivery_refusal,
    start_refresh,
    start_refresh_refusal,
    start_review,
    start_review_refusal,
    supersede_replaced,
)
from .meetings import (
    add_to_agenda_refusal,
    agenda_references_refusal,
    cancel_from_committee_system,
    edit_meeting_refusal,
    has_begun,
    mark_meeting,
    mark_meeting_refusal,
    meeting_fields_fixed,
    meeting_problems,
    publish_agenda,
    publish_agenda_refusal,
    schedule_gate,
    schedule_gate_refusal,
    set_agenda_references,
)
from .planning import (
    PlanChanged,
    add_gate,
    add_gate_refusal,
    plan_of,
    remove_gate,
    remove_gate_refusal,
    replan_gate,
    replan_gate_refusal,
    resubmit,
    resubmit_refusal,
    set_waits_for,
    set_waits_for_refusal,
)
from .route_templates import (
    AppliedRoute,
    apply_route,
    apply_route_refusal,
    circle_message,
    steps_in_circle,
)
from .scrutiny import (
    COMMENTING,
    executive_response_refusal,
    gate_state_label,
    outcome_refusal,
    outcomes_offered,
    record_executive_response,
    responder_refusal,
    responding_bodies,
    response_problems,
    response_to,
    settling_outcomes,
)
from .strategy import (
    adopting_decisions,
    open_revision,
    open_revision_refusal,
    publication_refusal,
    publish,
    withdraw,
    withdraw_refusal,
)

__all__ = [
    "end_review",
    "end_review_refusal",
    "is_review_due",
    "refresh_of",
    "review_date_problem",
    "set_review_date",
    "set_review_date_refusal",
    "start_delivery",
    "start_delivery_refusal",
    "start_refresh",
    "start_refresh_refusal",
    "start_review",
    "start_review_refusal",
    "supersede_replaced",
    "ALTERNATIVES_NEEDED",
    "approved_parts_problems",
    "parts_since",
    "priorities_numbered",
    "standing_parts",
    "COMMENTING",
    "KEEP",
    "REASONS_NEEDED",
    "Outcome",
    "PlanChanged",
    "Stage",
    "WorkflowError",
    "active_refusal",
    "add_gate",
    "add_gate_refusal",
    "add_to_agenda_refusal",
    "cancel_from_committee_system",
    "agenda_references_refusal",
    "adopting_decisions",
    "AppliedRoute",
    "apply_route",
    "apply_route_refusal",
    "circle_message",
    "steps_in_circle",
    "check_decision",
    "complete_consultation",
    "complete_consultation_refusal",
    "correct_decision",
    "correct_decision_refusal",
    "decision_day_refusal",
    "decision_hash",
    "decision_problems",
    "derive_stage",
    "edit_meeting_refusal",
    "has_begun",
    "is_planner_of",
    "is_secretary_of",
    "lock_strategy",
    "mark_meeting",
    "mark_meeting_refusal",
    "meeting_fields_fixed",
    "meeting_problems",
    "name_gates",
    "open_revision",
    "open_revision_refusal",
    "plan_consultation",
    "plan_of",
    "planner_refusal",
    "publication_refusal",
    "publish",
    "publish_agenda",
    "publish_agenda_refusal",
    "record_call_in",
    "record_call_in_outcome",
    "record_call_in_outcome_refusal",
    "record_call_in_refusal",
    "record_consultation",
    "record_consultation_refusal",
    "record_decision",
    "record_decision_refusal",
    "refuse_if",
    "remove_gate",
    "remove_gate_refusal",
    "replan_gate",
    "replan_gate_refusal",
    "resubmit",
    "resubmit_refusal",
    "schedule_gate",
    "schedule_gate_refusal",
    "secretary_refusal",
    "set_agenda_references",
    "set_waits_for",
    "set_waits_for_refusal",
    "start_consultation",
    "start_consultation_refusal",
    "withdraw",
    "withdraw_refusal",
    "executive_response_refusal",
    "gate_state_label",
    "outcome_refusal",
    "outcomes_offered",
    "record_executive_response",
    "responder_refusal",
    "responding_bodies",
    "response_problems",
    "response_to",
    "settling_outcomes",
]
