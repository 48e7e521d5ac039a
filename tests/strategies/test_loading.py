"""A strategy's content loaded for its page (strategies/loading.py): the same as prefetching
gives (`with_content`), in as many queries, and nothing read again while it is shown."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategies.loading import load_content
from strategies.models import Strategy, StrategyPartner
from tests.factories import OrganisationFactory, StrategyFactory, add_priority, full_strategy

pytestmark = pytest.mark.django_db


def walk(strategy: Strategy) -> list:
    """Everything the content tab shows, in its order, by primary key and title."""
    return [
        [(p.organisation.name, p.joint_lead) for p in strategy.partner_links.all()],
        [
            (
                priority.pk,
                priority.strategy.pk,
                [
                    (
                        objective.pk,
                        objective.priority.pk,
                        [
                            (action.title, action.objective.pk, action.lead_organisation.name)
                            for action in objective.actions.all()
                        ],
                    )
                    for objective in priority.objectives.all()
                ],
            )
            for priority in strategy.priorities.all()
        ],
        [
            (indicator.title, [o.title for o in indicator.objectives.all()])
            for indicator in strategy.indicators.all()
        ],
        [evidence.title for evidence in strategy.evidence.all()],
    ]


def test_the_content_loaded_is_what_prefetching_gives_and_is_read_once(lead_org):
    strategy = full_strategy(lead_org, priorities=3)
    StrategyPartner.objects.create(strategy=strategy, organisation=OrganisationFactory())
    # Another strategy's content is not mixed in.
    full_strategy(lead_org, priorities=2)
    expected = walk(Strategy.objects.with_content().get(pk=strategy.pk))
    loaded = Strategy.objects.get(pk=strategy.pk)
    with CaptureQueriesContext(connection) as reading:
        load_content(loaded)
    with CaptureQueriesContext(connection) as showing:
        assert walk(loaded) == expected
    assert len(reading) == 7  # as with_content's prefetching
    assert not showing


def test_a_strategy_without_content_reads_no_items_under_none(lead_org):
    empty = StrategyFactory(lead_organisation=lead_org)
    with CaptureQueriesContext(connection) as reading:
        load_content(empty)
    assert len(reading) == 4  # partners, priorities, indicators, evidence
    assert walk(empty) == [[], [], [], []]
    add_priority(empty, "Only a priority")
    loaded = load_content(Strategy.objects.get(pk=empty.pk))
    assert [(p.title, list(p.objectives.all())) for p in loaded.priorities.all()] == [
        ("Only a priority", [])
    ]
