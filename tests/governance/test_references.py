"""The record councils keep, entered in the browser and shown on the governance pages: a gate's
place on its meeting's agenda (report number, agenda item), its Forward Plan reference and note,
a decision's minute and decision notice references, its date known only to the month, and a
decision recorded after the fact; a meeting's minutes."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from audit.verify import verify
from governance import workflow
from governance.dates import long_date
from governance.models import Decision, Gate, Meeting, Purpose
from tests.conftest import as_read, client_for
from tests.factories import StrategyFactory
from tests.governance.conftest import decide, meeting_of

D = datetime.date
FROM = "the minutes of the Health and Wellbeing Board of March 2017"


def month_meeting(body, year=2017, month=3) -> Meeting:
    """A meeting the council's records give only to the month."""
    starts = timezone.make_aware(datetime.datetime(year, month, 1, 14))
    return Meeting.objects.create(body=body, starts_at=starts, date_precision="month")


def error_beside(page: str, field: str, message: str) -> bool:
    """The message is shown in the field's own error (crispy's `error_<n>_id_<field>`)."""
    found = re.search(rf'id="error_\d+_id_{field}"[^>]*>(.*?)</', page, re.S)
    return found is not None and message in found.group(1)


# A gate's place on the agenda ------------------------------------------------------------------


def test_secretary_gives_the_agenda_item_and_report_number_when_putting_a_gate_on(
    secretary, board, board_gate
):
    meeting = meeting_of(board, days_ago=-10)
    client = client_for(secretary)
    response = client.post(
        meeting.get_absolute_url(),
        {"gate": board_gate.pk, "agenda_item": " 7b ", "report_number": "HWB 12/17"},
    )
    assert response.status_code == 302
    board_gate.refresh_from_db()
    assert (board_gate.meeting, board_gate.agenda_item, board_gate.report_number) == (
        meeting,
        "7b",
        "HWB 12/17",
    )
    page = client.get(meeting.get_absolute_url()).text
    assert "<td>7b</td>" in page and "HWB 12/17" in page
    route = client.get(f"/strategies/{board_gate.strategy.slug}/route/").text
    assert "Item 7b; report HWB 12/17" in route


def test_the_meeting_page_lists_its_items_in_agenda_order(secretary, board, officer, lead_org):
    meeting = meeting_of(board, days_ago=-10)
    for title, item in [("A strategy", "10"), ("B strategy", "7b"), ("C strategy", "")]:
        gate = workflow.add_gate(
            StrategyFactory(lead_organisation=lead_org, title=title), board, "review", officer
        )
        workflow.schedule_gate(gate, meeting, secretary, agenda_item=item)
    page = client_for(secretary).get(meeting.get_absolute_url()).text
    assert page.index("B strategy") < page.index("A strategy") < page.index("C strategy")


def test_an_agenda_item_with_a_superscript_or_other_script_digit_is_ordered_not_refused(
    secretary, board, officer, lead_org
):
    """'¹' is a digit to str.isdigit but not a number to int(): it sorts as text. A digit of
    another script ('٨', Arabic-Indic eight) is a number, as int() reads it."""
    meeting = meeting_of(board, days_ago=-10)
    for title, item in [("A strategy", "7¹"), ("B strategy", "٨"), ("C strategy", "7")]:
        gate = workflow.add_gate(
            StrategyFactory(lead_organisation=lead_org, title=title), board, "review", officer
        )
        workflow.schedule_gate(gate, meeting, secretary, agenda_item=item)
    response = client_for(secretary).get(meeting.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    assert page.index("C strategy") < page.index("A strategy") < page.index("B strategy")


def test_agenda_references_are_changed_afterwards_with_history(secretary, board, board_gate):
    meeting = meeting_of(board, days_ago=-10)
    workflow.schedule_gate(board_gate, meeting, secretary, agenda_item="7")
    client = client_for(secretary)
    url = f"/gates/{board_gate.pk}/agenda/"
    assert 'value="7"' in client.get(url).text
    response = client.post(
        url, {"agenda_item": "7b", "report_number": "HWB 12/17", "comment": "Late item"}
    )
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    board_gate.refresh_from_db()
    assert (board_gate.agenda_item, board_gate.report_number) == ("7b", "HWB 12/17")
    latest = board_gate.history.first()
    assert latest.history_change_reason == "Late item" and latest.history_user == secretary
    versions = board_gate.history.count()
    unchanged = client.post(url, {"agenda_item": "7b", "report_number": "HWB 12/17"}, follow=True)
    assert "Nothing was changed, so nothing was saved." in unchanged.text
    assert board_gate.history.count() == versions


def test_a_reference_too_long_comes_back_beside_its_field(secretary, board, board_gate):
    workflow.schedule_gate(board_gate, meeting_of(board, days_ago=-10), secretary)
    long = "R" * 61
    response = client_for(secretary).post(
        f"/gates/{board_gate.pk}/agenda/", {"agenda_item": "7", "report_number": long}
    )
    assert response.status_code == 200
    assert error_beside(response.text, "report_number", "at most 60 characters")
    assert f'value="{long}"' in response.text
    board_gate.refresh_from_db()
    assert board_gate.report_number == "" and board_gate.agenda_item == ""


def test_a_gate_on_no_meeting_has_no_agenda_references(secretary, board_gate):
    response = client_for(secretary).get(f"/gates/{board_gate.pk}/agenda/", follow=True)
    assert "put it on one first" in response.text
    with pytest.raises(workflow.WorkflowError, match="not on a meeting"):
        workflow.set_agenda_references(board_gate, secretary, "X 1", "1")


def test_put_on_another_meeting_a_gate_takes_its_place_there(secretary, board, board_gate):
    first = meeting_of(board, days_ago=3)
    workflow.schedule_gate(board_gate, first, secretary, "HWB 1/17", "4")
    workflow.record_decision(board_gate, secretary, "deferred", "Deferred.", reasons="Papers late")
    workflow.schedule_gate(Gate.objects.get(pk=board_gate.pk), meeting_of(board, -5), secretary)
    board_gate.refresh_from_db()
    assert (board_gate.report_number, board_gate.agenda_item) == ("", "")


# The Forward Plan reference, and the note -----------------------------------------------------


def test_the_forward_plan_reference_is_planned_with_the_key_decision(
    officer, strategy, cabinet, board
):
    client = client_for(officer)
    url = f"/strategies/{strategy.slug}/route/gates/add/"
    refused = client.post(
        url,
        {"body": board.pk, "purpose": "review", "planned_precision": "not_set",
         "forward_plan_reference": "KD/2017/041"},
    )  # fmt: skip
    assert error_beside(refused.text, "forward_plan_reference", "Only a key decision")
    assert 'value="KD/2017/041"' in refused.text
    added = client.post(
        url,
        {"body": cabinet.pk, "purpose": "adopt", "planned_precision": "not_set",
         "key_decision": "on", "forward_plan_reference": "KD/2017/041"},
    )  # fmt: skip
    assert added.status_code == 302
    gate = strategy.gates.get()
    assert gate.forward_plan_reference == "KD/2017/041"
    route = client.get(f"/strategies/{strategy.slug}/route/").text
    assert "Forward Plan reference KD/2017/041" in route


def test_re_planning_changes_the_reference_and_the_note_with_history(officer, strategy, cabinet):
    gate = workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, key_decision=True, note="First thoughts"
    )
    client = client_for(officer)
    url = f"/strategies/{strategy.slug}/route/gates/{gate.pk}/replan/"
    form = client.get(url).context["form"]
    assert form.initial["note"] == "First thoughts"
    response = client.post(
        url,
        {"planned_precision": "not_set", "key_decision": "on",
         "forward_plan_reference": "KD/2017/041", "note": "Cabinet's November meeting",
         "comment": "Listed", "seen_plan": form.initial["seen_plan"]},
    )  # fmt: skip
    assert response.status_code == 302
    gate.refresh_from_db()
    assert (gate.forward_plan_reference, gate.note) == ("KD/2017/041", "Cabinet's November meeting")
    assert gate.history.first().history_change_reason == "Listed"
    # Not a key decision any more: its Forward Plan reference goes with it.
    workflow.replan_gate(gate, None, "not_set", officer, key_decision=False)
    gate.refresh_from_db()
    assert gate.forward_plan_reference == "" and gate.note == "Cabinet's November meeting"


def test_adding_only_the_forward_plan_notice_date_is_saved(strategy, cabinet, officer):
    """The bug: re-planning a gate to add only the notice date said "re-planned" and saved
    nothing (the fields were compared after they had been changed)."""
    gate = workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, planned_date=D(2031, 3, 12),
        precision="day", key_decision=True,
    )  # fmt: skip
    url = f"/strategies/{strategy.slug}/route/gates/{gate.pk}/replan/"
    client = client_for(officer)
    form = client.get(url).context["form"]
    notice = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(
        url,
        {"planned_date": "2031-03-12", "planned_precision": "day", "key_decision": "on",
         "forward_plan_published_on": notice.isoformat(), "seen_plan": form.initial["seen_plan"]},
        follow=True,
    )  # fmt: skip
    gate.refresh_from_db()
    assert gate.forward_plan_published_on == notice
    assert gate.history.first().history_change_reason == "Re-planned"
    assert "re-planned" in response.text


# The decision's record ------------------------------------------------------------------------


def test_an_executive_decision_with_its_minute_and_decision_notice_references(
    strategy, cabinet, officer, cabinet_secretary
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    meeting = meeting_of(cabinet, days_ago=4)
    workflow.schedule_gate(gate, meeting, cabinet_secretary, "CAB 12/17", "7b")
    client = client_for(cabinet_secretary)
    form_page = client.get(f"/gates/{gate.pk}/decide/").text
    for label in ["Minute reference", "Decision notice reference", "Date known to",
                  "Recorded after the fact"]:  # fmt: skip
        assert label in form_page
    response = client.post(
        f"/gates/{gate.pk}/decide/",
        {"outcome": "approved", "decided_on": meeting.local_day.isoformat(),
         "decided_precision": "day", "minute_reference": "Minute 34/17",
         "decision_notice_reference": "DN 2017/12", "resolution": "Adopted.",
         "reasons": "Meets the assessed needs.", "alternatives_considered": "None."},
    )  # fmt: skip
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.minute_reference, decision.decision_notice_reference) == (
        "Minute 34/17",
        "DN 2017/12",
    )
    page = client.get(decision.get_absolute_url()).text
    assert "Minute 34/17" in page and "DN 2017/12" in page
    assert long_date(meeting.local_day) in page
    route = client.get(f"/strategies/{strategy.slug}/route/").text
    assert f"Approved on {long_date(meeting.local_day)}</a> (Minute 34/17)" in route
    assert verify() == []


def test_a_decision_known_to_the_month_and_recorded_after_the_fact(
    strategy, board, board_gate, secretary
):
    meeting = month_meeting(board)
    workflow.schedule_gate(board_gate, meeting, secretary)
    client = client_for(secretary)
    form = client.get(f"/gates/{board_gate.pk}/decide/").context["form"]
    assert form["decided_precision"].value() == "month"  # as the meeting is known
    response = client.post(
        f"/gates/{board_gate.pk}/decide/",
        {"outcome": "approved", "decided_on": "2017-03-15", "decided_precision": "month",
         "minute_reference": "12/17", "resolution": "Agreed.", "recorded_later": "on",
         "recorded_from": FROM},
    )  # fmt: skip
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.decided_on, decision.decided_precision) == (D(2017, 3, 1), "month")
    assert decision.decided_when == "March 2017" and decision.recorded_later
    recorded = (
        f"Recorded on {long_date(timezone.localdate())} by {secretary.display_name}, from {FROM}."
    )
    page = client.get(decision.get_absolute_url()).text
    assert "March 2017" in page and "1 March 2017" not in page
    assert "Recorded after the fact" in page and recorded in page
    route = client.get(f"/strategies/{strategy.slug}/route/").text
    assert "Approved in March 2017</a> (Minute 12/17)" in route
    assert "Recorded after the fact" in route and recorded in route
    assert "1 March 2017" not in route
    # The move it made says so, with its minute, in the route's moves and the strategy's history.
    label = (
        "Health and Wellbeing Board: approved in March 2017 (Minute 12/17) "
        f"(recorded after the fact, from {FROM})"
    )
    assert board_gate.history.first().history_change_reason == label
    history = client.get(f"/strategies/{strategy.slug}/history/").text
    assert "recorded after the fact, from the minutes" in history
    assert "(Minute 12/17)" in history
    assert verify() == []


def test_a_decision_known_to_the_month_is_kept_on_its_meetings_day_in_that_month(
    board, board_gate, secretary
):
    held = meeting_of(board, days_ago=0)
    workflow.schedule_gate(board_gate, held, secretary)
    decision = workflow.record_decision(
        board_gate, secretary, "approved", "Agreed.", decided_on=held.local_day,
        decided_precision="month",
    )  # fmt: skip
    assert decision.decided_on == held.local_day  # not the 1st, before the meeting


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"recorded_later": "on"}, "recorded_from", "Say where the decision was taken from"),
        ({"recorded_from": FROM}, "recorded_from", "Only a decision recorded after the fact"),
        ({"minute_reference": "M" * 61}, "minute_reference", "at most 60 characters"),
        ({"decided_on": "2017-02-10"}, "decided_on", "cannot be dated before its meeting"),
        ({"decided_precision": "quarter"}, "decided_precision", "Select a valid choice"),
    ],
)
def test_a_decision_form_with_a_problem_comes_back_with_it_beside_the_field(
    board, board_gate, secretary, typed, field, message
):
    workflow.schedule_gate(board_gate, month_meeting(board), secretary)
    sent = {"outcome": "approved", "decided_on": "2017-03-20", "decided_precision": "month",
            "resolution": "Agreed.", **typed}  # fmt: skip
    response = client_for(secretary).post(f"/gates/{board_gate.pk}/decide/", sent)
    assert response.status_code == 200
    assert error_beside(response.text, field, message), response.text
    for value in typed.values():
        if value != "on":
            assert value in response.text
    assert not Decision.objects.exists()


def test_a_correction_adds_the_references_and_the_months_precision(board, board_gate, secretary):
    original = decide(board_gate, secretary, resolution="Agreed.")
    client = client_for(secretary)
    url = f"/decisions/{original.pk}/correct/"
    form = client.get(url).context["form"]
    assert form["decided_on"].value() == original.decided_on
    response = client.post(
        url,
        {"resolution": "Agreed.", "decided_on": original.decided_on.isoformat(),
         "decided_precision": "month", "minute_reference": "Minute 40/17",
         "recorded_later": "on", "recorded_from": "the minutes", "comment": "From the minutes"},
    )  # fmt: skip
    assert response.status_code == 302
    correction = Decision.objects.get(corrects=original)
    assert correction.minute_reference == "Minute 40/17" and correction.decided_precision == "month"
    assert correction.recorded_later and correction.recorded_from == "the minutes"
    original.refresh_from_db()
    assert original.minute_reference == "" and original.decided_precision == "day"
    # A correction of the wording alone keeps the references.
    again = workflow.correct_decision(correction, secretary, "Agreed, as minuted.")
    assert (again.minute_reference, again.decided_precision, again.recorded_from) == (
        "Minute 40/17",
        "month",
        "the minutes",
    )
    assert verify() == []


# A meeting's minutes -----------------------------------------------------------------------------


def test_the_secretary_records_the_minutes_with_history_and_they_are_shown(
    secretary, board, board_gate
):
    meeting = meeting_of(board, days_ago=2)
    workflow.schedule_gate(board_gate, meeting, secretary)
    client = client_for(secretary)
    url = f"/meetings/{meeting.pk}/edit/"
    form = client.get(url).context["form"]
    assert "starts_at" not in form.fields and "body" not in form.fields  # part of the record
    minutes = "34/17 Health and Wellbeing Strategy\nRESOLVED that the strategy be approved."
    response = client.post(
        url, {"venue": "Council House", "minutes": minutes, **as_read(client, url)}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == minutes and meeting.venue == "Council House"
    assert meeting.history.first().history_change_reason == "Meeting changed"
    again = {"venue": "Council House", "minutes": minutes + " Carried.",
             "reason": "Approved at the next meeting"}  # fmt: skip
    client.post(url, again | as_read(client, url))
    assert meeting.history.first().history_change_reason == "Approved at the next meeting"
    page = client.get(meeting.get_absolute_url()).text
    assert 'id="minutes-heading">Minutes</h2>' in page and "RESOLVED that the strategy" in page


def test_a_meeting_with_nothing_on_its_agenda_can_still_be_moved(secretary, board):
    meeting = meeting_of(board, days_ago=-20)
    client, url = client_for(secretary), f"/meetings/{meeting.pk}/edit/"
    response = client.post(
        url,
        {"body": board.pk, "starts_at_0": "2031-03-12", "starts_at_1": "18:00",
         "date_precision": "day", "venue": "", "minutes": "", **as_read(client, url)},
    )  # fmt: skip
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).date() == D(2031, 3, 12)


# The admin --------------------------------------------------------------------------------------


def _action(client, name, ids, **data):
    return client.post("/admin/governance/gate/", {"action": name, "_selected_action": ids, **data})


def test_the_admin_actions_take_the_references(
    administrator, strategy, board, board_gate, cabinet, officer
):
    client = client_for(administrator)
    meeting = month_meeting(board)
    _action(client, "schedule", [board_gate.pk], meeting=meeting.pk, apply="1",
            agenda_item="4", report_number="HWB 3/17")  # fmt: skip
    board_gate.refresh_from_db()
    assert (board_gate.agenda_item, board_gate.report_number) == ("4", "HWB 3/17")
    _action(client, "record_decision", [board_gate.pk], apply="1", outcome="approved",
            decided_on="2017-03-09", decided_precision="month", minute_reference="12/17",
            resolution="Agreed.", recorded_later="on", recorded_from=FROM)  # fmt: skip
    decision = Decision.objects.get()
    assert (decision.decided_when, decision.minute_reference) == ("March 2017", "12/17")
    assert decision.recorded_later and decision.recorded_from == FROM
    key = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, note="Keep me")
    _action(client, "replan", [key.pk], apply="1", planned_precision="not_set",
            key_decision="on", forward_plan_reference="KD/2017/041")  # fmt: skip
    key.refresh_from_db()
    assert key.forward_plan_reference == "KD/2017/041" and key.note == "Keep me"
    # Shown where the models are: read only for decisions, as every decision field is.
    decision_page = client.get(f"/admin/governance/decision/{decision.pk}/change/").text
    assert "12/17" in decision_page and FROM in decision_page and "Month only" in decision_page
    assert "March 2017" in client.get("/admin/governance/decision/").text
    gate_page = client.get(f"/admin/governance/gate/{board_gate.pk}/change/").text
    assert "HWB 3/17" in gate_page and "Agenda item" in gate_page
    meeting_page = client.get(f"/admin/governance/meeting/{meeting.pk}/change/").text
    assert 'name="minutes"' in meeting_page and 'name="starts_at_0"' not in meeting_page


# The workflow's own checks, whichever door is used ----------------------------------------------


def test_only_the_bodys_secretaries_change_agenda_references(
    board, board_gate, secretary, officer, cabinet_secretary, administrator
):
    workflow.schedule_gate(board_gate, meeting_of(board, days_ago=-3), secretary)
    for person in (officer, cabinet_secretary):
        assert workflow.agenda_references_refusal(person, board_gate)
        with pytest.raises(workflow.WorkflowError, match="Only a secretary"):
            workflow.set_agenda_references(board_gate, person, "X 1/17", "1")
    assert workflow.set_agenda_references(board_gate, administrator, "X 1/17", "1")
    assert not workflow.set_agenda_references(board_gate, secretary, " X 1/17 ", "1")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"recorded_later": True}, "Say where the decision was taken from"),
        ({"recorded_from": FROM}, "Only a decision recorded after the fact"),
        ({"decided_precision": "quarter"}, "known to the day or only to the month"),
    ],
)
def test_record_decision_refuses_a_record_that_does_not_hold_together(
    board, board_gate, secretary, given, message
):
    workflow.schedule_gate(board_gate, meeting_of(board, days_ago=1), secretary)
    with pytest.raises(workflow.WorkflowError, match=message):
        workflow.record_decision(board_gate, secretary, "approved", "Agreed.", **given)
    assert not Decision.objects.exists()


def test_a_correction_takes_only_the_records_fields(board, board_gate, secretary):
    decision = decide(board_gate, secretary)
    with pytest.raises(TypeError, match="outcome"):
        workflow.correct_decision(decision, secretary, "Agreed.", outcome="rejected")
    corrected = workflow.correct_decision(
        decision, secretary, "Agreed.", minute_reference="", decided_precision=None
    )
    assert corrected.decided_precision == "day" and corrected.corrects == decision


def test_two_secretaries_recording_minutes_never_overwrite_each_other(secretary, board):
    summer = timezone.make_aware(datetime.datetime(2025, 7, 15, 10))  # 09:00 UTC
    meeting = Meeting.objects.create(body=board, starts_at=summer)
    url = f"/meetings/{meeting.pk}/edit/"
    mine, theirs = client_for(secretary), client_for(secretary)
    opened = as_read(mine, url)
    typed = {"body": board.pk, "starts_at_0": "2025-07-15", "starts_at_1": "10:00",
             "date_precision": "day", "venue": "Council House"}  # fmt: skip
    assert theirs.post(url, typed | {"minutes": "Theirs"} | as_read(theirs, url)).status_code == 302
    refused = mine.post(url, typed | {"minutes": "Mine"} | opened)
    assert refused.status_code == 200
    assert "Someone else changed this while you were editing" in refused.text
    # Only what differs, each as written: not the unchanged time, in summer time or not.
    assert refused.context["form"].conflict_rows() == [("Minutes", "Theirs", "Mine")]
    meeting.refresh_from_db()
    assert meeting.minutes == "Theirs"
    again = refused.context["form"].data  # now remembers their save: saving again is deliberate
    assert mine.post(url, again).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Mine"
