"""delivery/indicators.py: adding, correcting and removing values (and who may), the latest value
following the newest, judging in each polarity with and without confidence intervals, the
trajectory, the periods, and the PHOF code check."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from delivery import indicators
from delivery.models import IndicatorValue
from delivery.periods import parse_period
from governance.workflow import WorkflowError
from strategies.indicator_codes import known as known_indicator
from strategies.indicator_codes import listed_spelling
from strategies.models import OutcomeIndicator, Strategy
from tests.factories import add_indicator

Polarity = OutcomeIndicator.Polarity
day = datetime.date


@pytest.fixture
def indicator(strategy):
    return add_indicator(strategy, "Smoking prevalence in adults", code="2.14", unit="%")


def figures(period="2019", value="16.0", lower=None, upper=None, **kw):
    start, end = parse_period(period)
    return {
        "period": period,
        "period_start": start,
        "period_end": end,
        "value": D(value),
        "lower_ci": D(lower) if lower else None,
        "upper_ci": D(upper) if upper else None,
        **kw,
    }


# Adding, correcting, removing ------------------------------------------------------------------


def test_an_officer_adds_a_value_and_the_latest_follows_with_history(indicator, officer):
    row = indicators.add_value(indicator, officer, "From the APS", **figures("2019", "16.0"))
    indicator.refresh_from_db()
    assert (indicator.latest_value, indicator.latest_date) == (D("16.0"), day(2019, 12, 31))
    assert row.history.get().history_user == officer
    assert row.history.get().history_change_reason == "From the APS"
    assert indicator.history.first().history_change_reason == "From the APS"
    indicators.add_value(indicator, officer, **figures("2018", "17.0"))  # older: latest stays
    indicator.refresh_from_db()
    assert indicator.latest_value == D("16.0")


def test_correcting_and_removing_move_the_latest_value(indicator, officer):
    old = indicators.add_value(indicator, officer, **figures("2019", "16.0"))
    new = indicators.add_value(indicator, officer, **figures("2020", "14.0"))
    indicators.correct_value(new, officer, indicators.fingerprint(new), "Revised", value=D("13.5"))
    indicator.refresh_from_db()
    assert indicator.latest_value == D("13.5")
    new.refresh_from_db()
    indicators.remove_value(new, officer, indicators.fingerprint(new), "Withdrawn by ONS")
    indicator.refresh_from_db()
    assert (indicator.latest_value, indicator.latest_date) == (D("16.0"), day(2019, 12, 31))
    indicators.remove_value(old, officer, indicators.fingerprint(old))
    indicator.refresh_from_db()
    assert indicator.latest_value is None and indicator.latest_date is None
    assert IndicatorValue.history.filter(history_type="-").count() == 2


def test_a_correction_made_on_an_old_reading_is_refused(indicator, officer, second_officer):
    row = indicators.add_value(indicator, officer, **figures())
    seen = indicators.fingerprint(row)
    indicators.correct_value(row, second_officer, seen, value=D("15.0"))
    with pytest.raises(WorkflowError, match="changed this value"):
        indicators.correct_value(row, officer, seen, value=D("17.0"))
    with pytest.raises(WorkflowError, match="changed this value"):
        indicators.remove_value(row, officer, seen)
    row.refresh_from_db()
    assert row.value == D("15.0")


@pytest.mark.parametrize(
    "person, refusal",
    [
        ("other_officer", "Only officers of the lead organisation"),
        ("secretary", "Only officers of the lead organisation"),
        ("manager", "Only officers of the lead organisation"),
    ],
)
def test_only_planners_keep_values(indicator, request, person, refusal):
    user = request.getfixturevalue(person)
    assert refusal in indicators.value_refusal(user, indicator)
    with pytest.raises(WorkflowError, match=refusal):
        indicators.add_value(indicator, user, **figures())
    assert not IndicatorValue.objects.exists()


def test_an_administrator_keeps_values(indicator, administrator):
    assert indicators.value_refusal(administrator, indicator) is None


@pytest.mark.parametrize("stage", [Strategy.Stage.WITHDRAWN, Strategy.Stage.SUPERSEDED])
def test_no_values_change_once_the_strategy_is_withdrawn_or_superseded(indicator, officer, stage):
    Strategy.objects.filter(pk=indicator.strategy_id).update(stage=stage)
    indicator.strategy.refresh_from_db()
    with pytest.raises(WorkflowError, match="route is closed"):
        indicators.add_value(indicator, officer, **figures())


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"value": D("1e12")}, "value", "too large"),
        ({"lower_ci": D("10")}, "upper_ci", "both confidence limits"),
        ({"lower_ci": D("20"), "upper_ci": D("10")}, "lower_ci", "cannot be above"),
        ({"lower_ci": D("1"), "upper_ci": D("2")}, "value", "within its confidence interval"),
        ({"period_end": day(2018, 1, 1)}, "period_end", "cannot end before"),
    ],
)
def test_bad_figures_are_refused_beside_their_field(indicator, officer, changes, field, words):
    with pytest.raises(WorkflowError, match=words) as refused:
        indicators.add_value(indicator, officer, **{**figures(), **changes})
    assert refused.value.field == field
    assert not IndicatorValue.objects.exists()


def test_a_second_value_for_a_period_is_refused(indicator, officer):
    indicators.add_value(indicator, officer, **figures())
    with pytest.raises(WorkflowError, match="already has a value") as refused:
        indicators.add_value(indicator, officer, **figures(value="12"))
    assert refused.value.field == "period"


# Judging -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "polarity, value, other, word, symbol",
    [
        (Polarity.HIGHER, "12", "10", "better", "↑"),
        (Polarity.HIGHER, "8", "10", "worse", "↓"),
        (Polarity.LOWER, "8", "10", "better", "↓"),
        (Polarity.LOWER, "12", "10", "worse", "↑"),
        (Polarity.NEITHER, "12", "10", "not judged", "↑"),
        (Polarity.HIGHER, "10", "10", "no change", "→"),
        (Polarity.LOWER, "10", None, "not judged", "–"),
    ],
)
def test_judging_in_the_indicators_own_polarity(polarity, value, other, word, symbol):
    judged = indicators.judge(D(value), D(other) if other else None, polarity)
    assert (judged.word, judged.symbol) == (word, symbol)


@pytest.mark.parametrize("polarity", [Polarity.HIGHER, Polarity.LOWER])
def test_overlapping_intervals_are_similar_in_either_polarity(polarity):
    overlapping = ((D("11"), D("15")), (D("9"), D("12")))
    assert indicators.judge(D("13"), D("10"), polarity, overlapping).word == "similar"
    apart = ((D("12.5"), D("15")), (D("9"), D("12")))
    expected = "better" if polarity == Polarity.HIGHER else "worse"
    assert indicators.judge(D("13"), D("10"), polarity, apart).word == expected
    one_sided = ((D("11"), D("15")), (None, None))
    assert indicators.judge(D("13"), D("10"), polarity, one_sided).word == expected


def test_the_latest_value_is_judged_against_the_one_before_and_the_baseline(indicator, officer):
    indicator.polarity, indicator.baseline = Polarity.LOWER, D("18")
    indicators.add_value(indicator, officer, **figures("2019", "16", "12.9", "19.1"))
    indicators.add_value(indicator, officer, **figures("2020", "14", "11.2", "17.0"))
    judged = indicators.judge_latest(indicator, list(indicator.values.all()))
    assert judged["since_previous"].word == "similar"
    assert judged["since_baseline"].word == "better"


# Trajectory ------------------------------------------------------------------------------------


def test_on_and_off_the_trajectory_in_each_polarity(indicator):
    indicator.baseline, indicator.baseline_date = D("20"), day(2016, 12, 31)
    indicator.target, indicator.target_date = D("10"), day(2026, 12, 31)
    line = indicators.Trajectory.of(indicator)
    halfway = day(2021, 12, 31)
    assert abs(line.expected(halfway) - D("15")) < D("0.01")
    assert line.expected(day(2030, 1, 1)) == D("10")
    indicator.polarity = Polarity.LOWER
    assert indicators.on_trajectory(indicator, D("14"), halfway) == "on trajectory"
    assert indicators.on_trajectory(indicator, D("16"), halfway) == "off trajectory"
    indicator.polarity = Polarity.HIGHER
    assert indicators.on_trajectory(indicator, D("16"), halfway) == "on trajectory"
    indicator.polarity = Polarity.NEITHER
    assert indicators.on_trajectory(indicator, D("16"), halfway) == "not judged"
    indicator.polarity = Polarity.LOWER
    assert indicators.on_trajectory(indicator, D("16"), day(2015, 1, 1)) == "not judged"
    indicator.target_date = None
    assert indicators.Trajectory.of(indicator) is None


# Periods ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2019", day(2019, 1, 1), day(2019, 12, 31)),
        ("2019/20", day(2019, 4, 1), day(2020, 3, 31)),
        ("2017 - 19", day(2017, 1, 1), day(2019, 12, 31)),
        ("2016/17 - 18/19", day(2016, 4, 1), day(2019, 3, 31)),
        ("2019 Q3", day(2019, 7, 1), day(2019, 9, 30)),
        ("2019/20 Q1", day(2019, 4, 1), day(2019, 6, 30)),
        ("2019/20 Q4", day(2020, 1, 1), day(2020, 3, 31)),
        ("1999/00", day(1999, 4, 1), day(2000, 3, 31)),
        ("1998 - 03", day(1998, 1, 1), day(2003, 12, 31)),  # across a century
    ],
)
def test_periods_as_fingertips_writes_them(text, start, end):
    assert parse_period(text) == (start, end)


@pytest.mark.parametrize(
    "text",
    # Written backwards, not a century: "2018 - 17" is not 2018 to 2117.
    ["", "Q3", "2019/21", "20199", "2019 Q5", "9999", "March 2020", "2018 - 17", "2016/17 - 15/16"],
)
def test_periods_waymark_cannot_read(text):
    assert parse_period(text) is None


# The PHOF code check ---------------------------------------------------------------------------


def test_a_phof_code_must_be_on_the_shipped_list_or_numbered_as_the_framework_numbers(strategy):
    item = OutcomeIndicator(strategy=strategy, position=9, framework="phof", title="X", code="9.99")
    for wrong in ("9.99", "smoking", "F01", "2.14 and 2.15", "A1"):
        item.code = wrong
        with pytest.raises(ValidationError) as refused:
            item.full_clean()
        assert "phof_indicators.csv" in refused.value.message_dict["code"][0]
    for known in ("2.14", "A01b", "92443", "0.1I"):
        item.code = known
        item.full_clean()
        assert known_indicator("phof", known) is not None
    # Numbered as the framework numbers, though not (yet) on the list: taken, and known as not.
    for unlisted in ("C18", "3.03xiv", "E14"):
        item.code = unlisted
        item.full_clean()
        assert known_indicator("phof", unlisted) is None
    item.framework, item.code = "local", "MY-OWN-1"
    item.full_clean()


@pytest.mark.parametrize(
    "framework, listed, unlisted, wrong, file",
    [
        ("phof", ["4.07", "A01a", "40701"], ["C18"], ["9.99", "F01"], "phof_indicators.csv"),
        (
            "nhsof",
            ["1a.i", "1.4.ii", "3a", "5.4"],
            ["2", "4a.i"],
            ["9.1", "1z", "2.14 and 3a"],
            "nhsof_indicators.csv",
        ),
        (
            "ascof",
            ["1A", "1C(1A)", "1c1a", "2A1", "2E", "4B"],
            ["3A", "6A"],
            ["7A", "1Z", "2A(1", "A01b"],
            "ascof_indicators.csv",
        ),
    ],
)
def test_each_national_framework_checks_its_codes_against_its_own_list(
    strategy, framework, listed, unlisted, wrong, file
):
    item = OutcomeIndicator(strategy=strategy, position=9, framework=framework, title="X")
    for code in listed:  # on the list shipped with Waymark
        item.code = code
        item.full_clean()
        assert known_indicator(framework, code) is not None, code
    for code in unlisted:  # numbered as the framework numbers, not (yet) on the list
        item.code = code
        item.full_clean()
        assert known_indicator(framework, code) is None, code
    for code in wrong:
        item.code = code
        with pytest.raises(ValidationError) as refused:
            item.full_clean()
        message = refused.value.message_dict["code"][0]
        assert file in message and "“Local indicator”" in message
        assert str(OutcomeIndicator.Framework(framework).label) in message


def test_every_row_of_the_lists_is_numbered_as_its_framework_numbers():
    from strategies.indicator_codes import DATA, FRAMEWORKS, indicators

    for value, framework in FRAMEWORKS.items():
        rows = indicators(value).values()
        assert rows and all(row.name and row.numbering for row in rows)
        lines = (DATA / framework.file).read_text(encoding="utf-8").strip().splitlines()
        assert len(rows) == len(lines) - 1, f"two rows of {framework.file} look up alike"
        for row in rows:
            assert framework.numbering.fullmatch(framework.key(row.code)), (value, row.code)
            assert listed_spelling(value, row.code) == row.code


@pytest.mark.parametrize(
    "framework, typed, stored",
    [
        # The NHSOF's roman part, however it is set off, is ".ii".
        ("nhsof", "1.4.ii", "1.4.ii"),
        ("nhsof", "1.4ii", "1.4.ii"),
        ("nhsof", "1.4 ii", "1.4.ii"),
        ("nhsof", "1.4(ii)", "1.4.ii"),
        ("nhsof", "1.4 (ii)", "1.4.ii"),
        ("nhsof", "1.4.II", "1.4.ii"),
        ("nhsof", "1a i", "1a.i"),
        ("nhsof", "1A(i)", "1a.i"),
        ("nhsof", " 3A ", "3a"),
        # The ASCOF's part, with brackets or without, as NHS England's files write it.
        ("ascof", "1C(1A)", "1C(1A)"),
        ("ascof", "1c1a", "1C(1A)"),
        ("ascof", "1C (1A)", "1C(1A)"),
        ("ascof", "2a1", "2A(1)"),
        ("ascof", "2e", "2E"),
        # The PHOF's, whatever the case.
        ("phof", "a01b", "A01b"),
        ("phof", "0.1 I", "0.1i"),
        ("phof", "2.14", "2.14"),
        ("phof", "92443", "92443"),  # a Fingertips ID stays an ID
        # Numbered as the framework numbers but not on its list: kept as written.
        ("nhsof", "4a ii", "4a ii"),
        ("ascof", "6a", "6a"),
        ("phof", "c18", "c18"),
        ("local", "My own 1.4 ii", "My own 1.4 ii"),
    ],
)
def test_a_code_is_stored_as_its_framework_s_list_spells_it(strategy, framework, typed, stored):
    item = OutcomeIndicator(
        strategy=strategy, position=9, framework=framework, title="X", code=typed
    )
    item.full_clean()
    assert item.code == stored


@pytest.mark.parametrize(
    "framework, typed",
    [
        ("nhsof", "1.4(ii"),
        ("nhsof", "1.4..ii"),
        ("nhsof", "1 4 ii"),
        ("nhsof", "1.4 ii 3a"),
        ("nhsof", "1e i"),
        ("ascof", "2A(1"),
        ("ascof", "2A((1))"),
        ("ascof", "1.4.ii"),
        ("phof", "2.14 and 2.15"),
    ],
)
def test_a_code_spelled_loosely_is_still_refused_when_it_is_not_a_number(
    strategy, framework, typed
):
    item = OutcomeIndicator(
        strategy=strategy, position=9, framework=framework, title="X", code=typed
    )
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert f"{framework}_indicators.csv" in refused.value.message_dict["code"][0]
    assert item.code == typed
