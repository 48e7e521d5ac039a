"""The rules of an outcome indicator's values over time: who may add, correct, remove and import
them (`value_refusal`), the moves that do (each in one transaction with the strategy row locked,
its history row naming who and why), the indicator's latest value following the newest one, and
how a value is judged: against the previous value and the baseline, in the indicator's own
polarity, and against the trajectory from baseline to target.

Judging. A change is "better" or "worse" by the indicator's polarity (higher is better, lower is
better); an indicator of neither polarity is "not judged", whichever way it moved. Where both
values have a confidence interval and the intervals overlap, the change is not taken as real and
is called "similar" (the overlap test Fingertips' own trend comparisons stand in for: cautious,
since intervals can overlap when a difference is significant). Equal values are "no change".

Trajectory. The straight line from the baseline (at its date) to the target (at its date); the
latest value is "on trajectory" when it is at or beyond the line's value at its date in the
better direction, "off trajectory" otherwise. Values are placed in time at the end of their
period, as the indicator's `latest_date` is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.workflow.common import WorkflowError, lock_strategy, planner_refusal, refuse_if
from strategies.models import OutcomeIndicator, User

from .models import IndicatorValue, IndicatorValueImport

Polarity = OutcomeIndicator.Polarity
FIGURES = ["period", "period_start", "period_end", "value", "lower_ci", "upper_ci"]
EDITABLE = [*FIGURES, "source", "published_on"]
LARGEST = Decimal("99999999999.999")  # the columns hold 14 digits, 3 after the point


# Who may ----------------------------------------------------------------------------------------


def value_refusal(user: User, indicator: OutcomeIndicator) -> str | None:
    """Why `user` may not add, correct, remove or import values of `indicator` now, or None.
    Those who plan the strategy keep its figures (officers of its lead organisations, and
    administrators), whatever its stage, except once it is withdrawn or superseded."""
    if not user.is_authenticated:
        return "Sign in to keep an indicator's values."
    return planner_refusal(user, indicator.strategy)


# Checking a value -------------------------------------------------------------------------------


def figure_problem(value: Decimal | None) -> str | None:
    """Why a figure cannot be stored, or None: only finite numbers the columns hold."""
    if value is None:
        return None
    if not value.is_finite():
        return "This is not a number."
    if abs(value) > LARGEST:
        return "This number is too large: Waymark keeps figures up to 99,999,999,999.999."
    return None


def value_problems(row: IndicatorValue) -> dict[str | None, str]:
    """What is wrong with an unsaved or changed value, by field: its figures, the order of its
    period and interval, an interval that leaves out the value, and a period the indicator
    already has a value for."""
    problems: dict[str | None, str] = {}
    for name in ("value", "lower_ci", "upper_ci"):
        if problem := figure_problem(getattr(row, name)):
            problems[name] = problem
    if row.period_start and row.period_end and row.period_end < row.period_start:
        problems["period_end"] = "A period cannot end before it starts."
    if (row.lower_ci is None) != (row.upper_ci is None):
        problems["upper_ci" if row.upper_ci is None else "lower_ci"] = (
            "Give both confidence limits, or neither."
        )
    elif row.lower_ci is not None and not problems:
        if row.lower_ci > row.upper_ci:
            problems["lower_ci"] = "The lower confidence limit cannot be above the upper."
        elif not row.lower_ci <= row.value <= row.upper_ci:
            problems["value"] = "The value must lie within its confidence interval."
    if "period_end" not in problems and row.period_start and row.period_end:
        clash = IndicatorValue.objects.filter(
            indicator_id=row.indicator_id,
            period_start=row.period_start,
            period_end=row.period_end,
        ).exclude(pk=row.pk)
        if clash.exists():
            problems["period"] = "This indicator already has a value for that period."
    return problems


def fingerprint(row: IndicatorValue) -> str:
    """The value's figures and source as last read: a form carries it, and a correction or a
    removal made on an older reading is refused rather than overwriting someone else's."""
    return "|".join(_plain(getattr(row, name)) for name in EDITABLE)


def _plain(value) -> str:
    """As stored: a figure to three places, whether read back or just typed."""
    if isinstance(value, Decimal) and value.is_finite():
        return str(value.quantize(Decimal("0.001")))
    return str(value)


# The moves --------------------------------------------------------------------------------------


def _checked(indicator: OutcomeIndicator, by: User):
    """Lock the strategy and ask the rule again: what the page offered may have changed."""
    strategy = lock_strategy(indicator.strategy)
    refuse_if(value_refusal(by, indicator))
    return strategy


def _refuse_problems(row: IndicatorValue) -> None:
    problems = value_problems(row)
    if problems:
        name, message = next(iter(problems.items()))
        raise WorkflowError(message, field=name)


def add_value(indicator: OutcomeIndicator, by: User, reason: str = "", **figures) -> IndicatorValue:
    """Add a typed-in value of `indicator` (figures: EDITABLE's fields)."""
    with transaction.atomic():
        _checked(indicator, by)
        row = IndicatorValue(indicator=indicator, **figures)
        _refuse_problems(row)
        _save(row, by, reason or "Value added")
        follow_latest(indicator, by, reason or "Latest value added")
    return row


def correct_value(
    row: IndicatorValue, by: User, expected: str, reason: str = "", **figures
) -> IndicatorValue:
    """Correct a value: refused if it changed since `expected` (its fingerprint when read)."""
    with transaction.atomic():
        _checked(row.indicator, by)
        current = _current(row, expected)
        for name, value in figures.items():
            setattr(current, name, value)
        _refuse_problems(current)
        _save(current, by, reason or "Value corrected")
        follow_latest(current.indicator, by, reason or "Latest value corrected")
    return current


def remove_value(row: IndicatorValue, by: User, expected: str, reason: str = "") -> None:
    with transaction.atomic():
        _checked(row.indicator, by)
        current = _current(row, expected)
        current._history_user = by
        current._change_reason = reason or "Value removed"
        current.delete()
        follow_latest(row.indicator, by, reason or "Latest value removed", removed=current)


def _current(row: IndicatorValue, expected: str) -> IndicatorValue:
    current = IndicatorValue.objects.select_related("indicator__strategy").filter(pk=row.pk).first()
    if current is None:
        raise WorkflowError("Someone else has removed this value meanwhile.")
    if fingerprint(current) != expected:
        raise WorkflowError(
            "Someone else changed this value while you were looking at it. Nothing has been "
            "overwritten: read it as it is now, then make your change again."
        )
    return current


def _save(row: IndicatorValue, by: User, reason: str) -> None:
    row._history_user = by
    row._change_reason = reason
    try:
        row.save()
    except ValidationError as error:  # a constraint the checks above did not foresee
        raise WorkflowError(" ".join(error.messages)) from None


def follow_latest(
    indicator: OutcomeIndicator, by: User, reason: str, removed: IndicatorValue | None = None
) -> None:
    """The indicator's latest value and date become its newest value's (the end of its period).
    With no values left, a latest value that was the removed one is cleared; one typed in
    before the series began is left as it was. Its version goes up, so that a form opened on the
    indicator before is told of the change instead of putting the old latest value back."""
    indicator = OutcomeIndicator.objects.get(pk=indicator.pk)
    newest = indicator.values.order_by("-period_end", "-period_start").first()
    if newest is not None:
        latest = (newest.value, newest.period_end)
    elif removed is not None and indicator.latest_value == removed.value:
        latest = (None, None)
    else:
        return
    if (indicator.latest_value, indicator.latest_date) == latest:
        return
    indicator.latest_value, indicator.latest_date = latest
    indicator.version += 1
    indicator._history_user = by
    indicator._change_reason = reason
    indicator.save(update_fields=["latest_value", "latest_date", "version"])


# Importing --------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One value as a file gives it, checked (delivery/fingertips.py), and what importing it
    would do: "added", "changed" or "unchanged"."""

    line: int
    period: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    value: Decimal | None
    lower_ci: Decimal | None = None
    upper_ci: Decimal | None = None
    problems: list[str] = field(default_factory=list)
    outcome: str = ""


def outcomes(indicator: OutcomeIndicator, rows: list[ImportRow]) -> None:
    """Mark each good row with what importing it would do, from the values stored now (one
    query)."""
    stored = {(v.period_start, v.period_end): v for v in indicator.values.all()}
    for row in rows:
        if row.problems:
            continue
        before = stored.get((row.period_start, row.period_end))
        if before is None:
            row.outcome = "added"
        elif [before.period, before.value, before.lower_ci, before.upper_ci] == [
            row.period,
            row.value,
            row.lower_ci,
            row.upper_ci,
        ]:
            row.outcome = "unchanged"
        else:
            row.outcome = "changed"


def import_values(
    indicator: OutcomeIndicator,
    by: User,
    file_name: str,
    sha256: str,
    rows: list[ImportRow],
    source: str,
) -> IndicatorValueImport:
    """Import checked rows: all of them or none. A row with a problem refuses the whole import;
    a period already stored with the same figures is left alone (importing a file again changes
    no value), one with other figures is corrected. The import is recorded with its counts."""
    if any(row.problems for row in rows):
        raise WorkflowError("Some rows cannot be imported (listed below), so nothing was.")
    with transaction.atomic():
        _checked(indicator, by)
        outcomes(indicator, rows)
        counts = {kind: sum(row.outcome == kind for row in rows) for kind in OUTCOMES}
        record = IndicatorValueImport(
            indicator=indicator,
            file_name=file_name[:255],
            sha256=sha256,
            imported_by=by,
            imported_at=timezone.now(),
            **counts,
        )
        reason = f"Imported from {record.file_name}"
        record._history_user = by
        record._change_reason = reason
        record.save()
        stored = {(v.period_start, v.period_end): v for v in indicator.values.all()}
        for row in rows:
            if row.outcome == "unchanged":
                continue
            value = stored.get((row.period_start, row.period_end)) or IndicatorValue(
                indicator=indicator
            )
            for name in FIGURES:
                setattr(value, name, getattr(row, name))
            value.source = source[:200]
            value.imported_from = record
            _refuse_problems(value)
            _save(value, by, reason)
        follow_latest(indicator, by, reason)
    return record


OUTCOMES = ("added", "changed", "unchanged")


# Judging ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    word: str  # "better", "worse", "similar", "no change" or "not judged"
    symbol: str  # the direction: ↑ higher, ↓ lower, → the same, ≈ within the intervals
    direction: str  # "higher", "lower", "the same" or ""

    @property
    def css(self) -> str:
        return self.word.replace(" ", "-")


NOT_JUDGED = Judgement("not judged", "–", "")


def judge(
    value: Decimal | None,
    other: Decimal | None,
    polarity: str,
    intervals: tuple[tuple, tuple] | None = None,
) -> Judgement:
    """`value` compared with `other` (an earlier value, or the baseline). `intervals`, the two
    values' (lower, upper) confidence limits where both have them."""
    if value is None or other is None:
        return NOT_JUDGED
    if value == other:
        return Judgement("no change", "→", "the same")
    direction, symbol = ("higher", "↑") if value > other else ("lower", "↓")
    if intervals and all(None not in limits for limits in intervals):
        (low, high), (other_low, other_high) = intervals
        if low <= other_high and other_low <= high:
            return Judgement("similar", "≈", direction)
    if polarity == Polarity.HIGHER:
        return Judgement("better" if direction == "higher" else "worse", symbol, direction)
    if polarity == Polarity.LOWER:
        return Judgement("better" if direction == "lower" else "worse", symbol, direction)
    return Judgement("not judged", symbol, direction)


def judge_latest(indicator: OutcomeIndicator, values: list[IndicatorValue]) -> dict:
    """The newest value judged against the one before and against the baseline, and where it
    stands against the trajectory. Newest means the period that ended last (as the latest
    value and the dashboard take it), whatever order `values` come in."""
    values = sorted(values, key=lambda v: (v.period_end, v.period_start))
    newest = values[-1] if values else None
    previous = values[-2] if len(values) > 1 else None
    since_previous = NOT_JUDGED
    if newest and previous:
        since_previous = judge(
            newest.value,
            previous.value,
            indicator.polarity,
            ((newest.lower_ci, newest.upper_ci), (previous.lower_ci, previous.upper_ci)),
        )
    latest = newest.value if newest else indicator.latest_value
    return {
        "newest": newest,
        "previous": previous,
        "since_previous": since_previous,
        "since_baseline": judge(latest, indicator.baseline, indicator.polarity),
        "trajectory": Trajectory.of(indicator),
        "on_trajectory": on_trajectory(
            indicator, latest, newest.period_end if newest else indicator.latest_date
        ),
    }


@dataclass(frozen=True)
class Trajectory:
    start: datetime.date
    baseline: Decimal
    end: datetime.date
    target: Decimal

    @classmethod
    def of(cls, indicator: OutcomeIndicator) -> Trajectory | None:
        """The line from baseline to target, if the indicator has both with their dates, in
        order."""
        known = (indicator.baseline, indicator.baseline_date, indicator.target)
        if None in known or indicator.target_date is None:
            return None
        if indicator.target_date <= indicator.baseline_date:
            return None
        return cls(
            indicator.baseline_date, indicator.baseline, indicator.target_date, indicator.target
        )

    def expected(self, when: datetime.date) -> Decimal:
        """The line's value at `when`: the target after the target date."""
        if when >= self.end:
            return self.target
        share = Decimal((when - self.start).days) / Decimal((self.end - self.start).days)
        return self.baseline + (self.target - self.baseline) * share


def on_trajectory(
    indicator: OutcomeIndicator, value: Decimal | None, when: datetime.date | None
) -> str:
    """ "on trajectory", "off trajectory" or "not judged" (no trajectory, no value, a value from
    before the baseline, or an indicator of neither polarity)."""
    line = Trajectory.of(indicator)
    if line is None or value is None or when is None or when < line.start:
        return "not judged"
    expected = line.expected(when)
    if indicator.polarity == Polarity.HIGHER:
        return "on trajectory" if value >= expected else "off trajectory"
    if indicator.polarity == Polarity.LOWER:
        return "on trajectory" if value <= expected else "off trajectory"
    return "not judged"
