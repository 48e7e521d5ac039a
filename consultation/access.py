"""Who reaches consultation pages. The public pages need no account; the staff pages are for the
lead organisation's officers (who change things), managers and administrators (who read), and
the secretaries of the bodies on the strategy's route (who read the results, without
respondents' personal data: `shows_personal_details`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from governance.models import Gate
from strategies import access as strategy_access
from strategies.models import Strategy, User

from .models import ConsultationWindow
from .workflow import plan_refusal

READERS_ONLY = (
    "Consultation responses are read by the officers running the strategy, the secretaries of "
    "the bodies on its route, and managers."
)


def can_read(user: User, strategy: Strategy) -> bool:
    """Responses are private: only the officers of the organisations running the strategy (lead
    and partners) read them, with managers and administrators, and the secretaries of the bodies
    on its route, whose bodies weigh the results (one query, for secretaries only). Seeing an
    adopted strategy is not enough."""
    if user.reads_everything:
        return True
    if user.role == User.Role.SECRETARY:
        return Gate.objects.filter(strategy=strategy, body__secretary_links__user=user).exists()
    if not user.is_officer or user.organisation_id is None:
        return False
    return user.organisation_id == strategy.lead_organisation_id or any(
        link.organisation_id == user.organisation_id for link in strategy.partner_links.all()
    )


def readable_strategies(user: User):
    """`can_read` in the database, for a list of many strategies' consultations (the API's)
    read in one query: the strategies whose consultation responses `user` reads. The same rule
    as `can_read`, which a test holds them to for every kind of person."""
    strategies = Strategy.objects.all()
    if user.reads_everything:
        return strategies
    if user.role == User.Role.SECRETARY:
        gates = Gate.objects.filter(body__secretary_links__user=user)
        return strategies.filter(pk__in=gates.values("strategy_id"))
    if not user.is_officer or user.organisation_id is None:
        return strategies.none()
    return strategies.involving(organisation_id=user.organisation_id)


def shows_personal_details(user: User) -> bool:
    """Whether the staff pages show who responded (an organisation's name): to officers,
    managers and administrators, never to secretaries, who read the results as a committee
    would (the responses CSV and the JSON export keep their own, stricter rule:
    strategies.access.can_export_personal_data)."""
    return user.role != User.Role.SECRETARY


def can_manage(user: User, strategy: Strategy) -> bool:
    """Whether `user` runs `strategy`'s consultations (the workflow's `plan_refusal`)."""
    return plan_refusal(user, strategy) is None


def visible_window(user: User, pk: int) -> ConsultationWindow:
    """The window if `user` may see its strategy (404 if not), whether or not they may read its
    responses (`can_read`)."""
    window = get_object_or_404(
        ConsultationWindow.objects.select_related(
            "strategy", "gate", "revision"
        ).with_recording(),  # who recorded it after the fact, if it was, in the same query
        pk=pk,
    )
    strategy_access.get_visible_strategy(user, window.strategy.slug)
    return window


def get_window(user: User, pk: int, manage: bool = False) -> ConsultationWindow:
    """The window if `user` may read (or, with manage, change) it: 404 if they cannot see its
    strategy, 403 if they can see it but not this, with the reason (with manage, the workflow's
    own: the route is closed, or they do not plan it)."""
    window = visible_window(user, pk)
    if not can_read(user, window.strategy):
        raise PermissionDenied(READERS_ONLY)
    if manage and (refusal := plan_refusal(user, window.strategy)):
        raise PermissionDenied(refusal)
    return window
