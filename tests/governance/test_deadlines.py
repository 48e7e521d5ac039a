"""Day-counting against the worked examples of shared/DEADLINES.md, and the awkward calendar."""

from __future__ import annotations

import datetime

import pytest

from governance.deadlines import (
    agenda_deadline,
    end_of_working_days,
    is_working_day,
    latest_notice_date,
)

D = datetime.date


def test_agenda_five_clear_working_days_before_13_september_2017():
    # clear days 6, 7, 8, 11 and 12 September
    assert latest_notice_date(D(2017, 9, 13), 5, working=True) == D(2017, 9, 5)


def test_key_decision_notice_28_clear_days_before_13_september_2017():
    # clear days 16 August to 12 September
    assert latest_notice_date(D(2017, 9, 13), 28, working=False) == D(2017, 8, 15)


def test_agenda_before_2_may_2023_skips_the_early_may_bank_holiday():
    # Monday 1 May is a bank holiday: clear days 24 to 28 April, publish by Friday 21 April
    assert latest_notice_date(D(2023, 5, 2), 5, working=True) == D(2023, 4, 21)


def test_call_in_after_4_april_2023_skips_good_friday_and_easter_monday():
    # the period covers 5, 6, 11, 12 and 13 April
    assert end_of_working_days(D(2023, 4, 4), 5) == D(2023, 4, 13)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2023, 5, 6), False),  # Saturday
        (D(2023, 5, 8), False),  # the coronation: a one-off bank holiday
        (D(2023, 5, 9), True),
        (D(2022, 12, 26), False),  # Boxing Day
        (D(2022, 12, 27), False),  # Christmas Day, which fell on a Sunday, substituted
        (D(2023, 1, 2), False),  # New Year's Day substitute
        (D(2023, 1, 3), True),
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_across_christmas_and_new_year():
    # Thursday 5 January 2023: clear working days 28, 29, 30 December and 3, 4 January. The day
    # before them, 27 December, is a bank holiday (Christmas Day fell on a Sunday), as is 26
    # December, and 24-25 are a weekend: publish by Friday 23 December.
    assert latest_notice_date(D(2023, 1, 5), 5, working=True) == D(2022, 12, 23)
    # In plain clear days holidays count: 31 December to 4 January are clear, publish 30 December.
    assert latest_notice_date(D(2023, 1, 5), 5, working=False) == D(2022, 12, 30)


def test_a_one_off_bank_holiday_moves_the_agenda():
    # Tuesday 9 May 2023: the coronation (8 May) and 1 May are bank holidays, so the clear
    # working days are 28 April and 2 to 5 May: publish by Thursday 27 April.
    assert latest_notice_date(D(2023, 5, 9), 5, working=True) == D(2023, 4, 27)


def test_agenda_deadline_of_a_meeting(db, lead_org, board):
    from governance.models import Meeting
    from tests.governance.conftest import at

    meeting = Meeting.objects.create(body=board, starts_at=at(0))
    deadline = agenda_deadline(meeting)
    assert deadline.working and deadline.clear_days == 5
    assert deadline.publish_by == latest_notice_date(meeting.starts_at.date(), 5, True)
    assert deadline.is_missed(meeting.starts_at.date())
    lead_org.agenda_counting = "clear_days"
    lead_org.save()
    meeting.refresh_from_db()
    assert not agenda_deadline(meeting).working
    month_only = Meeting.objects.create(body=board, starts_at=at(40), date_precision="month")
    assert agenda_deadline(month_only) is None  # no false warning, only the month is known
    board.meets_in_public = False
    board.save()
    meeting.refresh_from_db()
    assert agenda_deadline(meeting) is None
