"""Scrutiny and comment: what a scrutiny committee (or a body asked for its comments before
another decides) gives, and the executive's later response to it.

Comments and recommendations are recorded as such (Decision.Outcome.COMMENTS, RECOMMENDATIONS).
They settle the gate without approving anything: record_decision moves the gate to PASSED, so
that a gate waiting for it may proceed (the route saying the comments come first) and it never
holds up adoption, while every page names it "Comments made" or "Recommendations made"
(gate_state_label), never "Passed". Neither outcome is in Outcome.passing(), so neither counts
as an approval, an adoption or a decision subject to call-in.

The executive's response (ExecutiveResponse) is recorded later, once for the comments or
recommendations of a gate, by record_executive_response; its check says who may and when.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from strategies.models import User

from ..dates import Precision
from ..models import Body, Decision, ExecutiveResponse, Gate, Purpose
from .common import (
    Outcome,
    WorkflowError,
    active_refusal,
    is_secretary_of,
    lock_strategy,
    record_transition,
    refuse_if,
)
from .records import record_problems

COMMENTING = frozenset({Outcome.COMMENTS, Outcome.RECOMMENDATIONS})
# Purposes whose body is asked for what it thinks, not to approve: they may give comments.
ASKED_FOR_COMMENTS = frozenset({Purpose.SCRUTINISE, Purpose.COMMENT})
# What a body asked only for its comments may record (a body may always put an item off).
COMMENT_OUTCOMES = [Outcome.COMMENTS, Outcome.RECOMMENDATIONS, Outcome.NOTED, Outcome.DEFERRED]


def settling_outcomes() -> set[str]:
    """Outcomes that settle the gate (it moves to PASSED): those that pass it, and comments or
    recommendations, which settle it without approving."""
    return Outcome.passing() | COMMENTING


# What each purpose may record ------------------------------------------------------------------


def outcomes_offered(gate: Gate) -> list[str]:
    """The outcomes a decision at `gate` may record, in the order the form offers them."""
    if gate.purpose == Purpose.COMMENT:
        return list(COMMENT_OUTCOMES)
    if gate.purpose in ASKED_FOR_COMMENTS:
        return list(Outcome.values)
    return [value for value in Outcome.values if value not in COMMENTING]


def outcome_refusal(gate: Gate, outcome: str) -> str | None:
    """Why a decision at `gate` cannot record `outcome`, or None. record_decision asks it, so
    the browser's form, the admin action and every other door keep it."""
    if outcome not in Outcome.values or outcome in outcomes_offered(gate):
        return None
    label = Outcome(outcome).label
    if outcome in COMMENTING:
        return (
            f"“{label}” is what scrutiny, or a body asked for its comments, records; the "
            f"{gate.body} is asked to {gate.get_purpose_display().lower()}."
        )
    return (
        f"The {gate.body} is asked for its comments before another body decides: record its "
        f"comments or recommendations, that it noted the strategy, or a deferral, not "
        f"“{label}”."
    )


def gate_state_label(gate: Gate, decision: Decision | None) -> str:
    """How a gate's state is named on the route and in the CSV: "Comments made" or
    "Recommendations made" for a gate settled by them, rather than "Passed"."""
    if gate.state == Gate.State.PASSED and decision is not None and decision.outcome in COMMENTING:
        return decision.get_outcome_display()
    return gate.state_label


# The executive's response ----------------------------------------------------------------------


def original_of(decision: Decision) -> Decision:
    """The decision a chain of corrections starts from: the response is recorded against it."""
    while decision.corrects_id:
        decision = decision.corrects
    return decision


def response_to(decision: Decision) -> ExecutiveResponse | None:
    """The executive's response to the comments or recommendations at `decision`'s gate (to
    the decision or any correction of it), or None."""
    return (
        ExecutiveResponse.objects.filter(decision__gate_id=decision.gate_id)
        .select_related("body", "recorded_by")
        .first()
    )


def responding_bodies(decision: Decision):
    """The bodies that may respond: the executive bodies of the scrutiny body's organisation."""
    return Body.objects.filter(
        organisation_id=decision.gate.body.organisation_id, is_executive=True
    ).select_related("organisation")


def executive_response_refusal(user: User, decision: Decision) -> str | None:
    """Why `user` may not record the executive's response to `decision` now, or None. Only
    comments or recommendations get one, once; a secretary of the scrutiny body or of an
    executive body of its organisation records it (or an administrator). Nothing is recorded
    on the route of a withdrawn or superseded strategy."""
    if refusal := active_refusal(decision.gate.strategy):
        return refusal
    if decision.outcome not in COMMENTING:
        return "Only comments or recommendations get a response from the executive."
    if response_to(decision) is not None:
        return "The executive's response to these has already been recorded."
    scrutiny = decision.gate.body
    if not (
        is_secretary_of(user, scrutiny)
        or any(is_secretary_of(user, body) for body in responding_bodies(decision))
    ):
        return (
            f"Only a secretary of the {scrutiny} or of the executive that responds (or an "
            f"administrator) can record the executive's response."
        )
    return None


def responder_refusal(user: User, decision: Decision, body: Body) -> str | None:
    """Why `user` may not record `body`'s response to `decision`, or None: the body is an
    executive body of the scrutiny body's organisation, and the user keeps either body's
    business."""
    scrutiny = decision.gate.body
    if not body.is_executive or body.organisation_id != scrutiny.organisation_id:
        return f"The response comes from an executive body of {scrutiny.organisation}."
    if not (is_secretary_of(user, body) or is_secretary_of(user, scrutiny)):
        return f"Only a secretary of the {body} or of the {scrutiny} can record this response."
    return None


def response_problems(
    decision: Decision,
    responded_on: datetime.date | None,
    response: str,
    recorded_later: bool = False,
    recorded_from: str = "",
) -> list[WorkflowError]:
    """Every rule the response's record breaks, each for its field: the form shows them all."""
    problems = [
        WorkflowError(p.message.replace("decision", "response"), field=p.field)
        for p in record_problems(Precision.DAY, recorded_later, recorded_from)
    ]
    if not response.strip():
        problems.append(WorkflowError("Give the response as minuted.", field="response"))
    if responded_on is None:
        pass
    elif responded_on > timezone.localdate():
        problems.append(
            WorkflowError("Record the response once it has been given.", field="responded_on")
        )
    elif responded_on < decision.decided_on:
        problems.append(
            WorkflowError(
                f"The response cannot come before the {decision.gate.body}'s "
                f"{decision.get_outcome_display().lower()} {decision.decided_on_or_in}.",
                field="responded_on",
            )
        )
    return problems


def record_executive_response(
    decision: Decision,
    by: User,
    body: Body,
    responded_on: datetime.date,
    response: str,
    minute_reference: str = "",
    recorded_later: bool = False,
    recorded_from: str = "",
) -> ExecutiveResponse:
    """Record `body`'s response to the comments or recommendations of `decision`."""
    with transaction.atomic():
        strategy = lock_strategy(decision.gate.strategy)
        decision = Decision.objects.select_related("gate__body__organisation", "corrects").get(
            pk=decision.pk
        )
        decision.gate.strategy = strategy  # the locked row, for the check
        refuse_if(executive_response_refusal(by, decision))
        refuse_if(responder_refusal(by, decision, body), field="body")
        if problems := response_problems(
            decision, responded_on, response, recorded_later, recorded_from
        ):
            raise problems[0]
        scrutiny = decision.gate.body
        said = decision.get_outcome_display().lower().split()[0]  # comments, recommendations
        comment = f"{body} responded to the {scrutiny}'s {said} on {responded_on:%d %b %Y}"
        answer = ExecutiveResponse(
            decision=original_of(decision),
            body=body,
            responded_on=responded_on,
            response=response.strip(),
            minute_reference=minute_reference.strip(),
            recorded_later=recorded_later,
            recorded_from=recorded_from.strip() if recorded_later else "",
            recorded_by=by,
            recorded_at=timezone.now(),
        )
        answer._change_reason = comment
        answer.save()
        gate = decision.gate
        record_transition(strategy, gate, gate.state, gate.state, by, comment)
        return answer
