"""Bringing meetings in from Modern.gov: what a run creates, that a second run changes nothing,
and what it never overwrites (governance/moderngov/sync.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from governance import workflow
from governance.models import AgendaItem, Meeting, Purpose
from governance.moderngov.client import parse_time
from governance.moderngov.matching import match_gate
from governance.moderngov.sync import REASON


def _history_rows() -> int:
    return Meeting.history.count() + AgendaItem.history.count()


def test_a_run_creates_the_meetings_with_their_agenda_items_and_references(run, cabinet, board):
    report = run()

    assert report.errors == [] and len(report.created) == 3
    cabinet_meeting = Meeting.objects.get(body=cabinet, moderngov_id=5001)
    assert timezone.localtime(cabinet_meeting.starts_at) == timezone.make_aware(
        datetime.datetime(2031, 3, 12, 18, 30)
    )
    assert cabinet_meeting.time_known and cabinet_meeting.status == Meeting.Status.SCHEDULED
    assert cabinet_meeting.venue == "Council Chamber, Council House, Priory Road"
    assert Meeting.objects.get(moderngov_id=5002).status == Meeting.Status.CANCELLED
    board_meeting = Meeting.objects.get(body=board, moderngov_id=5003)
    assert timezone.localtime(board_meeting.starts_at).hour == 10  # "10.00 am"
    assert not Meeting.objects.filter(moderngov_id=4001).exists()  # outside the window

    item = cabinet_meeting.agenda_items.get(moderngov_id=70002)
    assert item.number == "7." and item.minute_number == "41"
    assert item.title == "Health and Wellbeing Strategy 2031 & its delivery plan"
    assert item.report_reference == "Report of the Director of Public Health (CAB/31/07)"
    assert item.report_url.endswith("/s90001/Report.pdf")
    assert [d["title"] for d in item.documents] == [
        "Report of the Director of Public Health (CAB/31/07)",
        "Appendix 1 - Strategy",
    ]  # the restricted appendix is never brought in
    assert item.is_decision and item.decision_date == datetime.date(2031, 3, 12)
    apologies = cabinet_meeting.agenda_items.get(moderngov_id=70001)
    assert apologies.minute_number == "" and apologies.decision_date is None
    assert [i.moderngov_id for i in cabinet_meeting.agenda_items.all()] == [70001, 70002]


def test_what_the_sync_writes_is_in_the_history_with_its_reason_and_no_one(run):
    run()
    record = Meeting.history.get(moderngov_id=5001)
    assert record.history_change_reason == REASON and record.history_user is None
    assert {r.history_change_reason for r in AgendaItem.history.all()} == {REASON}


def test_a_second_run_changes_nothing(run, site):
    run()
    rows = _history_rows()
    report = run()
    assert (report.created, report.updated, report.skipped, report.errors) == ([], [], [], [])
    assert report.unchanged == 3
    assert _history_rows() == rows
    site.refresh_from_db()
    assert site.last_result.endswith("Created 0, updated 0, unchanged 3, skipped 0, errors 0.")


def test_a_change_in_modern_gov_updates_the_meeting_and_its_items(run, fake_moderngov):
    run()
    xml = (fake_moderngov_file("GetMeeting_5001")).replace(b"18:30", b"19:00")
    xml = xml.replace(b"<minutesitemnumber>41", b"<minutesitemnumber>42")
    fake_moderngov.answers["GetMeeting_5001"] = xml
    report = run()
    meeting = Meeting.objects.get(moderngov_id=5001)
    assert timezone.localtime(meeting.starts_at).hour == 19
    assert meeting.agenda_items.get(moderngov_id=70002).minute_number == "42"
    assert len(report.updated) == 1 and "starts at" in report.updated[0]
    assert "1 agenda item(s) changed" in report.updated[0]


def test_a_meeting_people_changed_in_waymark_is_skipped_and_reported(run, fake_moderngov):
    run()
    meeting = Meeting.objects.get(moderngov_id=5001)
    meeting.venue = "Committee Room 2"
    meeting._change_reason = "Meeting changed"
    meeting.save()
    fake_moderngov.answers["GetMeeting_5001"] = fake_moderngov_file("GetMeeting_5001").replace(
        b"Council Chamber", b"Banqueting Suite"
    )
    rows = _history_rows()

    report = run()

    meeting.refresh_from_db()
    assert meeting.venue == "Committee Room 2"
    assert _history_rows() == rows
    assert len(report.skipped) == 1
    assert "its venue was changed in Waymark since it was brought in" in report.skipped[0]
    assert "Cabinet — 12 March 2031 (Modern.gov meeting 5001)" in report.skipped[0]


def test_a_meeting_changed_in_waymark_to_what_modern_gov_says_is_followed_again(
    run, fake_moderngov
):
    run()
    meeting = Meeting.objects.get(moderngov_id=5001)
    meeting.venue = "Banqueting Suite"
    meeting.save()
    fake_moderngov.answers["GetMeeting_5001"] = fake_moderngov_file("GetMeeting_5001").replace(
        b"Council Chamber, Council House, Priory Road", b"Banqueting Suite"
    )
    report = run()
    assert report.skipped == []
    meeting.refresh_from_db()
    assert meeting.moderngov_imported["venue"] == "Banqueting Suite"


def test_a_cancellation_withdraws_the_papers_sent_for_the_meeting(
    run, fake_moderngov, strategy, officer, cabinet, administrator
):
    run()
    meeting = Meeting.objects.get(moderngov_id=5001)
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    workflow.schedule_gate(gate, meeting, administrator)
    workflow.publish_agenda(meeting, timezone.localdate(), administrator)
    fake_moderngov.answers["GetMeeting_5001"] = fake_moderngov_file("GetMeeting_5001").replace(
        b"<meetingstatus>Confirmed", b"<meetingstatus>Cancelled"
    )

    report = run()

    meeting.refresh_from_db()
    gate.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and gate.papers_revision is None
    assert "cancelled, papers of 1 withdrawn" in report.updated[0]
    assert meeting.history.first().history_change_reason == REASON


def test_its_time_is_not_moved_once_strategies_are_on_its_agenda(
    run, fake_moderngov, strategy, officer, cabinet, administrator
):
    run()
    meeting = Meeting.objects.get(moderngov_id=5001)
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    workflow.schedule_gate(gate, meeting, administrator)
    fake_moderngov.answers["GetMeeting_5001"] = fake_moderngov_file("GetMeeting_5001").replace(
        b"12/03/2031", b"19/03/2031"
    )
    report = run()
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).day == 12
    assert "its time is part of the record" in report.skipped[0]


def test_a_meeting_typed_in_waymark_that_day_is_linked_or_left_as_typed(run, cabinet, board):
    same = Meeting.objects.create(
        body=cabinet,
        starts_at=timezone.make_aware(datetime.datetime(2031, 3, 12, 18, 30)),
        venue="Council Chamber, Council House, Priory Road",
    )
    other = Meeting.objects.create(
        body=board, starts_at=timezone.make_aware(datetime.datetime(2031, 6, 24, 14, 0))
    )
    report = run()
    same.refresh_from_db()
    other.refresh_from_db()
    assert same.moderngov_id == 5001 and same.agenda_items.count() == 2
    assert other.moderngov_id is None and timezone.localtime(other.starts_at).hour == 14
    assert any("already has a meeting that day" in line for line in report.skipped)
    assert Meeting.objects.filter(body=board).count() == 1


def test_an_item_gone_from_modern_gov_goes_unless_a_gate_is_matched_to_it(
    run, fake_moderngov, strategy, officer, cabinet, administrator
):
    run()
    meeting = Meeting.objects.get(moderngov_id=5001)
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    gate = workflow.schedule_gate(gate, meeting, administrator)
    match_gate(meeting.agenda_items.get(moderngov_id=70002), gate, administrator)
    empty = fake_moderngov_file("GetMeeting_5001").split(b"<agendaitems>")[0]
    fake_moderngov.answers["GetMeeting_5001"] = empty + b"<agendaitems/></meeting>"
    report = run()
    assert list(meeting.agenda_items.values_list("moderngov_id", flat=True)) == [70002]
    assert "matched to a gate, so it is kept" in report.skipped[0]
    assert "1 agenda item(s) removed" in report.updated[0]


def test_times_as_councils_write_them():
    assert parse_time("18:30") == datetime.time(18, 30)
    assert parse_time("2.30 pm") == datetime.time(14, 30)
    assert parse_time("10am") == datetime.time(10, 0)
    assert parse_time("12.00 pm") == datetime.time(12, 0)
    assert parse_time("") is None and parse_time("TBC") is None


def fake_moderngov_file(name: str) -> bytes:
    from .fake_server import HERE

    return (HERE / f"{name}.xml").read_bytes()
