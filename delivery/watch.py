"""What needs a manager's attention in the delivery of many strategies at once (the staff
dashboard reads these): actions off track, overdue actions and milestones, indicators getting
worse, and progress reports due. Each is a query set chosen and ordered in the database, so that
a page takes its first rows and how many there are in one query, however many strategies,
actions, updates and values there are.

The rules are those of the strategy's own pages, said once here for many strategies:
- only strategies being delivered count: in delivery, or under review (delivery goes on while
  a strategy is reviewed);
- off track: the action's RAG rating, which is its latest update's, is red, and it is neither
  complete nor cancelled;
- overdue: an action past its due date and neither complete nor cancelled, a milestone past its
  due date and not completed (progress.is_overdue and progress.milestone_overdue);
- getting worse: the indicator's newest value is worse than the one before it in the
  indicator's polarity, and not within both values' confidence intervals (indicators.judge,
  which says "similar" then); an indicator of neither polarity is never worse;
- progress report due: no progress report sent to a meeting in the last year (REPORT_EVERY),
  or none ever sent."""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from strategies.models import Action, OutcomeIndicator, Strategy

from .models import IndicatorValue, Milestone, ProgressReport
from .progress import CLOSED_STATUSES

Stage = Strategy.Stage
Polarity = OutcomeIndicator.Polarity

DELIVERING = (Stage.IN_DELIVERY, Stage.UNDER_REVIEW)
REPORT_EVERY = datetime.timedelta(days=365)
ACTION_STRATEGY = "objective__priority__strategy"


def _delivering(queryset: QuerySet, path: str, strategies: QuerySet | None) -> QuerySet:
    """`queryset` narrowed to rows of strategies being delivered (reached by `path`), and of
    `strategies` if given (None: of every strategy)."""
    queryset = queryset.filter(**{f"{path}__stage__in": DELIVERING})
    if strategies is not None:
        queryset = queryset.filter(**{f"{path}__in": strategies})
    return queryset


def actions_off_track(strategies: QuerySet | None = None) -> QuerySet:
    """Actions whose latest rating is red, with their strategy; not ordered."""
    actions = Action.objects.filter(rag=Action.Rag.RED).exclude(status__in=CLOSED_STATUSES)
    return _delivering(actions, ACTION_STRATEGY, strategies).select_related(ACTION_STRATEGY)


def overdue_actions(strategies: QuerySet | None = None, today: datetime.date | None = None):
    today = today or timezone.localdate()
    actions = Action.objects.filter(due_date__lt=today).exclude(status__in=CLOSED_STATUSES)
    return _delivering(actions, ACTION_STRATEGY, strategies).select_related(ACTION_STRATEGY)


def overdue_milestones(strategies: QuerySet | None = None, today: datetime.date | None = None):
    today = today or timezone.localdate()
    milestones = Milestone.objects.filter(completed_on__isnull=True, due_on__lt=today)
    return _delivering(milestones, f"action__{ACTION_STRATEGY}", strategies).select_related(
        f"action__{ACTION_STRATEGY}"
    )


# The figures of an indicator's newest value (0) and the one before (1), as indicators.judge
# compares them; values in time order by the end of their period, as follow_latest takes them.
FIGURES = ("value", "lower_ci", "upper_ci", "period")


def with_last_two_values(indicators: QuerySet) -> QuerySet:
    """Each indicator annotated with its newest value's figures (`value_0`, `lower_ci_0`,
    `upper_ci_0`, `period_0`) and the figures of the value before it (`…_1`)."""
    newest_first = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by(
        "-period_end", "-period_start"
    )
    annotations = {}
    for place in (0, 1):
        for name in FIGURES:
            annotations[f"{name}_{place}"] = Subquery(newest_first.values(name)[place : place + 1])
    return indicators.annotate(**annotations)


def indicators_getting_worse(strategies: QuerySet | None = None) -> QuerySet:
    """Indicators whose newest value is worse than the one before (see the module's rules),
    with their strategy and both values' figures (`with_last_two_values`); not ordered."""
    # The strategies being delivered are chosen in a subquery rather than by a join: SQLite
    # would otherwise work out the eight subqueries of every indicator before looking at its
    # strategy's stage (a hundred times slower with few strategies in delivery).
    indicators = OutcomeIndicator.objects.filter(
        polarity__in=[Polarity.HIGHER, Polarity.LOWER],
        strategy__in=Strategy.objects.filter(stage__in=DELIVERING).values("pk"),
    )
    if strategies is not None:
        indicators = indicators.filter(strategy__in=strategies)
    indicators = with_last_two_values(indicators).select_related("strategy")
    wrong_way = Q(polarity=Polarity.HIGHER, value_0__lt=F("value_1")) | Q(
        polarity=Polarity.LOWER, value_0__gt=F("value_1")
    )
    within_intervals = Q(
        lower_ci_0__isnull=False,
        upper_ci_0__isnull=False,
        lower_ci_1__isnull=False,
        upper_ci_1__isnull=False,
        lower_ci_0__lte=F("upper_ci_1"),
        lower_ci_1__lte=F("upper_ci_0"),
    )
    return indicators.filter(wrong_way).exclude(within_intervals)


def reports_due(strategies: QuerySet | None = None, today: datetime.date | None = None):
    """Strategies being delivered with no progress report sent in the last year, each annotated
    with when its last one was sent (`last_report_sent`, None if never); not ordered."""
    today = today or timezone.localdate()
    last_sent = (
        ProgressReport.objects.filter(strategy=OuterRef("pk"), sent_at__isnull=False)
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    chosen = Strategy.objects.filter(stage__in=DELIVERING)
    if strategies is not None:
        chosen = chosen.filter(pk__in=strategies)
    return chosen.annotate(last_report_sent=Subquery(last_sent)).filter(
        # Sent before the day a year ago began, by the local calendar.
        Q(last_report_sent__isnull=True) | Q(last_report_sent__date__lt=today - REPORT_EVERY)
    )
