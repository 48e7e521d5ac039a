"""Things the pages said wrong: a committee report naming a meeting its gate is no longer on, a
strategy adopted subject to call-in named plain "Adopted" outside its own page, the gates of
one step numbered three ways, and titles that give their years given them twice."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import Gate, Purpose
from portal import reports
from strategies.models import Strategy
from tests.conftest import client_for, downloaded
from tests.factories import StrategyFactory
from tests.governance.conftest import decide, meeting_of

TODAY = timezone.localdate()


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(downloaded(response))))


# A committee report that names another meeting -------------------------------------------------


@pytest.fixture
def moved(strategy, board, officer, secretary):
    """The Board's report was started while its gate was on the meeting in 20 days; the gate
    has since moved to the meeting in 30 days."""
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    first = meeting_of(board, days_ago=-20)
    workflow.schedule_gate(gate, first, secretary)
    report = reports.start_report(gate, officer)
    assert first.when in report.meeting_line
    later = meeting_of(board, days_ago=-30)
    workflow.schedule_gate(gate, later, secretary)
    return gate, first, later


def test_the_report_page_says_the_report_names_another_meeting(moved, strategy, secretary):
    gate, first, later = moved
    page = client_for(secretary).get(reverse("gate-report", args=[strategy.slug, gate.pk])).text
    assert "Wrong meeting" in page
    assert f"the Health and Wellbeing Board meeting of {later.when}" in page
    assert first.when in page
    assert "before its agenda is published" in page.lower()


def test_the_secretary_is_told_on_the_meeting_page_before_publishing(moved, secretary):
    gate, first, later = moved
    page = client_for(secretary).get(later.get_absolute_url()).text
    assert "names a different meeting" in page
    assert reverse("gate-report", args=[gate.strategy.slug, gate.pk]) in page


def test_once_the_papers_are_out_the_report_page_says_what_to_do(moved, strategy, secretary):
    gate, first, later = moved
    workflow.publish_agenda(later, TODAY, secretary)
    client = client_for(secretary)
    page = client.get(reverse("gate-report", args=[strategy.slug, gate.pk])).text
    assert "This report stays as it is" in page and "Wrong meeting" in page
    assert "supplementary agenda" in page
    for url in (
        reverse("strategy-report", args=[strategy.slug]),
        reverse("governance:route", args=[strategy.slug]),
    ):
        assert "names a different meeting" in client.get(url).text, url


def test_a_report_naming_its_meeting_says_nothing(strategy, board, officer, secretary):
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    workflow.schedule_gate(gate, meeting_of(board, days_ago=-20), secretary)
    reports.start_report(gate, officer)
    client = client_for(secretary)
    assert (
        "Wrong meeting"
        not in client.get(reverse("gate-report", args=[strategy.slug, gate.pk])).text
    )
    assert (
        "names a different meeting"
        not in client.get(reverse("governance:route", args=[strategy.slug])).text
    )


# "Adopted, subject to call-in" wherever the stage is named --------------------------------------


@pytest.fixture
def under_call_in(strategy, cabinet, cabinet_secretary, officer):
    """Adopted by Cabinet today: the call-in period runs for five working days."""
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    decide(gate, cabinet_secretary, days_ago=0)
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.ADOPTED
    return strategy


@pytest.fixture
def adopted_long_ago(lead_org, board, secretary, officer):
    strategy = StrategyFactory(lead_organisation=lead_org, title="Older strategy", slug="older")
    decide(workflow.add_gate(strategy, board, Purpose.ADOPT, officer), secretary, days_ago=40)
    return strategy


def test_every_page_that_names_the_stage_says_subject_to_call_in(
    under_call_in, adopted_long_ago, officer
):
    client = client_for(officer)
    strategy = under_call_in
    for url in (
        strategy.get_absolute_url(),  # the stage badge and the details
        reverse("governance:route", args=[strategy.slug]),
        reverse("strategies:revisions", args=[strategy.slug]),  # the badge on another app's page
        reverse("strategies:list"),
        reverse("timeline"),
    ):
        assert Strategy.SUBJECT_TO_CALL_IN in client.get(url).text, url
    listed = client.get(reverse("strategies:list")).text
    older = listed[listed.index("Older strategy") :]
    assert older[: older.index("</tr>")].count("<td>Adopted</td>") == 1


def test_the_admin_list_says_it_too(under_call_in, adopted_long_ago, administrator):
    page = client_for(administrator).get(reverse("admin:strategies_strategy_changelist")).text
    assert page.count(Strategy.SUBJECT_TO_CALL_IN) == 1
    assert '<td class="field-stage_named">Adopted</td>' in page


def test_the_dashboard_counts_them_apart(under_call_in, adopted_long_ago, officer):
    sections = client_for(officer).get("/").context["sections"]
    counts = next(s.context for s in sections if s.template.endswith("_stages.html"))["counts"]
    labels = {c.label: (c.count, c.own) for c in counts}
    assert labels[Strategy.SUBJECT_TO_CALL_IN] == (1, 1)
    assert labels["Adopted"] == (1, 1)


def test_the_csv_says_it_too(under_call_in, adopted_long_ago, officer):
    rows = csv_rows(client_for(officer).get(reverse("governance:gates-csv")))
    stages = {row["strategy"]: row["stage"] for row in rows}
    assert stages[under_call_in.title] == Strategy.SUBJECT_TO_CALL_IN
    assert stages["Older strategy"] == "Adopted"


def test_after_the_period_it_is_plain_adopted(under_call_in, officer):
    later = TODAY + datetime.timedelta(days=30)
    from governance.deadlines import note_call_in

    [strategy] = note_call_in([Strategy.objects.get(pk=under_call_in.pk)], later)
    assert strategy.stage_label == "Adopted"


# One numbering of the route's gates -------------------------------------------------------------


def test_route_timeline_and_csv_number_parallel_gates_alike(
    strategy, board, cabinet, officer, manager
):
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [], TODAY, "month")
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [approve], TODAY, "month")
    workflow.add_gate(strategy, board, Purpose.NOTE, officer, [approve], TODAY, "month")
    client = client_for(manager)
    rows = csv_rows(client.get(reverse("governance:gates-csv")))
    assert [(r["body"], r["purpose"], r["step"]) for r in rows] == [
        ("Health and Wellbeing Board", "Approve", "1"),
        ("Cabinet", "Adopt", "2a"),
        ("Health and Wellbeing Board", "Note", "2b"),
    ]
    route = client.get(reverse("governance:route", args=[strategy.slug])).context
    assert [[v.number for v in step] for step in route["steps"]] == [["1"], ["2a", "2b"]]
    timeline = client.get(reverse("timeline")).context["timelines"][0]
    assert [line.number for line in timeline.lines] == ["1", "2a", "2b"]
    table = client.get(reverse("timeline")).text
    assert "<td>2a</td>" in table and "<td>2b</td>" in table


# Titles that give their years ------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Health and Wellbeing Strategy 2017-22",
        "Health and Wellbeing Strategy 2017–2022",
        "Health and Wellbeing Strategy 2017 to 2022",
        "Health and Wellbeing Strategy 2017/22",
    ],
)
def test_a_title_with_its_years_is_not_given_them_again(title, lead_org):
    strategy = StrategyFactory(lead_organisation=lead_org, title=title)
    assert strategy.title_with_period == title


def test_a_title_without_its_years_gets_the_period(lead_org):
    strategy = StrategyFactory(lead_organisation=lead_org, title="Health Strategy 2017")
    assert strategy.title_with_period == "Health Strategy 2017 2017–2022"


def test_the_committee_report_recommends_the_title_once(lead_org, board, officer):
    strategy = StrategyFactory(lead_organisation=lead_org, title="Wellbeing Strategy 2017-22")
    gate = workflow.add_gate(strategy, board, Purpose.ADOPT, officer)
    report = reports.start_report(gate, officer)
    assert report.title == "Wellbeing Strategy 2017-22"
    assert (
        report.recommendations
        == "That the Health and Wellbeing Board adopt the Wellbeing Strategy 2017-22."
    )
    assert "2017–2022" not in report.purpose + report.appendices


def test_pages_that_show_title_and_period_together_give_the_years_once(
    lead_org, board, officer, secretary
):
    strategy = StrategyFactory(lead_organisation=lead_org, title="Wellbeing Strategy 2017/22")
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    meeting = meeting_of(board, days_ago=1)
    workflow.schedule_gate(gate, meeting, secretary)
    client = client_for(secretary)
    for url in (
        meeting.get_absolute_url(),
        reverse("governance:record-decision", args=[gate.pk]),
    ):
        page = client.get(url).text
        assert "Wellbeing Strategy 2017/22" in page and "2017–2022" not in page, url
    assert Gate.objects.get(pk=gate.pk).strategy.title_with_period == strategy.title
