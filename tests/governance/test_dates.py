import datetime

import pytest

from governance.dates import Precision, describe, describe_span, latest_day

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


D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "precision", "time", "text"),
    [
        (D(2019, 7, 3), None, Precision.DAY, None, "3 July 2019"),
        (D(2019, 7, 3), D(2019, 7, 3), Precision.DAY, None, "3 July 2019"),
        (D(2019, 7, 3), None, Precision.DAY, datetime.time(18), "3 July 2019, 18:00"),
        (D(2019, 7, 3), D(2019, 7, 5), Precision.DAY, None, "3–5 July 2019"),
        (D(2019, 7, 3), D(2019, 8, 2), Precision.DAY, None, "3 July to 2 August 2019"),
        (D(2019, 12, 30), D(2020, 1, 2), Precision.DAY, None,
         "30 December 2019 to 2 January 2020"),
        (D(2019, 7, 3), D(2019, 7, 5), Precision.DAY, datetime.time(9, 30),
         "3–5 July 2019, starting at 09:30"),
        (D(2019, 7, 3), None, Precision.MONTH, None, "July 2019"),
        (D(2019, 7, 3), D(2019, 7, 28), Precision.MONTH, None, "July 2019"),
        (D(2019, 7, 3), D(2019, 8, 2), Precision.MONTH, None, "July–August 2019"),
        (D(2019, 12, 1), D(2020, 1, 1), Precision.MONTH, None, "December 2019 to January 2020"),
        # A time of day means nothing with only the month known: it is not said.
        (D(2019, 7, 3), D(2019, 8, 2), Precision.MONTH, datetime.time(18), "July–August 2019"),
    ],
)  # fmt: skip
def test_a_span_of_days_or_months_reads_as_one_phrase(start, end, precision, time, text):
    assert describe_span(start, end, precision, time) == text
