"""Demo: Dudley's 2012–2016 Health and Wellbeing Strategy in delivery, then under review while
its refresh (the 2017–2022 strategy of the seed report, still on its route) is written.

Why this strategy: it is the demo's one adopted strategy whose life after adoption the records
tell. The Dudley seed report says the refresh of the 2012–2016 strategy began in September 2016
and was still going to the Board's sign-off in December 2017; until a refresh is adopted the
strategy it replaces is still the one being delivered, and is under review, not superseded.
(Thurrock's and Bury's strategies are brought in from their public records and nothing else;
a made-up delivery plan would blur that.) The demo once wrote "superseded" straight into the
field; now the strategy is adopted (its route is not in the report), then published, moved into
delivery and put under review by the lifecycle's own moves (governance/workflow/lifecycle.py).

The report gives nothing of the strategy's content or delivery, and no published figures for
Dudley were found to cite, so everything here is made up and says so: every priority,
objective, action, milestone and indicator title starts "Demo:", every update's commentary
too, and every value's source is "Demo data: made up". The indicators use real codes of the
Public Health Outcomes Framework (strategies/data/phof_indicators.csv); their figures are not
Dudley's. The plan is dated within the strategy's years (2012–2016), so that its trends read as
a story: one action improving, two getting worse, one of them overdue and off track, one
milestone overdue; one indicator better, one worse, one worse but within its confidence
intervals ("similar").

Loaded again, it adds nothing: each step runs only while the strategy is where it left it (a
database loaded before this module, where the strategy was written as superseded, is left as
it is: load the demo into a fresh database to see it).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from delivery import indicators, plan
from delivery.models import Milestone, ProgressUpdate
from delivery.periods import parse_period
from governance.workflow import lifecycle
from governance.workflow.strategy import publish
from strategies import editing
from strategies.models import (
    Action,
    Objective,
    Organisation,
    OutcomeIndicator,
    Priority,
    Strategy,
    User,
)

SLUG = "dudley-hws-2012-2016"
REASON = "Demo data: a made-up delivery plan"
SOURCE = "Demo data: made up (not Dudley's published figures)"
Stage = Strategy.Stage
Status, Rag = Action.Status, Action.Rag
D = datetime.date

# priority > objective > actions: (title, lead team, due date, milestones, updates)
# milestones: (title, due, completed or None); updates: (as of, status, RAG, commentary)
PLAN = [
    (
        "Demo: Healthy lifestyles",
        [
            (
                "Demo: Fewer people smoke",
                [
                    (
                        "Demo: Stop smoking support offered in every GP practice",
                        "Public health",
                        D(2015, 3, 31),
                        [
                            ("Demo: Service specification agreed", D(2013, 6, 30), D(2013, 6, 14)),
                            ("Demo: Half of practices offering support", D(2014, 3, 31),
                             D(2014, 4, 10)),
                            ("Demo: Every practice offering support", D(2015, 3, 31),
                             D(2015, 3, 20)),
                        ],
                        [
                            (D(2013, 9, 30), Status.IN_PROGRESS, Rag.AMBER,
                             "Demo: 14 of 46 practices signed up; slower than planned."),
                            (D(2014, 3, 31), Status.IN_PROGRESS, Rag.GREEN,
                             "Demo: 25 practices offering support; back on plan."),
                            (D(2014, 9, 30), Status.IN_PROGRESS, Rag.GREEN,
                             "Demo: 38 practices offering support."),
                            (D(2015, 3, 31), Status.COMPLETE, Rag.GREEN,
                             "Demo: every practice offers support."),
                        ],
                    ),
                ],
            ),
            (
                "Demo: More adults physically active",
                [
                    (
                        "Demo: Free swimming and gym sessions for residents on low incomes",
                        "Leisure services",
                        D(2016, 3, 31),
                        [
                            ("Demo: Scheme open in all four leisure centres", D(2014, 4, 1),
                             D(2014, 5, 12)),
                            ("Demo: Evaluation of take-up reported to the Board", D(2016, 6, 30),
                             None),
                        ],
                        [
                            (D(2013, 12, 31), Status.IN_PROGRESS, Rag.GREEN,
                             "Demo: scheme designed; funding agreed."),
                            (D(2014, 12, 31), Status.IN_PROGRESS, Rag.AMBER,
                             "Demo: take-up at half the number planned."),
                            (D(2015, 9, 30), Status.DELAYED, Rag.RED,
                             "Demo: two centres closed for refurbishment; sessions cut."),
                            (D(2016, 3, 31), Status.DELAYED, Rag.RED,
                             "Demo: still below plan; the evaluation is postponed."),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "Demo: Healthy hearts",
        [
            (
                "Demo: Fewer early deaths from heart disease and stroke",
                [
                    (
                        "Demo: NHS Health Checks for adults aged 40 to 74",
                        "Public health",
                        None,  # ongoing
                        [
                            ("Demo: Health checks offered in community pharmacies",
                             D(2015, 1, 31), D(2015, 1, 20)),
                        ],
                        [
                            (D(2013, 3, 31), Status.IN_PROGRESS, Rag.RED,
                             "Demo: three in ten of those invited took up a check."),
                            (D(2014, 3, 31), Status.IN_PROGRESS, Rag.AMBER,
                             "Demo: four in ten took up a check."),
                            (D(2015, 3, 31), Status.IN_PROGRESS, Rag.GREEN,
                             "Demo: half took up a check, the national average."),
                            (D(2016, 3, 31), Status.IN_PROGRESS, Rag.GREEN,
                             "Demo: uptake held at half."),
                        ],
                    ),
                    (
                        "Demo: Referral of heart patients to cardiac rehabilitation",
                        "Dudley CCG commissioning",
                        None,  # ongoing
                        [],
                        [
                            (D(2014, 6, 30), Status.IN_PROGRESS, Rag.GREEN,
                             "Demo: referral pathway agreed with the hospital."),
                            (D(2015, 6, 30), Status.IN_PROGRESS, Rag.GREEN,
                             "Demo: seven in ten patients referred."),
                            (D(2016, 6, 30), Status.IN_PROGRESS, Rag.AMBER,
                             "Demo: referrals fell after a change of provider."),
                        ],
                    ),
                ],
            ),
        ],
    ),
]  # fmt: skip

# code, title, unit, polarity, baseline (value, date), target (value, date), objective, values
# values: (period, value, lower, upper) with the confidence interval where one is given.
P = OutcomeIndicator.Polarity
INDICATORS = [
    ("2.14", "Demo: Smoking prevalence in adults", "%", P.LOWER,
     ("22.0", D(2012, 12, 31)), ("17.0", D(2016, 12, 31)), "Demo: Fewer people smoke",
     [(str(y), v, None, None) for y, v in zip(range(2009, 2017),
      ["23.9", "23.1", "22.6", "22.0", "21.1", "19.8", "18.9", "18.2"], strict=True)]),
    ("2.13i", "Demo: Percentage of physically active adults", "%", P.HIGHER,
     ("53.0", D(2012, 12, 31)), ("58.0", D(2016, 12, 31)), "Demo: More adults physically active",
     [(str(y), v, None, None) for y, v in zip(range(2009, 2017),
      ["51.2", "52.0", "52.6", "53.0", "54.1", "55.0", "54.2", "52.8"], strict=True)]),
    ("4.04", "Demo: Under 75 mortality rate from all cardiovascular diseases", "per 100,000",
     P.LOWER, ("86.5", D(2011, 12, 31)), ("75.0", D(2016, 12, 31)),
     "Demo: Fewer early deaths from heart disease and stroke",
     [(f"{y} - {str(y + 2)[2:]}", v, lo, hi) for y, v, lo, hi in [
         (2006, "98.4", "92.1", "104.9"), (2007, "94.1", "87.9", "100.5"),
         (2008, "90.2", "84.1", "96.5"), (2009, "86.5", "80.6", "92.6"),
         (2010, "83.0", "77.2", "89.0"), (2011, "80.6", "74.9", "86.5"),
         (2012, "79.1", "73.5", "84.9"), (2013, "80.0", "74.4", "85.8")]]),
]  # fmt: skip


def _content(strategy: Strategy, council: Organisation) -> None:
    """The made-up plan's priorities, objectives, actions and indicators, added while the
    strategy is adopted, so that its published text has them."""
    objectives = {}
    for priority_title, objective_rows in PLAN:
        priority = editing.add_item(Priority(strategy=strategy, title=priority_title), REASON)
        for objective_title, actions in objective_rows:
            objective = editing.add_item(
                Objective(priority=priority, title=objective_title), REASON
            )
            objectives[objective_title] = objective
            for title, team, due, _milestones, _updates in actions:
                editing.add_item(
                    Action(
                        objective=objective,
                        title=title,
                        lead_organisation=council,
                        lead_team=team,
                        due_date=due,
                    ),
                    REASON,
                )
    for code, title, unit, polarity, baseline, target, objective, _values in INDICATORS:
        indicator = OutcomeIndicator(
            strategy=strategy,
            framework=OutcomeIndicator.Framework.PHOF,
            code=code,
            title=title,
            unit=unit,
            polarity=polarity,
            baseline=Decimal(baseline[0]),
            baseline_date=baseline[1],
            target=Decimal(target[0]),
            target_date=target[1],
        )
        try:
            indicator.clean()  # the code is on the shipped list
        except ValidationError as error:  # pragma: no cover - the list is shipped with us
            raise RuntimeError(f"Demo indicator {code}: {error}") from None
        editing.add_item(indicator, REASON)
        editing.set_indicator_objectives(indicator, [objectives[objective]], REASON)


def _delivery(strategy: Strategy, officer: User) -> None:
    """Milestones and progress updates of each action, and the indicators' values, through the
    delivery app's moves, as the officer would record them."""
    actions = {a.title: a for a in Action.objects.filter(objective__priority__strategy=strategy)}
    for _priority, objective_rows in PLAN:
        for _objective, rows in objective_rows:
            for title, _team, _due, milestones, updates in rows:
                action = actions[title]
                for name, due, done in milestones:
                    plan.save_milestone(
                        Milestone(action=action, title=name, due_on=due, completed_on=done),
                        officer,
                        REASON,
                    )
                for as_of, status, rag, commentary in updates:
                    plan.record_update(
                        ProgressUpdate(
                            action=action,
                            as_of=as_of,
                            status=status,
                            rag=rag,
                            commentary=commentary,
                        ),
                        officer,
                        REASON,
                    )
    by_code = {i.code: i for i in strategy.indicators.all()}
    for code, *_rest, values in INDICATORS:
        for period, value, lower, upper in values:
            start, end = parse_period(period)
            indicators.add_value(
                by_code[code],
                officer,
                REASON,
                period=period,
                period_start=start,
                period_end=end,
                value=Decimal(value),
                lower_ci=Decimal(lower) if lower else None,
                upper_ci=Decimal(upper) if upper else None,
                source=SOURCE,
            )


@transaction.atomic
def load(stdout=None) -> None:
    strategy = Strategy.objects.filter(slug=SLUG).first()
    if strategy is None or strategy.stage == Stage.SUPERSEDED:
        return  # not loaded, or loaded by an earlier demo that wrote it superseded
    officer = User.objects.get(username="officer")
    if strategy.stage == Stage.ADOPTED and not strategy.priorities.exists():
        _content(strategy, strategy.lead_organisation)
    if strategy.stage == Stage.ADOPTED:
        publish(strategy, officer)
        strategy.refresh_from_db()
    if strategy.stage == Stage.PUBLISHED:
        lifecycle.start_delivery(
            strategy,
            officer,
            timezone.localdate(),
            "Demo: the adopted strategy's delivery plan, made up (the seed report gives none). "
            "The review date is the day the demo was loaded, as the workflow takes none in the "
            "past",
        )
        strategy.refresh_from_db()
    if strategy.stage == Stage.IN_DELIVERY:
        if not Milestone.objects.filter(action__objective__priority__strategy=strategy).exists():
            _delivery(strategy, officer)
        if lifecycle.refresh_of(strategy) is not None:
            lifecycle.start_review(
                strategy,
                officer,
                "The refresh for the following five years (the 2017–2022 strategy) was begun in "
                "September 2016, as the seed report says; delivery goes on until it is adopted",
            )
