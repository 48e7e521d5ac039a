"""What every move of the workflow shares.

The refusal (WorkflowError) and `refuse_if`, which raises a check's sentence; who may plan a
strategy's route and who keeps a body's business, each as a check that says why not (or None);
that a closed route moves no more; the sentence for papers with a body; locking the strategy
row; recording a Transition; and settling the strategy's stage and editing lock from its gates.
"""

from __future__ import annotations

from django.utils import timezone

from strategies.models import Strategy, User

from ..models import Body, Decision, Gate, Purpose, Transition

Stage = Strategy.Stage
Outcome = Decision.Outcome


class WorkflowError(Exception):
    """A refused move; the message is for the person who tried it, and `field` names the form
    field it belongs beside, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def refuse_if(refusal: str | None, field: str | None = None) -> None:
    """Raise the refusal a move's check gave, if it gave one: each move calls its check this
    way, so the rule a page asks before offering the move is the rule the move keeps."""
    if refusal:
        raise WorkflowError(refusal, field=field)


# Who may do what -------------------------------------------------------------------------------


def is_secretary_of(user: User, body: Body) -> bool:
    """An administrator, or a secretary serving `body`. Reads the body's secretaries as
    prefetched, if they are (the route page does, so that it asks once for all its gates)."""
    if user.is_administrator:
        return True
    return user.role == User.Role.SECRETARY and any(
        link.user_id == user.pk for link in body.secretary_links.all()
    )


def secretary_refusal(user: User, body: Body) -> str | None:
    if not is_secretary_of(user, body):
        return f"Only a secretary of the {body} (or an administrator) can do this."
    return None


def active_refusal(strategy: Strategy) -> str | None:
    """Nothing moves on the route of a withdrawn or superseded strategy."""
    if strategy.route_is_closed:
        return f"This strategy is {strategy.get_stage_display().lower()}; its route is closed."
    return None


def is_planner_of(user: User, strategy: Strategy) -> bool:
    """An administrator, or an officer of the strategy's lead organisation: who plans its route,
    moves it as a whole and publishes it."""
    return user.is_administrator or strategy.is_lead_officer(user)


def planner_refusal(user: User, strategy: Strategy) -> str | None:
    """Officers of the lead organisation plan their strategy's route; administrators may too.
    Every move of a planner asks this first."""
    if refusal := active_refusal(strategy):
        return refusal
    if is_planner_of(user, strategy):
        return None
    return "Only officers of the lead organisation can plan this strategy's route."


def name_gates(gates: list[Gate]) -> str:
    """Gates by body, purpose and state, as refusals and warnings name them."""
    return "; ".join(f"{g} ({g.get_state_display().lower()})" for g in gates)


def papers_out(gate: Gate, what: str) -> str:
    """Why `what` (the strategy's text, the gate's committee report) stays as it is: the papers
    for the gate's meeting have been published and its body has not yet decided."""
    return (
        f"the papers for the {gate.body} meeting of {gate.when} have been published, so {what} "
        f"stays as sent until the {gate.body} decides."
    )


# Shared steps ----------------------------------------------------------------------------------


def lock_strategy(strategy: Strategy) -> Strategy:
    """The strategy as it is now, its row locked until the move's transaction ends: two moves
    of one strategy take turns."""
    return Strategy.objects.select_for_update().get(pk=strategy.pk)


def record_transition(
    strategy: Strategy, gate: Gate | None, old: str, new: str, by, comment: str
) -> None:
    Transition.objects.create(
        strategy=strategy,
        gate=gate,
        from_state=old,
        to_state=new,
        by=by if by is not None and by.is_authenticated else None,
        at=timezone.now(),
        comment=comment[:500],
    )


def move_gate(gate: Gate, to: str, by, comment: str, **changes) -> None:
    """Save the gate in state `to` (with any other `changes`) and record the move."""
    old = gate.state
    gate.state = to
    for field, value in changes.items():
        setattr(gate, field, value)
    gate._change_reason = comment
    gate.save()
    if old != to:
        record_transition(gate.strategy, gate, old, to, by, comment)


def derive_stage(strategy: Strategy, gates: list[Gate]) -> str:
    """Where the strategy stands, from its gates (see docs/decisions/0004)."""
    if strategy.route_is_closed:
        return strategy.stage
    # A progress report's gate oversees delivery: it decides nothing about the text. Once the
    # strategy is adopted, neither does a gate that only notes it (a report taken to be noted).
    ignored = {Purpose.MONITOR}
    if strategy.stage in Stage.public_values():
        ignored.add(Purpose.NOTE)
    live = [g for g in gates if g.state != Gate.State.REMOVED and g.purpose not in ignored]
    if not live and strategy.stage in Stage.public_values() | {Stage.UNDER_REVIEW}:
        # Adopted with no route on record (brought in part-way, or the demo's): a gate that
        # monitors its delivery, or none, leaves it where it is.
        return strategy.stage
    if any(g.state == Gate.State.REJECTED for g in live):
        return Stage.WITHDRAWN
    if any(g.state == Gate.State.REFERRED_BACK for g in live):
        return Stage.DRAFT
    passed = [g for g in live if g.state == Gate.State.PASSED]
    if live and len(passed) == len(live) and any(g.purpose in Purpose.adopting() for g in passed):
        return Stage.ADOPTED
    if any(g.purpose in Purpose.final_approvals() for g in passed):
        return Stage.APPROVED
    if any(g.purpose == Purpose.CONSULT and g.state == Gate.State.SCHEDULED for g in live):
        return Stage.OUT_TO_CONSULTATION
    if passed or any(g.state == Gate.State.SCHEDULED for g in live):
        return Stage.IN_GOVERNANCE
    return Stage.DRAFT


def settle(strategy: Strategy, by, comment: str, after_decision: bool = False) -> None:
    """Bring the strategy's stage and editing lock in line with its gates."""
    gates = list(strategy.gates.select_related("body", "meeting"))
    stage = derive_stage(strategy, gates)
    if strategy.stage == Stage.UNDER_REVIEW and not after_decision:
        stage = Stage.UNDER_REVIEW  # a revision opened after approval stays open until decided
    if strategy.stage in Stage.published_values() and stage not in {
        Stage.DRAFT,
        Stage.WITHDRAWN,
    }:
        # Published text is left by opening a new revision (or a refusal), not by a gate added
        # afterwards, such as scrutiny noting the strategy.
        stage = strategy.stage
    with_papers = [g for g in gates if g.is_open and g.papers_revision_id]
    if with_papers:
        lock = papers_out(with_papers[0], "the text")
    elif stage == Stage.APPROVED and strategy.editing_closed_reason.startswith("the papers"):
        lock = "the text has been approved as final. Open a new revision to change it."
    elif stage == Stage.APPROVED:
        lock = strategy.editing_closed_reason
    else:
        lock = ""
    changed = []
    if stage != strategy.stage:
        record_transition(strategy, None, strategy.stage, stage, by, comment)
        strategy.stage = stage
        changed.append("stage")
        if stage == Stage.ADOPTED:  # a refresh adopted: the strategy it replaces is superseded
            from .lifecycle import supersede_replaced

            supersede_replaced(strategy, by, comment)
    if lock != strategy.editing_closed_reason:
        strategy.editing_closed_reason = lock
        changed.append("editing_closed_reason")
    if changed:
        strategy._change_reason = comment
        strategy.save(update_fields=changed)
