"""The calendar feed (`/calendar.ics`) parsed back with the icalendar package, its secret
address, and the staff page (`/calendar/`) that gives and resets it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from accounts.feed_keys import reset_feed_key
from consultation.models import ConsultationWindow, Event
from governance import workflow
from governance.deadlines import call_in
from governance.models import Body, BodySecretary, Meeting, Purpose
from strategies.models import Strategy, StrategyPartner, User
from tests.conftest import client_for
from tests.factories import StrategyFactory
from tests.governance.conftest import decide, meeting_of
from tests.ladder import climb

FEED = "/calendar.ics"


def london(year, month, day, hour=14, minute=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def with_key(user: User) -> User:
    reset_feed_key(user, "Test")
    return user


def fetch(user: User, **params):
    """The feed of every date (the tests' dates are from 2017), unless the test gives dates."""
    if not {"from", "to", "window"} & set(params):
        params["window"] = "all"
    return Client().get(FEED, {"key": user.calendar_token, **params})


def parse(response) -> Calendar:
    assert response.status_code == 200, response.content
    return Calendar.from_ical(response.content)


def events(response) -> dict[str, object]:
    """The feed's events by UID (each UID once)."""
    found = {}
    for event in parse(response).walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in found, f"{uid} appears twice"
        found[uid] = event
    return found


def summaries(response) -> set[str]:
    return {str(e["SUMMARY"]) for e in events(response).values()}


@pytest.fixture
def route(strategy, board, cabinet, officer):
    """The Board approves on an exact day; the Cabinet adopts in a month (a key decision)."""
    approve = workflow.add_gate(
        strategy,
        board,
        Purpose.APPROVE,
        officer,
        planned_date=datetime.date(2017, 7, 12),
        precision="day",
    )
    adopt = workflow.add_gate(
        strategy,
        cabinet,
        Purpose.ADOPT,
        officer,
        [approve],
        planned_date=datetime.date(2017, 9, 20),
        precision="month",
    )
    return approve, adopt


# The file itself --------------------------------------------------------------------------------


def test_feed_is_valid_icalendar_with_every_required_property(officer, route, strategy):
    response = fetch(with_key(officer))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="waymark.ics"'
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"
    calendar = parse(response)
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert "Waymark" in str(calendar["PRODID"])
    found = events(response)
    assert set(found) >= {f"gate-{route[0].pk}@waymark", f"gate-{route[1].pk}@waymark"}
    for event in found.values():
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL"):
            assert prop in event, f"{event['UID']} has no {prop}"
        assert str(event["URL"]).startswith("http://testserver/")
    gate = found[f"gate-{route[0].pk}@waymark"]
    assert str(gate["URL"]) == f"http://testserver/strategies/{strategy.slug}/route/"
    assert gate.decoded("DTSTART") == datetime.date(2017, 7, 12)
    assert str(gate["SUMMARY"]) == f"Health and Wellbeing Board: approve {strategy.title}"


def test_head_request_answers_without_a_body(officer, route):
    response = Client().head(FEED, {"key": with_key(officer).calendar_token})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")


@pytest.mark.parametrize(
    "planned, precision, first, label",
    [
        (datetime.date(2017, 9, 20), "month", datetime.date(2017, 9, 1), "month: September 2017"),
        (datetime.date(2017, 8, 10), "quarter", datetime.date(2017, 7, 1), "quarter: Q3 2017"),
        (datetime.date(2017, 10, 5), "season", datetime.date(2017, 9, 1), "season: autumn 2017"),
        (datetime.date(2018, 1, 5), "season", datetime.date(2017, 12, 1), "season: winter 2017/18"),
    ],
)
def test_imprecise_dates_are_all_day_notes_on_their_first_day_with_the_precision_in_the_title(
    officer, strategy, cabinet, planned, precision, first, label
):
    gate = workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, planned_date=planned, precision=precision
    )
    event = events(fetch(with_key(officer)))[f"gate-{gate.pk}@waymark"]
    assert str(event["SUMMARY"]) == f"Cabinet: adopt {strategy.title} ({label})"
    assert event.decoded("DTSTART") == first
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event.decoded("DTEND") == first + datetime.timedelta(days=1)
    assert str(event["TRANSP"]) == "TRANSPARENT"


def test_gates_without_a_date_are_left_out(officer, strategy, cabinet):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    assert f"gate-{gate.pk}@waymark" not in events(fetch(with_key(officer)))


def test_a_replanned_gate_keeps_its_uid(officer, route, secretary, board):
    approve, adopt = route
    with_key(officer)
    uid = f"gate-{adopt.pk}@waymark"
    before = events(fetch(officer))[uid]
    workflow.replan_gate(adopt, datetime.date(2017, 10, 11), "day", officer, "Moved to October")
    after = events(fetch(officer))
    assert after[uid].decoded("DTSTART") == datetime.date(2017, 10, 11)
    assert before.decoded("DTSTART") == datetime.date(2017, 9, 1)
    assert str(after[uid]["SUMMARY"]).endswith(adopt.strategy.title)  # no precision any more
    # Put on a meeting, it becomes a timed event, still under the same UID.
    meeting = Meeting.objects.create(body=board, starts_at=london(2017, 7, 12, 10))
    workflow.schedule_gate(approve, meeting, secretary)
    scheduled = events(fetch(officer))[f"gate-{approve.pk}@waymark"]
    assert scheduled.decoded("DTSTART") == london(2017, 7, 12, 10)


def test_meetings_are_timed_in_london_with_a_duration(secretary, board, strategy, route):
    summer = Meeting.objects.create(body=board, starts_at=london(2017, 7, 12, 14), venue="Hall")
    winter = Meeting.objects.create(body=board, starts_at=london(2017, 12, 6, 10))
    response = fetch(with_key(secretary))
    found = events(response)
    event = found[f"meeting-{summer.pk}@waymark"]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=1)  # BST
    assert event.decoded("DTSTART").hour == 14 and event.decoded("DTEND").hour == 16
    assert str(event["LOCATION"]) == "Hall"
    assert str(event["SUMMARY"]) == "Health and Wellbeing Board meeting"
    # Secretaries open the meeting's own page.
    assert str(event["URL"]) == f"http://testserver/meetings/{summer.pk}/"
    assert found[f"meeting-{winter.pk}@waymark"].decoded("DTSTART").utcoffset() == (
        datetime.timedelta(0)
    )
    assert [tz["TZID"] for tz in parse(response).walk("VTIMEZONE")] == ["Europe/London"]


def test_each_gate_names_its_own_body_and_meeting(officer, strategy, board, cabinet):
    """The lines about a body and a meeting are written once for all the gates that share them
    (portal/calendar/gates.py `_said`): every gate still names its own."""
    from governance.models import Gate

    first, second = (
        workflow.add_gate(strategy, board, purpose, officer)
        for purpose in (Purpose.REVIEW, Purpose.APPROVE)
    )
    adopt = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    summer = Meeting.objects.create(body=board, starts_at=london(2017, 7, 12, 14))
    winter = Meeting.objects.create(body=cabinet, starts_at=london(2017, 12, 6, 10))
    Gate.objects.filter(pk__in=[first.pk, second.pk]).update(meeting=summer)
    Gate.objects.filter(pk=adopt.pk).update(meeting=winter)
    found = events(fetch(with_key(officer)))
    said = {
        gate: str(found[f"gate-{gate.pk}@waymark"]["DESCRIPTION"])
        for gate in (first, second, adopt)
    }
    for gate in (first, second):
        assert (
            f"Meeting: {summer}" in said[gate] and "Body: Health and Wellbeing Board" in said[gate]
        )
    assert f"Meeting: {winter}" in said[adopt] and "Body: Cabinet" in said[adopt]
    assert str(summer) not in said[adopt] and str(winter) not in said[first]


def test_meetings_known_to_the_month_and_cancelled_meetings(secretary, board):
    month = Meeting.objects.create(
        body=board, starts_at=london(2017, 3, 15), date_precision="month"
    )
    cancelled = Meeting.objects.create(
        body=board, starts_at=london(2017, 4, 5), status=Meeting.Status.CANCELLED
    )
    found = events(fetch(with_key(secretary)))
    note = found[f"meeting-{month.pk}@waymark"]
    assert str(note["SUMMARY"]) == "Health and Wellbeing Board meeting (month: March 2017)"
    assert note.decoded("DTSTART") == datetime.date(2017, 3, 1)
    assert f"meeting-{month.pk}-agenda-deadline@waymark" not in found  # not known to the day
    gone = found[f"meeting-{cancelled.pk}@waymark"]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert str(gone["SUMMARY"]).startswith("Cancelled: ")
    assert f"meeting-{cancelled.pk}-agenda-deadline@waymark" not in found


def test_a_meeting_with_no_time_recorded_is_all_day_on_its_day(
    secretary, officer, board, strategy, route
):
    approve, _adopt = route
    meeting = Meeting.objects.create(
        body=board, starts_at=london(2017, 7, 12, 0), time_known=False, venue="Hall"
    )
    workflow.schedule_gate(approve, meeting, secretary)
    found = events(fetch(with_key(secretary)))
    entry = found[f"meeting-{meeting.pk}@waymark"]
    assert entry["DTSTART"].params.get("VALUE") == "DATE"
    assert entry.decoded("DTSTART") == datetime.date(2017, 7, 12)
    assert entry.decoded("DTEND") == datetime.date(2017, 7, 13)  # the day after: exclusive
    assert str(entry["SUMMARY"]) == "Health and Wellbeing Board meeting"  # no precision note
    assert "Time not recorded." in str(entry["DESCRIPTION"])
    assert f"meeting-{meeting.pk}-agenda-deadline@waymark" in found  # its day is known
    gate = events(fetch(with_key(officer)))[f"gate-{approve.pk}@waymark"]
    assert gate.decoded("DTSTART") == datetime.date(2017, 7, 12)
    assert gate["DTSTART"].params.get("VALUE") == "DATE" and str(gate["LOCATION"]) == "Hall"


def test_text_with_commas_semicolons_and_new_lines_survives(officer, strategy, board):
    strategy.title = "Health, care; and wellbeing\\strategy"
    strategy.save()
    gate = workflow.add_gate(
        strategy,
        board,
        Purpose.NOTE,
        officer,
        planned_date=datetime.date(2017, 7, 12),
        precision="day",
        note="First line\nSecond, with comma",
    )
    event = events(fetch(with_key(officer)))[f"gate-{gate.pk}@waymark"]
    assert str(event["SUMMARY"]).endswith("Health, care; and wellbeing\\strategy")
    assert "First line\nSecond, with comma" in str(event["DESCRIPTION"])


# Deadlines -------------------------------------------------------------------------------------


def test_agenda_publication_deadline_of_a_public_meeting(secretary, board):
    meeting = Meeting.objects.create(body=board, starts_at=london(2017, 9, 13, 14))
    found = events(fetch(with_key(secretary)))
    deadline = found[f"meeting-{meeting.pk}-agenda-deadline@waymark"]
    # shared/DEADLINES.md: 5 clear working days before Wednesday 13 September 2017.
    assert deadline.decoded("DTSTART") == datetime.date(2017, 9, 5)
    assert str(deadline["SUMMARY"]) == (
        "Agenda publication deadline: Health and Wellbeing Board meeting of 13 September 2017"
    )
    assert "Deadline" in [str(c) for c in deadline.categories]


def test_no_agenda_deadline_for_a_body_meeting_in_private(secretary, board):
    board.meets_in_public = False
    board.save()
    meeting = Meeting.objects.create(body=board, starts_at=london(2017, 9, 13, 14))
    found = events(fetch(with_key(secretary)))
    assert f"meeting-{meeting.pk}@waymark" in found
    assert f"meeting-{meeting.pk}-agenda-deadline@waymark" not in found


def test_forward_plan_notice_of_a_key_decision_at_an_executive_body(officer, strategy, cabinet):
    gate = workflow.add_gate(
        strategy,
        cabinet,
        Purpose.ADOPT,
        officer,
        planned_date=datetime.date(2017, 9, 13),
        precision="day",
        key_decision=True,
    )
    notice = events(fetch(with_key(officer)))[f"gate-{gate.pk}-forward-plan@waymark"]
    # shared/DEADLINES.md: 28 clear days before 13 September 2017.
    assert notice.decoded("DTSTART") == datetime.date(2017, 8, 15)
    assert str(notice["SUMMARY"]) == f"Forward Plan notice due: Cabinet: adopt {strategy.title}"
    # Re-planned to a month, the notice is a guide from the month's first day, same UID.
    workflow.replan_gate(gate, datetime.date(2017, 10, 20), "month", officer)
    notice = events(fetch(officer))[f"gate-{gate.pk}-forward-plan@waymark"]
    assert str(notice["SUMMARY"]).endswith("(decision planned for October 2017)")


def test_no_forward_plan_notice_once_the_key_decision_is_taken(
    officer, strategy, cabinet, cabinet_secretary
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, key_decision=True)
    decide(gate, cabinet_secretary, days_ago=3)
    found = events(fetch(with_key(officer)))
    assert f"gate-{gate.pk}-forward-plan@waymark" not in found
    assert "needs notice" not in str(found[f"gate-{gate.pk}@waymark"]["DESCRIPTION"])


def test_no_forward_plan_notice_for_other_gates(officer, route):
    found = events(fetch(with_key(officer)))
    assert not [uid for uid in found if uid.endswith("-forward-plan@waymark")]


def test_end_of_the_call_in_period_after_an_executive_decision(
    officer, strategy, cabinet, cabinet_secretary, board, secretary
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    decision = decide(gate, cabinet_secretary, "approved", days_ago=20)
    board_gate = workflow.add_gate(strategy, board, Purpose.NOTE, officer)
    decide(board_gate, secretary, "noted", days_ago=10)  # not executive: no call-in
    found = events(fetch(with_key(officer)))
    end = found[f"gate-{gate.pk}-call-in@waymark"]
    assert end.decoded("DTSTART") == call_in(decision).ends_on
    assert str(end["SUMMARY"]) == f"Call-in period ends: Cabinet: adopt {strategy.title}"
    assert str(end["URL"]) == f"http://testserver/decisions/{decision.pk}/"
    assert f"gate-{board_gate.pk}-call-in@waymark" not in found


def test_no_call_in_for_a_refused_executive_decision(officer, strategy, cabinet, cabinet_secretary):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    decide(gate, cabinet_secretary, "deferred")
    assert f"gate-{gate.pk}-call-in@waymark" not in events(fetch(with_key(officer)))


@pytest.fixture
def consultation(strategy, board, officer):
    gate = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    window = ConsultationWindow.objects.create(
        strategy=strategy,
        gate=gate,
        title="Have your say",
        slug="have-your-say",
        opens_on=datetime.date(2017, 6, 1),
        closes_on=datetime.date(2017, 8, 31),
        minimum_days=84,
    )
    Event.objects.create(
        window=window, title="Drop-in at the library", starts_at=london(2017, 6, 20, 18)
    )
    return window


def test_consultation_opens_closes_response_due_and_events(officer, strategy, consultation):
    found = events(fetch(with_key(officer)))
    pk = consultation.pk
    opens = found[f"consultation-{pk}-opens@waymark"]
    assert opens.decoded("DTSTART") == datetime.date(2017, 6, 1)
    assert str(opens["SUMMARY"]) == "Consultation opens: Have your say"
    assert str(opens["URL"]) == f"http://testserver/strategies/{strategy.slug}/consultation/"
    closes = found[f"consultation-{pk}-closes@waymark"]
    assert closes.decoded("DTSTART") == datetime.date(2017, 8, 31)
    due = found[f"consultation-{pk}-response-due@waymark"]
    assert due.decoded("DTSTART") == datetime.date(2017, 11, 23)  # 12 weeks after closing
    event = [e for uid, e in found.items() if uid.startswith("consultation-event-")][0]
    assert event.decoded("DTSTART") == london(2017, 6, 20, 18)
    assert str(event["SUMMARY"]) == "Consultation event: Drop-in at the library"
    # The consultation gate itself has no dates of its own: its window's are the ones shown.
    assert f"gate-{consultation.gate_id}@waymark" not in found


def _event_entry(user, consultation, **dates):
    """The feed's entry for a new event of `consultation` on `dates`."""
    event = Event.objects.create(window=consultation, title="Engagement", **dates)
    return events(fetch(with_key(user)))[f"consultation-event-{event.pk}@waymark"]


def test_an_event_with_no_time_recorded_is_all_day_on_its_day(officer, consultation):
    entry = _event_entry(officer, consultation, starts_at=london(2017, 6, 20, 0), time_known=False)
    assert entry["DTSTART"].params.get("VALUE") == "DATE"
    assert (entry.decoded("DTSTART"), entry.decoded("DTEND")) == (
        datetime.date(2017, 6, 20),
        datetime.date(2017, 6, 21),
    )


def test_an_event_over_several_days_is_all_day_from_its_first_to_its_last(officer, consultation):
    entry = _event_entry(
        officer, consultation, starts_at=london(2017, 7, 3, 10), ends_on=datetime.date(2017, 7, 5)
    )
    assert entry["DTSTART"].params.get("VALUE") == "DATE"
    # DTEND is the day after the last (RFC 5545: the end of an all-day event is exclusive).
    assert (entry.decoded("DTSTART"), entry.decoded("DTEND")) == (
        datetime.date(2017, 7, 3),
        datetime.date(2017, 7, 6),
    )
    assert "When: 3–5 July 2017, starting at 10:00" in str(entry["DESCRIPTION"])


def test_events_over_months_run_from_the_first_of_the_first_to_the_end_of_the_last(
    officer, consultation
):
    entry = _event_entry(
        officer, consultation, starts_at=london(2017, 7, 15, 0), time_known=False,
        ends_on=datetime.date(2017, 8, 10), date_precision="month",
    )  # fmt: skip
    assert (entry.decoded("DTSTART"), entry.decoded("DTEND")) == (
        datetime.date(2017, 7, 1),
        datetime.date(2017, 9, 1),
    )
    assert str(entry["SUMMARY"]) == "Consultation event: Engagement (month: July–August 2017)"


def test_a_consultation_planned_for_a_season_is_a_note_without_a_response_date(
    officer, consultation
):
    consultation.opens_on = datetime.date(2017, 7, 1)
    consultation.closes_on = datetime.date(2017, 8, 1)
    consultation.date_precision = "season"
    consultation.save()
    found = events(fetch(with_key(officer)))
    opens = found[f"consultation-{consultation.pk}-opens@waymark"]
    assert str(opens["SUMMARY"]) == "Consultation opens: Have your say (season: summer 2017)"
    assert opens.decoded("DTSTART") == datetime.date(2017, 6, 1)
    assert f"consultation-{consultation.pk}-response-due@waymark" not in found


# Filters ---------------------------------------------------------------------------------------


def test_filter_by_strategy(officer, lead_org, route, cabinet):
    second = StrategyFactory(lead_organisation=lead_org, title="Second strategy")
    other_gate = workflow.add_gate(
        second,
        cabinet,
        Purpose.ADOPT,
        officer,
        planned_date=datetime.date(2018, 1, 10),
        precision="day",
    )
    with_key(officer)
    everything = events(fetch(officer))
    assert f"gate-{other_gate.pk}@waymark" in everything
    response = fetch(officer, strategy=second.slug)
    only = events(response)
    assert f"gate-{other_gate.pk}@waymark" in only
    assert f"gate-{route[0].pk}@waymark" not in only
    assert str(parse(response)["X-WR-CALNAME"]) == "Waymark: Second strategy"


def test_filter_by_body(officer, route, board, cabinet):
    found = events(fetch(with_key(officer), body=str(cabinet.pk)))
    assert f"gate-{route[1].pk}@waymark" in found
    assert f"gate-{route[0].pk}@waymark" not in found


def test_filter_by_organisation(officer, strategy, route, other_org, manager, cabinet):
    partnered = StrategyFactory(lead_organisation=other_org, title="Partnered strategy")
    StrategyPartner.objects.create(strategy=partnered, organisation=strategy.lead_organisation)
    theirs = workflow.add_gate(
        partnered,
        Body.objects.create(organisation=other_org, name="MK Cabinet", kind="cabinet"),
        Purpose.ADOPT,
        _officer_of(other_org),
        planned_date=datetime.date(2018, 2, 1),
        precision="day",
    )
    found = events(fetch(with_key(manager), organisation=other_org.slug))
    assert f"gate-{theirs.pk}@waymark" in found
    assert f"gate-{route[0].pk}@waymark" not in found
    # The lead organisation's filter covers the strategies it partners, too.
    found = events(fetch(manager, organisation=strategy.lead_organisation.slug))
    assert {f"gate-{theirs.pk}@waymark", f"gate-{route[0].pk}@waymark"} <= set(found)


def _officer_of(organisation) -> User:
    from tests.factories import UserFactory

    return UserFactory(organisation=organisation, role=User.Role.OFFICER)


@pytest.mark.parametrize(
    "params",
    [{"body": "cabinet"}, {"body": "-1"}, {"body": "1" * 12}, {"strategy": "../etc"}],
)
def test_malformed_filters_get_a_clear_400(officer, route, params):
    response = fetch(with_key(officer), **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "filter must be" in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"strategy": "no-such-strategy"}, {"organisation": "nowhere"}, {"body": "999999"}]
)
def test_filters_matching_nothing_give_an_empty_calendar(officer, route, params):
    assert events(fetch(with_key(officer), **params)) == {}


# The secret address ---------------------------------------------------------------------------


def test_wrong_reset_empty_and_missing_keys_are_all_plain_404(officer, route):
    old = with_key(officer).calendar_token
    reset_feed_key(officer, "Test")
    assert fetch(officer).status_code == 200
    answers = [
        Client().get(FEED, {"key": old}),  # reset
        Client().get(FEED, {"key": "x" * 43}),  # wrong
        Client().get(FEED, {"key": old[:-1] + ("A" if old[-1] != "A" else "B")}),  # nearly
        Client().get(FEED, {"key": ""}),  # empty
        Client().get(FEED),  # missing
        Client().get(FEED, {"key": old + " "}),
    ]
    for response in answers:
        assert response.status_code == 404
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content == answers[0].content


def test_an_empty_key_never_matches_users_without_a_feed(officer, secretary, route):
    assert officer.calendar_token == "" and secretary.calendar_token == ""
    assert Client().get(FEED, {"key": ""}).status_code == 404


def test_an_inactive_users_key_is_refused(officer, route):
    with_key(officer)
    officer.is_active = False
    officer.save()
    assert fetch(officer).status_code == 404


def test_the_feed_answers_to_the_key_never_to_a_signed_in_session(
    officer, manager, other_org, route
):
    elsewhere = Body.objects.create(organisation=other_org, name="MK Board", kind="hwb")
    theirs = Meeting.objects.create(body=elsewhere, starts_at=london(2017, 7, 13))
    client = client_for(manager)  # the manager would see every meeting
    assert client.get(FEED).status_code == 404
    found = events(client.get(FEED, {"key": with_key(officer).calendar_token, "window": "all"}))
    assert f"gate-{route[0].pk}@waymark" in found
    assert f"meeting-{theirs.pk}@waymark" not in found


# Who sees what ---------------------------------------------------------------------------------


def test_another_organisations_draft_is_never_in_the_feed(other_officer, route, strategy):
    with_key(other_officer)
    for params in [{}, {"strategy": strategy.slug}, {"body": str(route[0].body_id)}]:
        response = fetch(other_officer, **params)
        assert events(response) == {}
        assert strategy.title not in response.content.decode()


def test_another_organisations_adopted_strategy_is_there_when_asked_for(
    other_officer, route, strategy
):
    Strategy.objects.filter(pk=strategy.pk).update(stage=Strategy.Stage.ADOPTED)
    with_key(other_officer)
    # Not in their everyday feed (it is not theirs), but readable when they pick it.
    assert f"gate-{route[0].pk}@waymark" not in events(fetch(other_officer))
    assert f"gate-{route[0].pk}@waymark" in events(fetch(other_officer, strategy=strategy.slug))


def test_secretaries_see_what_their_bodies_consider_and_their_bodies_meetings(
    other_secretary, other_org, strategy, officer
):
    scrutiny = Body.objects.create(organisation=other_org, name="Scrutiny", kind="scrutiny")
    BodySecretary.objects.create(body=scrutiny, user=other_secretary)
    quiet = Meeting.objects.create(body=scrutiny, starts_at=london(2017, 5, 3))
    with_key(other_secretary)
    found = events(fetch(other_secretary))
    assert set(found) == {
        f"meeting-{quiet.pk}@waymark",
        f"meeting-{quiet.pk}-agenda-deadline@waymark",
    }
    gate = workflow.add_gate(
        strategy,
        scrutiny,
        Purpose.SCRUTINISE,
        officer,
        planned_date=datetime.date(2017, 5, 3),
        precision="day",
    )
    assert f"gate-{gate.pk}@waymark" in events(fetch(other_secretary))


def test_officers_see_meetings_of_bodies_on_their_routes_linked_to_the_route(
    officer, strategy, route, other_org, board
):
    ours = Meeting.objects.create(body=board, starts_at=london(2017, 7, 12))
    unrelated = Body.objects.create(organisation=other_org, name="MK Board", kind="hwb")
    theirs = Meeting.objects.create(body=unrelated, starts_at=london(2017, 7, 13))
    found = events(fetch(with_key(officer)))
    assert str(found[f"meeting-{ours.pk}@waymark"]["URL"]) == (
        f"http://testserver/strategies/{strategy.slug}/route/"
    )
    assert f"meeting-{theirs.pk}@waymark" not in found


def test_meeting_descriptions_list_only_strategies_the_user_can_read(
    secretary, board, strategy, officer, other_org, other_officer
):
    meeting = meeting_of(board, days_ago=-10)
    ours = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer)
    workflow.schedule_gate(ours, meeting, secretary)
    their_draft = StrategyFactory(lead_organisation=other_org, title="Their secret draft")
    theirs = workflow.add_gate(their_draft, board, Purpose.DISCUSS, other_officer)
    workflow.schedule_gate(theirs, meeting, secretary)
    response = fetch(with_key(officer))
    description = str(events(response)[f"meeting-{meeting.pk}@waymark"]["DESCRIPTION"])
    assert f"On the agenda: {strategy.title} (discuss)" in description
    assert "Their secret draft" not in response.content.decode()
    # The board's secretary reads both: their board considers both.
    description = str(
        events(fetch(with_key(secretary)))[f"meeting-{meeting.pk}@waymark"]["DESCRIPTION"]
    )
    assert "On the agenda: Their secret draft (discuss)" in description


def test_managers_and_administrators_see_every_meeting(manager, administrator, board, other_org):
    elsewhere = Body.objects.create(organisation=other_org, name="MK Board", kind="hwb")
    meetings = [
        Meeting.objects.create(body=board, starts_at=london(2017, 7, 12)),
        Meeting.objects.create(body=elsewhere, starts_at=london(2017, 7, 13)),
    ]
    for user in (manager, administrator):
        found = events(fetch(with_key(user)))
        for meeting in meetings:
            assert str(found[f"meeting-{meeting.pk}@waymark"]["URL"]).endswith(
                f"/meetings/{meeting.pk}/"
            )


# A fixed number of queries -------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 5])
def test_feed_query_count_does_not_grow(
    manager,
    lead_org,
    board,
    cabinet,
    officer,
    secretary,
    cabinet_secretary,
    size,
    django_assert_num_queries,
):
    for n in range(size):
        strategy = StrategyFactory(lead_organisation=lead_org)
        first = workflow.add_gate(
            strategy,
            board,
            Purpose.APPROVE,
            officer,
            planned_date=datetime.date(2017, 9, 1),
            precision="month",
        )
        workflow.schedule_gate(first, meeting_of(board, days_ago=-20 - n), secretary)
        adopt = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, key_decision=True)
        decide(adopt, cabinet_secretary, "approved", days_ago=5 + n)
        consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
        window = ConsultationWindow.objects.create(
            strategy=strategy,
            gate=consult,
            title=f"Consultation {n}",
            slug=f"consultation-{n}",
            opens_on=datetime.date(2017, 6, 1),
            closes_on=datetime.date(2017, 8, 31),
            minimum_days=84,
        )
        Event.objects.create(window=window, title="Event", starts_at=london(2017, 6, 20))
    with_key(manager)
    client = Client()
    # user by key; gates; their bodies; executive decisions; meetings; consultation windows;
    # their events
    with django_assert_num_queries(7):
        response = client.get(FEED, {"key": manager.calendar_token, "window": "all"})
    found = events(response)
    assert len([uid for uid in found if uid.endswith("-call-in@waymark")]) == size
    assert len([uid for uid in found if uid.startswith("consultation-event-")]) == size


def test_a_gate_removed_while_the_feed_is_read_still_has_its_body(officer, route, monkeypatch):
    """The bodies are read after the gates (portal/calendar/gates.py _attach_bodies): by the ids
    the rows hold, so a gate removed between the two reads, its body's only one, is still
    written with its body rather than failing the feed."""
    from governance.models import Gate
    from portal.calendar import gates as feed_gates

    read = feed_gates.with_shared_relations

    def read_then_remove(*args, **kwargs):
        rows = read(*args, **kwargs)
        Gate.objects.filter(pk__in=[gate.pk for gate in rows]).update(state=Gate.State.REMOVED)
        return rows

    monkeypatch.setattr(feed_gates, "with_shared_relations", read_then_remove)
    approve, adopt = route
    found = events(fetch(with_key(officer)))
    assert "Body: Cabinet" in str(found[f"gate-{adopt.pk}@waymark"]["DESCRIPTION"])


def test_collection_pauses_for_a_block_and_resumes_however_it_ends():
    """portal.calendar.garbage.paused: off inside (nested, and across threads, until the last block
    ends), back on after, even when the block raises; left off if it was off before."""
    import gc
    import threading

    from portal.calendar.garbage import paused

    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()

    with pytest.raises(RuntimeError), paused():
        raise RuntimeError("the page failed")
    assert gc.isenabled()

    # Another thread's block ends first: collection stays off until this one ends too.
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=other)
    with paused():
        worker.start()
        inside.wait(5)
        release.set()
        worker.join(5)
        assert not gc.isenabled()
    assert gc.isenabled()

    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()  # someone else had switched it off: left so
    finally:
        gc.enable()


def test_the_feed_is_built_and_written_with_collection_paused(monkeypatch, officer, route):
    """portal.calendar.garbage.paused around the feed (docs/decisions/0042), and back on after."""
    import gc

    from portal.calendar import feed as calendar_feed

    seen = []
    build, write = calendar_feed.feed_entries, calendar_feed.to_ical

    def building(*args, **kwargs):
        seen.append(("build", gc.isenabled()))
        return build(*args, **kwargs)

    def writing(*args, **kwargs):
        seen.append(("write", gc.isenabled()))
        return write(*args, **kwargs)

    monkeypatch.setattr(calendar_feed, "feed_entries", building)
    monkeypatch.setattr(calendar_feed, "to_ical", writing)
    assert events(fetch(with_key(officer)))
    assert seen == [("build", False), ("write", False)]
    assert gc.isenabled()


# Conditional requests ---------------------------------------------------------------------------


def test_an_unchanged_feed_answers_304_to_its_etag(officer, route):
    first = fetch(with_key(officer))
    tag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{64}"', tag)  # strong: a hash of the file
    again = fetch(officer)
    assert again.content == first.content and again["ETag"] == tag
    response = Client().get(
        FEED, {"key": officer.calendar_token, "window": "all"}, headers={"If-None-Match": tag}
    )
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == tag
    assert response["Cache-Control"] == "private, no-store"
    head = Client().head(
        FEED, {"key": officer.calendar_token, "window": "all"}, headers={"If-None-Match": tag}
    )
    assert head.status_code == 304


def test_a_change_that_alters_the_feed_gives_200_with_a_new_etag(officer, route, secretary, board):
    first = fetch(with_key(officer))
    workflow.replan_gate(route[0], datetime.date(2017, 7, 19), "day", officer, "A week later")
    response = Client().get(
        FEED,
        {"key": officer.calendar_token, "window": "all"},
        headers={"If-None-Match": first["ETag"]},
    )
    assert response.status_code == 200 and response["ETag"] != first["ETag"]
    gate = events(response)[f"gate-{route[0].pk}@waymark"]
    assert gate.decoded("DTSTART") == datetime.date(2017, 7, 19)


def test_a_bad_key_is_refused_before_the_etag_is_looked_at(officer, route):
    tag = fetch(with_key(officer))["ETag"]
    response = Client().get(
        FEED, {"key": "x" * 43, "window": "all"}, headers={"If-None-Match": tag}
    )
    assert response.status_code == 404 and "ETag" not in response


# The window of dates ----------------------------------------------------------------------------


def _planned(strategy, cabinet, officer, day, precision="day"):
    return workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, planned_date=day, precision=precision
    )


def test_by_default_the_feed_covers_a_year_back_to_two_years_ahead(
    officer, strategy, cabinet, board
):
    today = timezone.localdate()
    later = _planned(strategy, cabinet, officer, today + datetime.timedelta(days=3 * 365))
    soon = _planned(strategy, board, officer, today + datetime.timedelta(days=30))
    long_ago = _planned(strategy, board, officer, today - datetime.timedelta(days=400))
    with_key(officer)
    default = events(Client().get(FEED, {"key": officer.calendar_token}))
    assert f"gate-{soon.pk}@waymark" in default
    assert f"gate-{later.pk}@waymark" not in default
    assert f"gate-{long_ago.pk}@waymark" not in default
    assert f"gate-{later.pk}@waymark" in events(fetch(officer, window="all"))
    wider = (today + datetime.timedelta(days=4 * 365)).isoformat()
    found = events(fetch(officer, to=wider))
    assert {f"gate-{later.pk}@waymark", f"gate-{soon.pk}@waymark"} <= set(found)
    assert f"gate-{long_ago.pk}@waymark" not in found
    earlier = (today - datetime.timedelta(days=500)).isoformat()
    found = events(fetch(officer, **{"from": earlier}))
    assert f"gate-{long_ago.pk}@waymark" in found and f"gate-{later.pk}@waymark" not in found


def test_a_period_reaching_into_the_window_keeps_its_note(officer, strategy, cabinet):
    # Known only to the quarter: shown on 1 July 2017, kept while any of July-September is in.
    gate = _planned(strategy, cabinet, officer, datetime.date(2017, 8, 10), "quarter")
    with_key(officer)
    assert f"gate-{gate.pk}@waymark" in events(fetch(officer, **{"from": "2017-09-30"}))
    assert f"gate-{gate.pk}@waymark" not in events(fetch(officer, **{"from": "2017-10-01"}))
    found = events(fetch(officer, **{"from": "2017-01-01", "to": "2017-07-01"}))
    assert f"gate-{gate.pk}@waymark" in found
    found = events(fetch(officer, **{"from": "2017-01-01", "to": "2017-06-30"}))
    assert f"gate-{gate.pk}@waymark" not in found


def test_dates_far_outside_the_window_are_not_worked_out_and_change_nothing(
    monkeypatch, officer, strategy, cabinet, board
):
    """gates.may_fall_within and consultations.may_fall_within: a gate or consultation whose
    dates cannot reach the window is passed over before its entries are made; every window
    gives the same file as working everything out and leaving them to the window."""
    from portal.calendar import consultations as feed_consultations
    from portal.calendar import gates as feed_gates

    cabinet.organisation.key_decision_notice_days = 700  # a notice reaching two years back
    cabinet.organisation.save()
    cabinet.is_executive = True
    cabinet.save()
    for year in (2012, 2015, 2016, 2017, 2018, 2019, 2024):
        for precision, month in [("day", 1), ("month", 6), ("quarter", 11), ("season", 12)]:
            workflow.add_gate(
                strategy,
                cabinet,
                Purpose.ADOPT,
                officer,
                planned_date=datetime.date(year, month, 28),
                precision=precision,
                key_decision=True,
            )
        for starts_at, month_only in [
            (london(year, 3, 3, 10), False),
            (london(year, 2, 28, 23, 30), True),
        ]:
            gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
            gate.meeting = Meeting.objects.create(
                body=board,
                starts_at=starts_at,
                date_precision="month" if month_only else "day",
            )
            gate.save()
        ConsultationWindow.objects.create(
            strategy=strategy,
            title=f"Have your say {year}",
            slug=f"have-your-say-{year}",
            opens_on=datetime.date(year, 10, 1),
            closes_on=datetime.date(year, 12, 24),
            minimum_days=84,
        )
        ConsultationWindow.objects.create(  # known to the month, its closing only
            strategy=strategy,
            title=f"Engagement {year}",
            slug=f"engagement-{year}",
            closes_on=datetime.date(year, 11, 1),
            date_precision="month",
            minimum_days=84,
        )
    with_key(officer)
    windows = [
        {"window": "all"},
        {"from": "2017-01-01", "to": "2017-12-31"},
        {"from": "2016-12-20", "to": "2017-01-05"},
        {"from": "2018-03-01", "to": "2018-03-31"},
        {"from": "2021-01-01", "to": "2021-01-31"},
        {"from": "2017-02-20", "to": "2017-03-05"},  # a winter's end; a notice of 2019
        {"from": "0001-01-01", "to": "0001-12-31"},
        {"from": "9999-01-01", "to": "9999-12-31"},
    ]
    made = []
    make = feed_gates._gate_entry
    monkeypatch.setattr(
        feed_gates, "_gate_entry", lambda gate, *a: made.append(gate) or make(gate, *a)
    )

    def feeds() -> dict[str, tuple[bytes, int]]:
        found = {}
        for dates in windows:
            made.clear()
            found[str(dates)] = (fetch(officer, **dates).content, len(made))
        return found

    pruned = feeds()
    monkeypatch.setattr(feed_gates, "may_fall_within", lambda gate, days, *meeting: True)
    monkeypatch.setattr(feed_consultations, "may_fall_within", lambda window, days: True)
    whole = feeds()
    for dates in windows:
        assert pruned[str(dates)][0] == whole[str(dates)][0], dates
    every = len(strategy.gates.exclude(purpose=Purpose.CONSULT))
    assert {made for _, made in whole.values()} == {every}
    assert pruned[str(windows[0])][1] == every  # every date: every gate
    assert pruned[str(windows[3])][1] < every / 2  # a month of 2018: 2012 to 2016 left
    assert pruned[str(windows[4])][1] == 0  # January 2021: none near enough


def test_an_event_over_several_days_is_kept_while_any_day_is_inside(officer, consultation):
    event = Event.objects.create(
        window=consultation,
        title="Engagement",
        starts_at=london(2017, 6, 20, 10),
        ends_on=datetime.date(2017, 6, 23),
    )
    uid = f"consultation-event-{event.pk}@waymark"
    with_key(officer)
    assert uid in events(fetch(officer, **{"from": "2017-06-23", "to": "2017-12-31"}))
    assert uid not in events(fetch(officer, **{"from": "2017-06-24", "to": "2017-12-31"}))


@pytest.mark.parametrize(
    "params, says",
    [
        ({"from": "2017-13-01"}, "from date must be a day written YYYY-MM-DD"),
        ({"to": "31/12/2030"}, "to date must be a day written YYYY-MM-DD"),
        ({"from": "2030-01-01", "to": "2029-01-01"}, "must not be before the from date"),
        ({"from": "2999-01-01"}, "give a to date too"),
        ({"to": "1999-01-01"}, "give a from date too"),
        ({"window": "everything"}, "window must be window=all"),
        ({"window": "all", "from": "2017-01-01"}, "leave them out"),
    ],
)
def test_bad_dates_get_a_clear_400(officer, route, params, says):
    response = Client().get(FEED, {"key": with_key(officer).calendar_token, **params})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert says in response.content.decode()


# The Calendar feed page ------------------------------------------------------------------------


def test_calendar_page_ladder(request, officer):
    climb(
        request,
        reverse("calendar"),
        {"officer": 200, "secretary": 200, "manager": 200, "administrator": 200},
    )


def test_page_offers_to_create_an_address_and_shows_it_afterwards(officer, route):
    client = client_for(officer)
    page = client.get(reverse("calendar")).content.decode()
    assert "Create my feed address" in page and "Reset my feed address" not in page
    response = client.post(reverse("calendar-reset"))
    assert response.status_code == 302 and response["Location"] == reverse("calendar")
    officer.refresh_from_db()
    assert len(officer.calendar_token) >= 43
    page = client.get(reverse("calendar")).content.decode()
    assert '<label for="feed-url"' in page
    assert f"http://testserver/calendar.ics?key={officer.calendar_token}" in page
    assert "Reset my feed address" in page
    assert fetch(officer).status_code == 200


def test_resetting_stops_the_old_address_at_once_and_is_recorded(officer, route):
    client = client_for(officer)
    client.post(reverse("calendar-reset"))
    officer.refresh_from_db()
    old = officer.calendar_token
    response = client.post(reverse("calendar-reset"), follow=True)
    assert "The old address has stopped working" in response.content.decode()
    officer.refresh_from_db()
    assert officer.calendar_token != old
    assert Client().get(FEED, {"key": old}).status_code == 404
    assert fetch(officer).status_code == 200
    history = officer.history.order_by("-history_id")
    assert history[0].history_change_reason == "Calendar feed address reset by its owner"
    assert history[1].history_change_reason == "Calendar feed address created"
    assert history[0].history_user_id == officer.pk
    assert history[0].calendar_token_reset_at == officer.calendar_token_reset_at
    # The secret itself never enters the history.
    assert not hasattr(history[0], "calendar_token")


def test_resetting_asks_first_and_only_the_confirmation_resets(officer, route):
    client = client_for(officer)
    client.post(reverse("calendar-reset"))  # the first address: made at once, nothing to lose
    officer.refresh_from_db()
    old = officer.calendar_token
    page = client.get(reverse("calendar")).content.decode()
    assert f'href="{reverse("calendar-reset")}"' in page  # a link to the question, not a form
    question = client.get(reverse("calendar-reset"))
    assert question.status_code == 200
    text = question.content.decode()
    assert "Reset your calendar feed address?" in text
    assert "stops working at once, in every calendar that uses it" in text
    assert f'href="{reverse("calendar")}"' in text  # cancel
    officer.refresh_from_db()
    assert officer.calendar_token == old  # asking changed nothing
    client.post(reverse("calendar-reset"))
    officer.refresh_from_db()
    assert officer.calendar_token != old


def test_with_no_address_yet_there_is_nothing_to_confirm(officer):
    response = client_for(officer).get(reverse("calendar-reset"))
    assert response.status_code == 302 and response["Location"] == reverse("calendar")


def test_reset_needs_post_and_a_csrf_token(officer):
    client = client_for(officer)
    assert client.put(reverse("calendar-reset")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    assert strict.post(reverse("calendar-reset")).status_code == 403
    officer.refresh_from_db()
    assert officer.calendar_token == ""
    anonymous = Client().post(reverse("calendar-reset"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


def test_filter_form_shows_the_filtered_address(officer, route, strategy, cabinet):
    with_key(officer)
    response = client_for(officer).get(
        reverse("calendar"), {"strategy": strategy.slug, "body": str(cabinet.pk)}
    )
    page = response.content.decode()
    assert '<label for="filtered-url"' in page
    assert (
        f"http://testserver/calendar.ics?key={officer.calendar_token}"
        f"&amp;strategy={strategy.slug}&amp;body={cabinet.pk}"
    ) in page


def test_filter_form_builds_an_address_with_other_dates(officer, route):
    with_key(officer)
    client = client_for(officer)
    page = client.get(reverse("calendar")).content.decode()
    assert "a year back and two years ahead of today" in page
    page = client.get(reverse("calendar"), {"from": "2015-01-01", "to": "2031-12-31"}).text
    assert f"?key={officer.calendar_token}&amp;from=2015-01-01&amp;to=2031-12-31" in page
    page = client.get(reverse("calendar"), {"window": "all"}).text
    assert f"?key={officer.calendar_token}&amp;window=all" in page


def test_filter_form_shows_bad_dates_beside_their_fields(officer, route):
    with_key(officer)
    client = client_for(officer)
    response = client.get(reverse("calendar"), {"from": "2031-01-01", "to": "2030-01-01"})
    form = response.context["form"]
    assert form.errors == {"to": ["The to date must not be before the from date."]}
    page = response.content.decode()
    assert 'value="2031-01-01"' in page and 'value="2030-01-01"' in page  # kept as typed
    assert "filtered-url" not in page
    response = client.get(reverse("calendar"), {"window": "all", "from": "2015-01-01"})
    assert "window" in response.context["form"].errors
    response = client.get(reverse("calendar"), {"from": "soon"})
    assert "from" in response.context["form"].errors and 'value="soon"' in response.text


def test_filter_form_choices_are_limited_to_what_the_user_sees(
    other_officer, strategy, route, cabinet
):
    with_key(other_officer)
    response = client_for(other_officer).get(reverse("calendar"), {"strategy": strategy.slug})
    form = response.context["form"]
    assert strategy.slug not in dict(form.fields["strategy"].choices)
    assert str(cabinet.pk) not in dict(form.fields["body"].choices)
    assert "strategy" in form.errors  # shown beside the field, nothing lost
    assert "filtered-url" not in response.content.decode()


def test_filter_form_offers_the_users_own_strategies_and_bodies(officer, strategy, route, board):
    form = client_for(officer).get(reverse("calendar")).context["form"]
    assert strategy.slug in dict(form.fields["strategy"].choices)
    assert str(board.pk) in dict(form.fields["body"].choices)
    assert "dudley" in dict(form.fields["organisation"].choices)


def test_the_account_menu_links_to_the_page(officer):
    page = client_for(officer).get(reverse("calendar")).content.decode()
    link = re.search(r'<a class="dropdown-item"\s+aria-current="page"\s+href="/calendar/">', page)
    assert link and "Calendar feed</a>" in page


# The admin ------------------------------------------------------------------------------------


def test_admin_shows_the_reset_time_and_never_the_secret(administrator, officer):
    with_key(officer)
    page = client_for(administrator).get(reverse("admin:strategies_user_change", args=[officer.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Calendar feed" in text
    assert officer.calendar_token not in text


def test_admin_action_resets_feed_addresses(administrator, officer, secretary):
    old = with_key(officer).calendar_token
    response = client_for(administrator).post(
        reverse("admin:strategies_user_changelist"),
        {
            "action": "reset_calendar_feed",
            ACTION_CHECKBOX_NAME: [str(officer.pk), str(secretary.pk)],
        },
        follow=True,
    )
    assert "Reset the calendar feed address of olivia" in response.content.decode()
    officer.refresh_from_db()
    secretary.refresh_from_db()
    assert officer.calendar_token != old and Client().get(FEED, {"key": old}).status_code == 404
    assert secretary.calendar_token == ""  # had none, so none is made
    latest = officer.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Calendar feed address reset by an administrator"
    assert latest.history_user_id == administrator.pk


def test_the_strategy_filter_tells_refreshes_apart_by_their_years(officer, lead_org):
    StrategyFactory(lead_organisation=lead_org, title="Health and Wellbeing Strategy",
                    start_year=2012, end_year=2016)  # fmt: skip
    StrategyFactory(lead_organisation=lead_org, title="Health and Wellbeing Strategy",
                    start_year=2017, end_year=2022)  # fmt: skip
    page = client_for(officer).get("/calendar/").text
    assert "Health and Wellbeing Strategy 2012–2016" in page
    assert "Health and Wellbeing Strategy 2017–2022" in page


# The file itself (portal.calendar.feed.to_ical writes the lines) --------------------------------


def test_the_file_keeps_awkward_text_whole_and_folds_long_lines():
    from portal.calendar.entries import CalendarEntry
    from portal.calendar.feed import to_ical

    title = "Cabinet; adopt, “Dudley’s” strategy \\ with ünïcödé – " + "é" * 60
    entries = [
        CalendarEntry(
            uid="gate-1@waymark",
            title=title,
            start=london(2026, 3, 29, 9),  # the morning the clocks go forward
            end=london(2026, 3, 29, 11),
            all_day=False,
            url="/strategies/s/route/#gate-1",
            description="Line one\nLine two,\r\nthree; and a bell\x07",
            location="Council House, Room 1",
            categories=("Gate", "Key decision, Cabinet"),
        ),
        CalendarEntry(uid="note-1@waymark", title="A note", start=datetime.date(2026, 12, 1)),
    ]
    body = to_ical(entries, lambda path: f"https://waymark.example.org{path}", "Wäymark", "x@w")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode()  # no character is cut in two
    assert not body.replace(b"\r\n", b"").count(b"\n")
    calendar = Calendar.from_ical(body)
    timed, note = calendar.walk("VEVENT")
    assert str(timed["SUMMARY"]) == title
    assert str(timed["DESCRIPTION"]) == "Line one\nLine two,\nthree; and a bell "
    assert str(timed["LOCATION"]) == "Council House, Room 1"
    assert [str(c) for c in timed["CATEGORIES"].cats] == ["Gate", "Key decision, Cabinet"]
    assert str(timed["URL"]) == "https://waymark.example.org/strategies/s/route/#gate-1"
    assert timed["DTSTART"].dt == london(2026, 3, 29, 9)
    assert timed["DTSTART"].params["TZID"] == "Europe/London"
    assert timed["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=1)  # BST by then
    assert str(timed["TRANSP"]) == "OPAQUE"
    assert note["DTSTART"].dt == datetime.date(2026, 12, 1)
    assert note["DTEND"].dt == datetime.date(2026, 12, 2)
    assert str(note["TRANSP"]) == "TRANSPARENT"
    assert "CATEGORIES" not in note
    assert str(calendar["X-WR-CALNAME"]) == "Wäymark"
    assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    # The time zone is described once, before the events that use it.
    assert body.index(b"BEGIN:VTIMEZONE") < body.index(b"BEGIN:VEVENT")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def _text_by_the_rfc(value: str) -> str:
    """RFC 5545 3.3.11 spelled out one character at a time, to check feed._text against."""
    value = value.replace("\r\n", "\n")
    escaped = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": "\\n", "\t": "\t"}
    return "".join(escaped.get(c, " " if c < " " or c == "\x7f" else c) for c in value)


@given(st.text(alphabet=st.sampled_from("a é–\\;,\n\r\t\x07\x00\x1f\x7f\xa0\u2028\U0001f600")))
def test_text_values_are_escaped_as_the_rfc_says(value):
    from portal.calendar.feed import _text

    assert _text(value) == _text_by_the_rfc(value)


@given(
    st.one_of(
        st.text(alphabet=st.sampled_from("ab é–\U0001f600"), max_size=400),
        st.text(alphabet=st.sampled_from("ab ,;\\"), min_size=64, max_size=400),  # ASCII
    )
)
def test_folded_lines_unfold_to_the_line_and_stay_within_75_octets(value):
    from portal.calendar.feed import _fold

    folded = _fold(f"DESCRIPTION:{value}")
    assert folded.replace("\r\n ", "") == f"DESCRIPTION:{value}"
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
