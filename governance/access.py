"""Who reaches governance pages. Strategy lookups still go through strategies.access."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from strategies.models import User

from .models import Body, Gate, Meeting


def strategies_considered_by(user: User) -> Q | None:
    """Secretaries read the strategies that their bodies consider and, for a scrutiny
    committee, those on which an executive body of its organisation decides: its secretaries
    record the call-ins of those decisions and what came of them (workflow.call_ins, which
    lets a secretary of a scrutiny committee of the decision's organisation), so they reach the
    strategy, its route and its decisions, to read. Without this, a strategy led by another
    organisation was out of their sight while its call-in was theirs to record. (Their own
    organisation's strategies they read anyway: StrategyQuerySet.visible_to.)"""
    if user.role != User.Role.SECRETARY:
        return None
    scrutinised = Body.objects.filter(kind=Body.Kind.SCRUTINY, secretary_links__user=user).values(
        "organisation_id"
    )
    gates = Gate.objects.filter(
        Q(body__secretary_links__user=user)
        | Q(body__is_executive=True, body__organisation_id__in=scrutinised)
    )
    return Q(pk__in=gates.values("strategy_id"))


def bodies_served(user: User):
    if user.is_administrator:
        return Body.objects.select_related("organisation")
    return Body.objects.filter(secretary_links__user=user).select_related("organisation")


def gates_to_place(user: User):
    """Gates the user may put on a meeting: those a meeting decides, of a body they serve."""
    return Gate.objects.to_put_on_meetings().filter(body__in=bodies_served(user).values("pk"))


def keeps_meetings(user: User) -> bool:
    """Board secretaries (and administrators) keep meetings and record decisions."""
    return user.is_administrator or user.role == User.Role.SECRETARY


def can_see_meetings(user: User) -> bool:
    return user.reads_everything or keeps_meetings(user)


def visible_meetings(user: User):
    """Secretaries see their bodies' meetings; managers and administrators see all."""
    if not user.is_authenticated or not can_see_meetings(user):
        raise PermissionDenied("Meetings are kept by board secretaries.")
    meetings = Meeting.objects.select_related("body", "body__organisation")
    if user.reads_everything:
        return meetings
    return meetings.filter(body__secretary_links__user=user)


def get_meeting(user: User, pk: int) -> Meeting:
    return get_object_or_404(visible_meetings(user), pk=pk)


def require_secretary_role(user: User) -> None:
    if not keeps_meetings(user):
        raise PermissionDenied("Only board secretaries keep meetings and record decisions.")
