from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from strategies.models import OutcomeIndicator, Priority, Revision, Strategy, User
from strategies.revisions import take_revision
from tests.factories import StrategyFactory, add_priority


def raises_integrity(fn) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_a_period_must_end_after_it_starts(lead_org):
    raises_integrity(
        lambda: StrategyFactory(lead_organisation=lead_org, start_year=2017, end_year=2017)
    )


def test_a_strategy_cannot_replace_itself(strategy):
    strategy.replaces = strategy
    raises_integrity(strategy.save)


def test_two_priorities_cannot_share_a_place(strategy):
    add_priority(strategy, "First")
    raises_integrity(lambda: Priority.objects.create(strategy=strategy, position=1, title="Clash"))


def test_places_start_at_one(strategy):
    raises_integrity(lambda: Priority.objects.create(strategy=strategy, position=0, title="Zero"))


def test_a_latest_indicator_value_needs_its_date(strategy):
    raises_integrity(
        lambda: OutcomeIndicator.objects.create(
            strategy=strategy,
            position=1,
            framework="phof",
            title="Smoking prevalence",
            latest_value=Decimal("14.2"),
        )
    )


def test_staff_need_an_organisation_but_administrators_do_not(db):
    raises_integrity(lambda: User.objects.create(username="x", role=User.Role.OFFICER))
    User.objects.create(username="root", role=User.Role.ADMINISTRATOR)


def test_a_revision_cannot_be_changed_once_taken(strategy):
    revision = take_revision(strategy, "Draft")
    revision.label = "Rewritten"
    with pytest.raises(ValueError, match="never changed"):
        revision.save()
    assert Revision.objects.get(pk=revision.pk).label == "Draft"


def test_top_level_word_follows_the_strategy(strategy):
    assert strategy.top_level_label_plural == "Priorities"
    strategy.top_level_term = Strategy.TopLevelTerm.GOAL
    assert strategy.top_level_label_plural == "Goals"


def test_each_top_level_word_has_its_plural_spelt_out():
    """Not made by adding letters ("Prioritys"): a new word fails here until it has one."""
    plurals = {term.value: term.plural_label for term in Strategy.TopLevelTerm}
    assert plurals == {"priority": "Priorities", "goal": "Goals", "outcome": "Outcomes"}


def test_a_revisions_word_reads_as_its_plural_as_stored_or_as_labelled():
    plural_of = Strategy.TopLevelTerm.plural_of
    assert [plural_of("priority"), plural_of("Priority"), plural_of("Outcome")] == [
        "Priorities",
        "Priorities",
        "Outcomes",
    ]
    assert plural_of("Ambition") == "Ambition"  # not a choice: as it is, never misspelt


@pytest.mark.parametrize(
    ("stage", "editable"),
    [
        (Strategy.Stage.DRAFT, True),
        (Strategy.Stage.IN_GOVERNANCE, True),
        (Strategy.Stage.APPROVED, True),  # closed by the workflow's lock, not the stage
        (Strategy.Stage.ADOPTED, False),
        (Strategy.Stage.SUPERSEDED, False),
        (Strategy.Stage.WITHDRAWN, False),
    ],
)
def test_content_is_editable_only_in_open_stages(strategy, stage, editable):
    strategy.stage = stage
    assert strategy.is_content_editable is editable


def test_the_public_page_and_the_strategies_an_organisation_works_on(lead_org, other_org):
    from strategies.models import StrategyPartner
    from strategies.publication import published_strategies
    from tests.factories import StrategyFactory

    led = StrategyFactory(lead_organisation=lead_org, title="Led")
    partnered = StrategyFactory(lead_organisation=other_org, title="Partnered")
    StrategyPartner.objects.create(strategy=partnered, organisation=lead_org)
    StrategyFactory(lead_organisation=other_org, title="Elsewhere")
    for found in [
        Strategy.objects.involving(organisation_id=lead_org.pk),
        Strategy.objects.involving(organisation__slug=lead_org.slug),
    ]:
        assert sorted(s.title for s in found) == ["Led", "Partnered"]

    for stage in Strategy.Stage.values:
        led.stage = stage
        led.save()
        shown = stage in {"published", "in_delivery"}
        assert led.has_public_page is shown
        assert published_strategies().filter(pk=led.pk).exists() is shown
