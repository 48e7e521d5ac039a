"""The dashboard's delivery lists: actions off track, overdue actions and milestones, indicators
getting worse, progress reports due; who sees them, where they link, their caps, and a query
count that stays the same as strategies, actions and values grow."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delivery import watch
from delivery.models import IndicatorValue, Milestone, ProgressReport
from strategies.models import Strategy
from tests.factories import StrategyFactory, add_action, add_indicator, add_objective, add_priority
from tests.ladder import client_for

Stage = Strategy.Stage
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def delivering(lead, title="Strategy in delivery", stage=Stage.IN_DELIVERY) -> Strategy:
    # The stage the lifecycle would have reached (its moves are tested in tests/governance).
    return StrategyFactory(lead_organisation=lead, title=title, stage=stage)


def objective_of(strategy):
    return add_objective(add_priority(strategy, "Live well"), "Move more")


def values(indicator, figures, intervals=None) -> None:
    """Yearly values ending last year, oldest first."""
    first = TODAY.year - len(figures)
    for n, figure in enumerate(figures):
        year = first + n
        low, high = (intervals or {}).get(n, (None, None))
        IndicatorValue.objects.create(
            indicator=indicator, period=str(year), period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31), value=Decimal(figure),
            lower_ci=low, upper_ci=high, source="test",
        )  # fmt: skip


def worse_indicator(strategy, title="Physically active adults", **kw):
    indicator = add_indicator(strategy, title, polarity="higher", **kw)
    values(indicator, ["55", "54"])
    return indicator


@pytest.fixture
def plan(lead_org):
    """A strategy in delivery with one of everything the lists show, and what they must not."""
    strategy = delivering(lead_org)
    objective = objective_of(strategy)
    red = add_action(objective, "Free swimming", rag="red", status="delayed", due_date=days(-10))
    add_action(objective, "Health checks", rag="green", status="in_progress", due_date=days(30))
    add_action(objective, "Done late", rag="green", status="complete", due_date=days(-30))
    Milestone.objects.create(action=red, title="Evaluation reported", due_on=days(-3))
    Milestone.objects.create(
        action=red, title="Scheme open", due_on=days(-40), completed_on=days(-41)
    )
    worse = worse_indicator(strategy)
    better = add_indicator(strategy, "Smoking prevalence", polarity="lower")
    values(better, ["20", "18"])
    similar = add_indicator(strategy, "Early deaths", polarity="lower")
    values(similar, ["80", "81"], {0: (Decimal(75), Decimal(85)), 1: (Decimal(76), Decimal(86))})
    unjudged = add_indicator(strategy, "Population", polarity="neither")
    values(unjudged, ["100", "90"])
    return {"strategy": strategy, "red": red, "worse": worse}


def test_each_list_shows_what_needs_acting_on_and_links_to_where(manager, plan):
    page = client_for(manager).get("/").text
    strategy, red, worse = plan["strategy"], plan["red"], plan["worse"]
    action_url = reverse("delivery:action", kwargs={"slug": strategy.slug, "pk": red.pk})
    indicator_url = reverse("delivery:indicator", kwargs={"slug": strategy.slug, "pk": worse.pk})
    for heading in [
        "Actions off track", "Overdue actions", "Overdue milestones",
        "Indicators getting worse", "Progress reports due", "Reviews due now",
    ]:  # fmt: skip
        assert f">{heading}" in page
    assert "Red (off track)" in page  # the rating in words, not colour alone
    assert f'href="{action_url}">Free swimming' in page
    assert "10 days late" in page
    assert f'href="{action_url}#milestones-heading">Evaluation reported' in page
    assert "Scheme open" not in page  # completed
    assert "Health checks" not in page and "Done late" not in page
    assert f'href="{indicator_url}"' in page and "Worse" in page
    for not_worse in ("Smoking prevalence", "Early deaths", "Population"):
        assert not_worse not in page  # better; within its intervals (similar); not judged
    plan_url = reverse("delivery:plan", kwargs={"slug": strategy.slug})
    assert f'href="{plan_url}">{strategy.title}' in page
    assert "no progress report sent yet" in page


def test_a_progress_report_sent_within_the_year_is_not_due(manager, plan):
    strategy = plan["strategy"]

    def report(sent_days_ago):
        ProgressReport.objects.create(
            strategy=strategy, title="Annual report", covers_from=days(-400), covers_to=days(-40),
            created_at=timezone.now(), sent_at=timezone.now() - datetime.timedelta(sent_days_ago),
        )  # fmt: skip

    report(400)
    assert list(watch.reports_due()) == [strategy]
    assert "Report due" in client_for(manager).get("/").text
    report(300)
    assert list(watch.reports_due()) == []
    assert "No progress report is due." in client_for(manager).get("/").text


def test_strategies_not_being_delivered_are_left_out(manager, lead_org):
    for stage in (Stage.DRAFT, Stage.PUBLISHED, Stage.SUPERSEDED, Stage.WITHDRAWN):
        strategy = delivering(lead_org, f"At {stage}", stage=stage)
        add_action(objective_of(strategy), f"Red at {stage}", rag="red", due_date=days(-5))
        worse_indicator(strategy, f"Worse at {stage}")
    under_review = delivering(lead_org, "Under review", stage=Stage.UNDER_REVIEW)
    add_action(objective_of(under_review), "Red under review", rag="red")
    page = client_for(manager).get("/").text
    assert "Red under review" in page  # delivery goes on while a strategy is reviewed
    assert "Red at" not in page and "Worse at" not in page


def test_officers_see_the_lists_of_strategies_they_read(officer, other_officer, plan):
    assert "Free swimming" in client_for(officer).get("/").text
    theirs = delivering(other_officer.organisation, "Their strategy")
    add_action(objective_of(theirs), "Their red action", rag="red")
    page = client_for(officer).get("/").text
    # the officer reads a strategy in delivery of another organisation only if it is public
    from strategies.access import visible_strategies

    readable = visible_strategies(officer).filter(pk=theirs.pk).exists()
    assert ("Their red action" in page) is readable


def build(lead, count: int) -> None:
    """`count` strategies in delivery, each with two red overdue actions, each with an overdue
    milestone, and an indicator getting worse with eight values."""
    start = Strategy.objects.filter(title__startswith="Delivered").count()
    for n in range(start, start + count):
        strategy = delivering(lead, f"Delivered {n}")
        objective = objective_of(strategy)
        for a in range(2):
            action = add_action(objective, f"Action {n}.{a}", rag="red", due_date=days(-a - 1))
            Milestone.objects.create(action=action, title=f"Step {n}.{a}", due_on=days(-2))
        indicator = add_indicator(strategy, f"Indicator {n}", polarity="lower")
        values(indicator, [str(v) for v in (9, 8, 7, 6, 5, 4, 3, 4)])


def queries_for(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").text
    return len(queries), page


def test_the_lists_cost_the_same_however_much_is_delivered(manager, lead_org):
    client = client_for(manager)
    build(lead_org, 2)
    few, _ = queries_for(client)
    build(lead_org, 13)
    many, page = queries_for(client)
    assert few == many
    assert "and 18 more" in page  # 30 actions and 30 milestones, capped at 12 rows
    assert "and 3 more" in page  # 15 indicators and 15 reports due
