import datetime

import pytest

from governance.dates import Precision, describe, latest_day

DAY = datetime.date(2017, 12, 13)


@pytest.mark.parametrize(
    ("precision", "text", "latest"),
    [
        (Precision.DAY, "13 December 2017", datetime.date(2017, 12, 13)),
        (Precision.MONTH, "December 2017", datetime.date(2017, 12, 31)),
        (Precision.QUARTER, "Q4 2017", datetime.date(2017, 12, 31)),
        (Precision.SEASON, "winter 2017/18", datetime.date(2018, 2, 28)),
    ],
)
def test_dates_read_at_their_precision(precision, text, latest):
    assert describe(DAY, precision) == text
    assert latest_day(DAY, precision) == latest


def test_summer_and_unset_dates():
    assert describe(datetime.date(2017, 7, 1), Precision.SEASON) == "summer 2017"
    assert latest_day(datetime.date(2017, 7, 1), Precision.SEASON) == datetime.date(2017, 8, 31)
    assert describe(None, Precision.NOT_SET) == "date to be set"


def test_a_winter_has_one_name_whichever_month_is_given():
    names = {describe(datetime.date(y, m, 10), Precision.SEASON) for y, m in
             [(2026, 12), (2027, 1), (2027, 2)]}  # fmt: skip
    assert names == {"winter 2026/27"}
