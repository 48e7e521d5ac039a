"""The one door to strategies: every view gets its strategy through these helpers.

Reading: administrators and managers read everything; officers and secretaries read their own
organisation's strategies (as lead or partner) and any organisation's strategy once it is
adopted or later. Another organisation's draft answers 404, as if it did not exist.

Changing content: only officers of the lead organisation, and only while the stage allows it.
Managers change nothing; secretaries record decisions (governance), never content.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Strategy, User


def visible_strategies(user: User):
    return Strategy.objects.visible_to(user)


def get_visible_strategy(user: User, slug: str, queryset=None) -> Strategy:
    """The strategy at `slug` if `user` may read it (404 otherwise), with its lead organisation,
    which every strategy page's header names."""
    queryset = Strategy.objects.all() if queryset is None else queryset
    strategy = (
        queryset.visible_to(user).select_related("lead_organisation").filter(slug=slug).first()
    )
    if strategy is None:
        raise Http404("No strategy here, or not one you can see.")
    return strategy


def content_edit_refusal(user: User, strategy: Strategy) -> str | None:
    """Why `user` may not change `strategy`'s content now, or None if they may."""
    if not user.is_authenticated:
        return "Sign in to edit strategies."
    if not user.is_officer:
        return f"{user.get_role_display()}s cannot edit strategy content; officers do."
    if not strategy.is_lead_officer(user):
        return "Only officers of the lead organisations can edit this strategy."
    return strategy.content_closed_reason


def can_edit_content(user: User, strategy: Strategy) -> bool:
    return content_edit_refusal(user, strategy) is None


def get_editable_strategy(user: User, slug: str) -> Strategy:
    """The strategy if `user` may edit its content; 404 if they cannot see it, 403 with the
    reason if they can see it but not change it."""
    strategy = get_visible_strategy(user, slug)
    refusal = content_edit_refusal(user, strategy)
    if refusal:
        raise PermissionDenied(refusal)
    return strategy


def can_create_strategy(user: User) -> bool:
    return user.is_authenticated and user.is_officer and user.organisation_id is not None


def require_can_create_strategy(user: User) -> None:
    if not can_create_strategy(user):
        raise PermissionDenied("Only officers can start a new strategy.")


def can_export_personal_data(user: User) -> bool:
    """Respondents' personal data (who responded, their words before anonymising) leaves
    Waymark only in an administrator's export: the responses CSV, the strategy's JSON file and
    `export_strategy --include-personal-data` all ask here."""
    return user is not None and user.is_authenticated and user.is_administrator
