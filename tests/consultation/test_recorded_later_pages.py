"""Wherever a consultation recorded after the fact shows, it shows its real dates and says it was
recorded after the fact, when, by whom and from what: its staff page, its public page, the
strategy's consultation tab, the route, the timeline and its responses. Nothing warns of what
is long over; its page notes what its dates show was missed."""

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
from governance.dates import long_date
from portal.dashboard.consultations import consultations_section
from portal.reports.consultation import window_summaries
from portal.timeline import load_timelines
from tests.conftest import client_for, downloaded
from tests.consultation.conftest import answers_for
from tests.consultation.test_recorded_later import CLOSED, OPENED, SOURCE

RESULT = "Most respondents agreed with the three priorities."


def record(window, by, **changes) -> ConsultationWindow:
    typed = {
        "opens_on": OPENED,
        "closes_on": CLOSED,
        "result": RESULT,
        "recorded_from": SOURCE,
        "reported_responses": 412,
        **changes,
    }
    return workflow.record_window(window, by, workflow.RunRecord(**typed))


def text(response) -> str:
    assert response.status_code == 200
    words = re.sub(r"<[^>]+>", " ", response.content.decode())  # the page as it reads
    return " ".join(html.unescape(words).split())


@pytest.fixture
def recorded(past, officer):
    return record(past, officer)


def mark(by) -> str:
    return f"Recorded on {long_date(timezone.localdate())} by {by.display_name}, from {SOURCE}"


def test_its_staff_page_shows_the_real_dates_and_the_mark(recorded, officer):
    page = text(client_for(officer).get(recorded.get_absolute_url()))
    assert "1 May 2017 to 31 July 2017 (92 days)" in page
    assert f"Recorded after the fact: {mark(officer)}." in page
    assert "412 responses reported; not recorded one by one" in page
    assert RESULT in page
    assert "Record a consultation that has run" not in page  # done: not offered again


def test_its_public_page_shows_it_closed_with_its_result_never_open(recorded, officer):
    response = client_for(None).get(recorded.get_public_url())
    page = text(response)
    assert "This consultation has closed: 1 May 2017 to 31 July 2017." in page
    assert f"Recorded on {long_date(timezone.localdate())}, from {SOURCE}." in page
    assert officer.display_name not in page  # who keeps the records is internal
    assert RESULT in page and "412 responses reported" in page
    assert "What was proposed" in page
    assert "Send my response" not in page and "Open for responses" not in page
    refused = client_for(None).post(recorded.get_public_url(), {"respondent_type": "individual"})
    assert refused.status_code == 410


def test_the_strategy_consultation_tab_marks_it(recorded, officer, strategy):
    page = text(client_for(officer).get(reverse("consultation:strategy", args=[strategy.slug])))
    assert mark(officer) in page
    assert "Closed (recorded after the fact)" in page
    assert "412 reported, not one by one" in page


def test_the_route_dates_its_gate_the_day_it_really_closed_and_marks_it(
    recorded, officer, strategy
):
    page = text(client_for(officer).get(reverse("governance:route", args=[strategy.slug])))
    assert "When 1 May to 31 July 2017" in page  # the span it really ran
    assert f"Note {mark(officer)}. 412 responses reported" in page


def test_the_timeline_draws_it_on_its_real_dates(recorded, officer, strategy):
    today = timezone.localdate()
    lines = load_timelines([strategy], today)[0].lines
    (line,) = [line for line in lines if line.gate.purpose == "consult"]
    assert line.final.day == CLOSED and line.planned_text == "31 July 2017"
    assert line.final.label == f"Closed on 31 July 2017. {mark(officer)}"
    assert (line.span.starts_on, line.span.ends_on) == (OPENED, CLOSED)
    page = text(client_for(officer).get(reverse("timeline")))
    assert f"Closed on 31 July 2017. {mark(officer)}" in page


def test_responses_by_day_says_how_many_were_reported_instead_of_a_chart(recorded, officer):
    page = text(client_for(officer).get(reverse("consultation:analysis", args=[recorded.pk])))
    assert "Responses: 412 reported" in page
    assert "412 responses reported; not recorded one by one." in page
    assert "No responses yet" not in page and "Responses by day" not in page
    assert f"Recorded after the fact: {mark(officer)}." in page


def test_responses_keyed_in_later_show_beside_the_number_reported(recorded, officer, strategy):
    # The report gave 412; two paper forms are keyed in from the archive afterwards. No page
    # may go on saying "not recorded one by one", nor lose the reported number.
    for _ in range(2):
        workflow.key_in_response(
            recorded,
            officer,
            "paper",
            datetime.date(2017, 6, 1),
            "individual",
            answers_for(recorded),
        )
    both = "412 responses reported; 2 recorded one by one"
    public = text(client_for(None).get(recorded.get_public_url()))
    assert f"{both}." in public and "not recorded one by one" not in public
    (summary,) = window_summaries([recorded.gate_id]).values()
    assert f"{both}." in summary.paragraphs
    gates = downloaded(client_for(officer).get(reverse("governance:gates-csv")))
    (row,) = [row for row in csv.DictReader(io.StringIO(gates)) if row["purpose"] == "Consult"]
    assert row["outcome"] == both  # the route and the CSV of gates
    tab = text(client_for(officer).get(reverse("consultation:strategy", args=[strategy.slug])))
    assert "2 (412 reported)" in tab and "not one by one" not in tab
    page = text(client_for(officer).get(recorded.get_absolute_url()))
    assert "2 responses: analysis (412 reported)" in page
    analysis = text(client_for(officer).get(reverse("consultation:analysis", args=[recorded.pk])))
    assert "Responses: 2 (412 reported)" in analysis


def test_the_committee_report_tells_it_as_it_ran_without_a_response_long_due(recorded):
    (summary,) = window_summaries([recorded.gate_id]).values()
    assert summary.paragraphs[0].startswith("“Have your say on our strategy” ran from 1 May 2017")
    # Where it comes from, not the day it was entered, which a report of the time cannot know.
    assert f"From {SOURCE}." in summary.paragraphs
    assert not any("Recorded on" in paragraph for paragraph in summary.paragraphs)
    assert "412 responses reported; not recorded one by one." in summary.paragraphs
    assert not any("is due by" in paragraph for paragraph in summary.paragraphs)


# No false warnings; the rules its dates show were missed ---------------------------------------


def test_no_false_warning_of_a_response_long_due(recorded, officer, strategy, lead_org):
    assert recorded.response_due_by < timezone.localdate()  # 12 weeks after July 2017
    window = ConsultationWindow.objects.with_recording().get(pk=recorded.pk)
    assert not window.response_is_overdue
    page = text(client_for(officer).get(recorded.get_absolute_url()))
    assert "Response overdue" not in page and "Shorter than policy" not in page
    tab = text(client_for(officer).get(reverse("consultation:strategy", args=[strategy.slug])))
    assert "response overdue" not in tab
    dashboard = text(client_for(officer).get(reverse("home")))
    assert recorded.title not in dashboard


def test_the_dashboard_still_chases_a_response_due_after_it_was_recorded(
    planned, officer, lead_org
):
    today = timezone.localdate()
    opened, closed = today - datetime.timedelta(days=179), today - datetime.timedelta(days=80)
    window = record(planned, officer, opens_on=opened, closes_on=closed)
    assert window.response_chased  # due in 4 days: recorded before it was due
    dashboard = text(client_for(officer).get(reverse("home")))
    assert f"{window.title} Response due by {long_date(window.response_due_by)}" in dashboard


def test_its_page_notes_a_minimum_missed_with_no_reason_on_record(past, officer):
    window = record(past, officer, closes_on=datetime.date(2017, 6, 11), no_reason_on_record=True)
    assert workflow.missed_rules(window) == [
        "The recorded dates show it ran 42 days, shorter than the 84-day minimum in the "
        "organisation's policy, and no reason is on record."
    ]
    page = text(client_for(officer).get(window.get_absolute_url()))
    assert "Rule missed: The recorded dates show it ran 42 days" in page
    assert "Reason recorded: none yet" not in page


def test_a_short_one_with_its_reason_recorded_misses_no_rule(past, officer):
    reason = "The Board agreed a six-week consultation to meet the Cabinet's timetable."
    window = record(past, officer, closes_on=datetime.date(2017, 6, 11), short_window_reason=reason)
    assert workflow.missed_rules(window) == []
    page = text(client_for(officer).get(window.get_absolute_url()))
    assert "Rule missed" not in page and reason in page


def test_the_dashboard_says_a_planned_month_not_yet_over_has_not_passed(planned, officer, lead_org):
    today = timezone.localdate()
    planned.opens_on, planned.closes_on = today.replace(day=1), today + datetime.timedelta(90)
    planned.date_precision = "month"
    planned.save()
    section = consultations_section(dashboard_for(officer, today))
    (opening,) = section["opening"]
    assert not opening.late_to_open  # "this month" has not passed while it lasts
    planned.date_precision = "day"
    planned.opens_on = today - datetime.timedelta(days=1)
    planned.save()
    section = consultations_section(dashboard_for(officer, today))
    assert section["opening"][0].late_to_open


def dashboard_for(user, today):
    from portal.dashboard import Dashboard

    return Dashboard(user, today)


def test_recording_it_keeps_the_gates_note_with_the_result_after_it(past, officer):
    from governance.models import Gate

    Gate.objects.filter(pk=past.gate_id).update(note="Run with the CCG's engagement team")
    record(past, officer)
    note = Gate.objects.get(pk=past.gate_id).note
    assert note.startswith("Run with the CCG's engagement team\n")
    assert RESULT in note
