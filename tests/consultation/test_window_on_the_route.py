"""A consultation gate on governance's own pages: the route says when its window runs, from its
opening to its closing day at the window's precision, and the CSV of gates gives its row what
the record holds (its dates, how many responded, its result), in a fixed number of queries.
Governance asks consultation through governance/gate_runs.py."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow
from governance import workflow as governance
from governance.models import Purpose
from tests.conftest import client_for, downloaded
from tests.consultation.conftest import answers_for
from tests.consultation.test_recorded_later import SOURCE
from tests.consultation.test_recorded_later_pages import RESULT, record
from tests.factories import full_strategy

D = datetime.date


def plan(window: ConsultationWindow, officer, opens_on, closes_on, precision="day"):
    window.opens_on, window.closes_on, window.date_precision = opens_on, closes_on, precision
    window.short_window_reason = "A refresh: seven weeks agreed by the Board."
    return workflow.save_window(window, officer)


def route_when(user, strategy) -> str:
    page = client_for(user).get(reverse("governance:route", args=[strategy.slug]))
    return html.unescape(re.search(r"<dt>When</dt><dd>(.*?)</dd>", page.content.decode())[1])


def consult_row(user) -> dict:
    response = client_for(user).get(reverse("governance:gates-csv"))
    rows = csv.DictReader(io.StringIO(downloaded(response)))
    return next(row for row in rows if row["purpose"] == "Consult")


# The route ------------------------------------------------------------------------------------


def test_the_route_gives_the_span_of_a_window_planned_to_the_day(
    planned, officer, strategy, manager
):
    plan(planned, officer, D(2031, 10, 13), D(2031, 12, 3))
    assert route_when(officer, strategy) == "13 October to 3 December 2031"
    page = client_for(manager).get(reverse("governance:route", args=[strategy.slug]))
    # It is the next gate, and the line that says so gives the span too.
    assert "(consult, 13 October to 3 December 2031)" in page.content.decode()


def test_the_route_gives_a_window_planned_to_the_month_in_months(planned, officer, strategy):
    plan(planned, officer, D(2031, 10, 1), D(2031, 12, 1), "month")
    assert route_when(officer, strategy) == "October–December 2031"
    plan(planned, officer, D(2031, 11, 1), D(2032, 2, 1), "month")
    assert route_when(officer, strategy) == "November 2031 to February 2032"


def test_a_window_without_both_dates_leaves_the_gates_own_date(planned, officer, strategy):
    plan(planned, officer, None, None)
    assert route_when(officer, strategy) == "Date to be set"


def test_the_route_gives_the_span_it_ran_once_it_has_closed(open_window, officer, strategy):
    today = timezone.localdate()
    workflow.close_window(open_window, officer, "The Board asked for an early close")
    opened = open_window.opens_on
    assert route_when(officer, strategy).startswith(f"{opened.day} ")
    assert route_when(officer, strategy).endswith(f"{today.day} {today:%B %Y}")


@pytest.mark.parametrize("windows", [1, 4])
def test_the_route_reads_its_windows_in_one_query(
    officer, strategy, board, lead_org, windows, django_assert_num_queries
):
    for n in range(windows):  # one window at each consultation gate, on this strategy
        gate = governance.add_gate(strategy, board, Purpose.CONSULT, officer)
        plan(
            ConsultationWindow(strategy=strategy, gate=gate, title=f"Round {n}", slug=f"round-{n}"),
            officer,
            D(2031, 10, 13),
            D(2031, 12, 3),
        )
    client = client_for(officer)
    url = reverse("governance:route", args=[strategy.slug])
    # The nine of tests/governance/test_views.py's route count, + the windows at its
    # consultation gates (governance/gate_runs.py), in one query whatever their number.
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


# The CSV of gates -----------------------------------------------------------------------------


def test_the_csv_gives_a_planned_windows_dates_as_its_plan(planned, officer):
    plan(planned, officer, D(2031, 10, 13), D(2031, 12, 3))
    row = consult_row(officer)
    assert row["planned"] == "2031-10-13/2031-12-03"
    assert (row["decided on"], row["outcome"], row["resolution"]) == ("", "", "")
    plan(planned, officer, D(2031, 10, 1), D(2031, 12, 1), "month")
    assert consult_row(officer)["planned"] == "2031-10/2031-12"


def test_the_csv_gives_a_closed_windows_dates_count_and_result(open_window, officer):
    workflow.submit_response(open_window, "individual", answers_for(open_window))
    workflow.submit_response(open_window, "organisation", answers_for(open_window))
    window = workflow.close_window(open_window, officer, "The Board asked for an early close")
    row = consult_row(officer)
    closed = timezone.localdate().isoformat()
    assert row["planned"] == f"{window.opens_on.isoformat()}/{closed}"
    assert row["decided on"] == closed
    assert row["outcome"] == "2 responses"
    assert row["resolution"] == window.result
    assert window.result.startswith("Consultation closed with 2 responses")
    assert row["recorded after the fact from"] == ""


def test_the_csv_gives_one_recorded_after_the_fact_as_its_records_do(past, officer):
    record(past, officer)
    row = consult_row(officer)
    assert row["planned"] == "2017-05-01/2017-07-31"
    assert row["decided on"] == "2017-07-31"
    assert row["outcome"] == "412 responses reported"
    assert row["resolution"] == RESULT
    assert row["recorded by"] == officer.display_name
    assert row["recorded after the fact from"] == SOURCE


def test_the_csv_says_when_the_number_of_responses_is_not_on_record(past, officer):
    record(past, officer, reported_responses=None, count_not_on_record=True)
    assert consult_row(officer)["outcome"] == "number of responses not on record"


def test_the_csv_reads_the_windows_in_one_query(
    officer, board, lead_org, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            s = full_strategy(lead_org, priorities=1, title=f"S{i}{n}", slug=f"s-{i}-{n}")
            gate = governance.add_gate(s, board, Purpose.CONSULT, officer)
            window = ConsultationWindow(strategy=s, gate=gate, title="Say", slug=f"say-{i}-{n}")
            plan(window, officer, D(2031, 10, 13), D(2031, 12, 3))

    client = client_for(officer)
    add(1)
    # The eight of tests/governance/test_publish_and_exports.py's count, + the windows at the
    # consultation gates (governance/gate_runs.py), in one query whatever their number.
    with django_assert_num_queries(9):
        downloaded(client.get(reverse("governance:gates-csv")))
    add(3)
    with django_assert_num_queries(9):
        text = downloaded(client.get(reverse("governance:gates-csv")))
    assert text.count("2031-10-13/2031-12-03") == 4


def test_a_consultation_under_way_is_not_said_to_be_on_an_agenda(officer, open_window):
    """Its gate is scheduled while the window runs, but it is at no meeting."""
    gate = open_window.gate
    assert gate.state == gate.State.SCHEDULED and gate.state_label == "Consultation under way"
    client = client_for(officer)
    window_page = client.get(open_window.get_absolute_url()).content.decode()
    assert "(consultation under way)" in window_page and "(on an agenda)" not in window_page
    route = client.get(reverse("governance:route", args=[open_window.strategy.slug]))
    assert "Consultation under way" in route.content.decode()
    rows = list(csv.reader(io.StringIO(downloaded(client.get(reverse("governance:gates-csv"))))))
    state = rows[0].index("gate state")
    assert any(row[state] == "Consultation under way" for row in rows[1:])
