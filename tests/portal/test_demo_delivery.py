"""The demo's delivery: Dudley's 2012–2016 strategy taken through the lifecycle's moves into
delivery and under review (its refresh, the 2017–2022 strategy, still on its route), with a
made-up delivery plan and indicator series that say they are made up, and what the manager's
dashboard shows of them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from delivery import indicators, progress, watch
from delivery.models import IndicatorValue, Milestone, ProgressUpdate
from governance.models import Transition
from strategies.indicator_codes import known
from strategies.models import Action, OutcomeIndicator, Strategy
from tests.ladder import client_for

SLUG = "dudley-hws-2012-2016"


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    return Strategy.objects.get(slug=SLUG)


def test_the_strategy_a_draft_refresh_replaces_is_under_review_not_superseded(demo):
    assert demo.stage == Strategy.Stage.UNDER_REVIEW
    assert demo.replaced_by.get().slug == "dudley-hws-2017-2022"
    moves = list(
        Transition.objects.filter(strategy=demo, gate=None)
        .order_by("pk")
        .values_list("from_state", "to_state")
    )
    assert moves == [
        ("adopted", "published"),
        ("published", "in_delivery"),
        ("in_delivery", "under_review"),
    ]
    assert all(t.by.username == "officer" for t in Transition.objects.filter(strategy=demo))
    assert demo.published_on is not None and demo.review_due_on is not None
    assert demo.revisions.filter(label__startswith="Before review").exists()


def test_the_plan_is_made_up_and_says_so(demo):
    actions = Action.objects.filter(objective__priority__strategy=demo)
    titles = [
        *demo.priorities.values_list("title", flat=True),
        *actions.values_list("title", flat=True),
        *Milestone.objects.filter(action__in=actions).values_list("title", flat=True),
        *demo.indicators.values_list("title", flat=True),
    ]
    assert titles and all(t.startswith("Demo:") for t in titles)
    updates = ProgressUpdate.objects.filter(action__in=actions)
    assert all(u.commentary.startswith("Demo:") for u in updates)
    values = IndicatorValue.objects.filter(indicator__strategy=demo)
    assert all(v.source.startswith("Demo data: made up") for v in values)


def test_trends_some_better_some_worse_one_overdue_action_and_milestone(demo):
    plan = progress.delivery_plan(demo)
    rows = [a for p in plan.priorities for o in p.objectives for a in o.actions]
    assert len(rows) == 4 and all(len(row.updates) >= 3 for row in rows)
    trends = {row.action.title: row.trend.direction for row in rows}
    assert sorted(trends.values()) == ["same", "same", "same", "worse"]  # of the last two
    every = {
        row.action.title: [u.rag for u in reversed(progress.action_history(row.action).updates)]
        for row in rows
    }
    assert every["Demo: NHS Health Checks for adults aged 40 to 74"][:3] == [
        "red",
        "amber",
        "green",
    ]  # improving
    assert every["Demo: Referral of heart patients to cardiac rehabilitation"][-1] == "amber"
    assert plan.counts["Overdue actions"] == 1 and plan.counts["Overdue milestones"] == 1
    assert plan.counts["Off track"] == 1


def test_indicators_have_series_judged_in_their_polarity(demo):
    judged = {}
    for indicator in demo.indicators.all():
        assert known("phof", indicator.code) is not None
        assert indicator.polarity in ("higher", "lower")
        assert None not in (indicator.baseline, indicator.target, indicator.target_date)
        series = list(indicator.values.all())
        assert len(series) >= 8
        assert indicator.latest_value == series[-1].value  # follows the newest
        judged[indicator.code] = indicators.judge_latest(indicator, series)["since_previous"].word
    assert judged == {"2.14": "better", "2.13i": "worse", "4.04": "similar"}
    cvd = OutcomeIndicator.objects.get(strategy=demo, code="4.04")
    assert all(v.lower_ci is not None for v in cvd.values.all())


def test_loading_again_adds_nothing(demo, settings):
    def counted():
        return (
            ProgressUpdate.objects.count(),
            Milestone.objects.count(),
            IndicatorValue.objects.count(),
            Transition.objects.filter(strategy=demo).count(),
            Strategy.history.filter(slug=SLUG).count(),
        )

    before = counted()
    call_command("load_demo", stdout=StringIO())
    assert counted() == before


def test_the_manager_sees_the_demo_on_the_dashboard(demo, settings):
    from strategies.models import User

    page = client_for(User.objects.get(username="manager")).get("/").text
    red = watch.actions_off_track().get()
    assert red.title == "Demo: Free swimming and gym sessions for residents on low incomes"
    assert reverse("delivery:action", kwargs={"slug": SLUG, "pk": red.pk}) in page
    assert "Demo: Evaluation of take-up reported to the Board" in page
    assert "Demo: Percentage of physically active adults" in page
    assert "Demo: Smoking prevalence" not in page  # getting better
    assert reverse("delivery:plan", kwargs={"slug": SLUG}) in page  # no report sent yet
    assert (
        client_for(User.objects.get(username="manager"))
        .get(reverse("delivery:plan", kwargs={"slug": SLUG}))
        .status_code
        == 200
    )
