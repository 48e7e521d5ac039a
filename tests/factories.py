"""Test data built in code. Content items go through strategies.editing, as the app's do."""

from __future__ import annotations

import factory

from strategies import editing
from strategies.models import (
    Action,
    EvidenceSource,
    Objective,
    Organisation,
    OutcomeIndicator,
    Priority,
    Strategy,
    User,
)

PASSWORD = "a-test-password-1"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    slug = factory.Sequence(lambda n: f"borough-{n}")
    kind = Organisation.Kind.COUNCIL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Tester"
    organisation = factory.SubFactory(OrganisationFactory)
    role = User.Role.OFFICER

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    title = factory.Sequence(lambda n: f"Health and Wellbeing Strategy {n}")
    slug = factory.Sequence(lambda n: f"strategy-{n}")
    start_year = 2017
    end_year = 2022
    lead_organisation = factory.SubFactory(OrganisationFactory)
    vision = "Healthier lives for everyone."
    stage = Strategy.Stage.DRAFT


def add_priority(strategy: Strategy, title: str = "Improve wellbeing", **kw) -> Priority:
    return editing.add_item(Priority(strategy=strategy, title=title, **kw))


def add_objective(priority: Priority, title: str = "Healthier lifestyles", **kw) -> Objective:
    return editing.add_item(Objective(priority=priority, title=title, **kw))


def add_action(objective: Objective, title: str = "Run a campaign", **kw) -> Action:
    return editing.add_item(Action(objective=objective, title=title, **kw))


def add_indicator(
    strategy: Strategy, title: str = "Healthy life expectancy", **kw
) -> OutcomeIndicator:
    kw.setdefault("framework", OutcomeIndicator.Framework.PHOF)
    return editing.add_item(OutcomeIndicator(strategy=strategy, title=title, **kw))


def add_evidence(strategy: Strategy, title: str = "JSNA", **kw) -> EvidenceSource:
    kw.setdefault("kind", EvidenceSource.Kind.JSNA)
    return editing.add_item(EvidenceSource(strategy=strategy, title=title, **kw))


def full_strategy(lead: Organisation, priorities: int = 2, **kw) -> Strategy:
    """A strategy with content at every level, `priorities` wide."""
    strategy = StrategyFactory(lead_organisation=lead, **kw)
    for p in range(priorities):
        priority = add_priority(strategy, f"Priority {p + 1}")
        for o in range(2):
            objective = add_objective(priority, f"Objective {p + 1}.{o + 1}")
            add_action(objective, f"Action {p + 1}.{o + 1}", lead_organisation=lead)
        add_indicator(strategy, f"Indicator {p + 1}").objective_links.create(objective=objective)
        add_evidence(strategy, f"Evidence {p + 1}")
    return strategy
