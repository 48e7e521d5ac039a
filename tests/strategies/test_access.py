from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from strategies import access
from strategies.models import Strategy
from tests.factories import StrategyFactory


@pytest.fixture
def strategies(lead_org, other_org):
    return {
        "own_draft": StrategyFactory(lead_organisation=lead_org),
        "other_draft": StrategyFactory(lead_organisation=other_org),
        "other_adopted": StrategyFactory(lead_organisation=other_org, stage=Strategy.Stage.ADOPTED),
        "partnered_draft": StrategyFactory(lead_organisation=other_org),
    }


def visible(user, strategies) -> set[str]:
    ids = set(access.visible_strategies(user).values_list("pk", flat=True))
    return {name for name, s in strategies.items() if s.pk in ids}


def test_officers_see_their_own_partnered_and_public_strategies(officer, strategies, lead_org):
    strategies["partnered_draft"].partner_links.create(organisation=lead_org)
    assert visible(officer, strategies) == {"own_draft", "other_adopted", "partnered_draft"}


def test_another_organisations_draft_is_invisible(other_officer, strategies):
    assert "own_draft" not in visible(other_officer, strategies)


def test_managers_and_administrators_see_everything(manager, administrator, strategies):
    assert visible(manager, strategies) == set(strategies)
    assert visible(administrator, strategies) == set(strategies)


def test_anonymous_users_see_nothing(strategies):
    assert visible(AnonymousUser(), strategies) == set()


def test_lookup_of_another_organisations_draft_is_404(other_officer, strategy):
    with pytest.raises(Http404):
        access.get_visible_strategy(other_officer, strategy.slug)


def test_only_lead_officers_may_edit(
    officer, secretary, manager, administrator, strategy, lead_org
):
    assert access.get_editable_strategy(officer, strategy.slug) == strategy
    for user in (secretary, manager, administrator):
        with pytest.raises(PermissionDenied):
            access.get_editable_strategy(user, strategy.slug)


def test_partner_officers_read_but_do_not_edit(other_officer, strategy, other_org):
    strategy.partner_links.create(organisation=other_org)
    assert access.get_visible_strategy(other_officer, strategy.slug) == strategy
    assert "lead organisation" in access.content_edit_refusal(other_officer, strategy)


def test_closed_stage_refusal_says_why(officer, strategy):
    strategy.stage = Strategy.Stage.ADOPTED
    strategy.save()
    refusal = access.content_edit_refusal(officer, strategy)
    assert "closed for editing" in refusal and "adopted" in refusal
