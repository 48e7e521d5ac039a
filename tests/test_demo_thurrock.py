"""load_demo's third strategy: Thurrock's, brought into Waymark half-way from the council's
public records (portal/demo/thurrock.py), only as far as they and the workflow allow."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultation import workflow as consultation
from consultation.models import ConsultationWindow, WindowPartner
from governance import workflow
from governance.models import Body, Decision, Gate, Meeting, Transition
from strategies.models import Objective, Organisation, Priority, Revision, Strategy

SLUG = "thurrock-hws-2022-2026"
SCRUTINY = "Cleaner, Greener and Safer Overview and Scrutiny Committee"
BOARD = "Health and Wellbeing Board"


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def thurrock(demo):
    return Strategy.objects.get(slug=SLUG)


def route(strategy):
    return list(strategy.gates.select_related("body", "meeting").order_by("position"))


def meeting_of(body_name: str, day: datetime.date) -> Meeting:
    """The Thurrock body's meeting on `day` (the 1st of its month, if only the month is known)."""
    meetings = Meeting.objects.filter(
        body__organisation__slug="thurrock-council", body__name=body_name
    ).select_related("body")
    return next(m for m in meetings if m.local_day == day)


def test_the_strategy_as_thurrocks_public_pages_tell_it(thurrock):
    assert thurrock.title == "Thurrock Health and Wellbeing Strategy"
    assert (thurrock.start_year, thurrock.end_year) == (2022, 2026)
    assert thurrock.lead_organisation.name == "Thurrock Council"
    assert thurrock.top_level_term == Strategy.TopLevelTerm.PRIORITY
    assert list(thurrock.priorities.values_list("title", flat=True)) == [
        "Building strong, safe communities",
        "Focusing on person-led health and care",
        "Ensuring equal opportunities for all",
    ]
    assert "three of the six are named in the records used" in thurrock.summary
    assert "We call this 'levelling the playing field'." in thurrock.summary
    assert not Objective.objects.filter(priority__strategy=thurrock).exists()
    assert not thurrock.partners.exists()
    assert all(h.history_change_reason for h in thurrock.history.all())


def test_the_route_as_the_records_give_it(thurrock):
    gates = route(thurrock)
    summary = [(g.body.name, g.purpose, g.state, g.when) for g in gates]
    assert summary == [
        (SCRUTINY, "scrutinise", "passed", "7 October 2021"),
        (BOARD, "consult", "passed", "3 December 2021"),
        (BOARD, "approve", "passed", "June 2022"),
        ("Council", "note", "passed", "29 June 2022"),
    ]
    scrutinise, consult, approve, note = gates
    assert set(approve.waits_for.all()) == {scrutinise, consult}
    assert list(note.waits_for.all()) == [approve]
    assert not consult.waits_for.exists()  # the records do not say it waited for scrutiny
    board = Decision.objects.get(gate=approve)
    assert (board.decided_when, board.recorded_later) == ("June 2022", True)
    assert "It was approved by Thurrock's Health and Wellbeing Board in June 2022" in (
        board.recorded_from
    )
    council = Decision.objects.get(gate=note)
    assert (council.decided_on, council.outcome) == (datetime.date(2022, 6, 29), "noted")
    assert "Wednesday 29 June" in council.recorded_from
    assert (approve.meeting, note.meeting) == (
        meeting_of(BOARD, datetime.date(2022, 6, 1)),
        meeting_of("Council", datetime.date(2022, 6, 29)),
    )
    assert thurrock.stage == Strategy.Stage.ADOPTED


def test_scrutinys_comments_are_recorded_after_the_fact_from_the_minutes(thurrock):
    gate = route(thurrock)[0]
    decision = Decision.objects.get(gate=gate)
    assert decision.outcome == Decision.Outcome.COMMENTS
    assert workflow.gate_state_label(gate, decision) == "Comments made"
    assert (decision.decided_on, decision.decided_precision) == (datetime.date(2021, 10, 7), "day")
    assert decision.meeting == meeting_of(SCRUTINY, datetime.date(2021, 10, 7))
    assert decision.recorded_later
    assert decision.recorded_from.startswith(
        "the minutes of the Cleaner, Greener and Safer Overview and Scrutiny Committee, "
        "7 October 2021"
    )
    assert "Councillor Pothecary stated" in decision.resolution
    assert (decision.minute_reference, decision.decision_notice_reference) == ("", "")
    move = Transition.objects.get(gate=gate, to_state=Gate.State.PASSED)
    assert "recorded after the fact, from the minutes" in move.comment


def test_the_meetings_as_the_records_give_them(thurrock):
    scrutiny = meeting_of(SCRUTINY, datetime.date(2021, 10, 7))
    assert timezone.localtime(scrutiny.starts_at).time() == datetime.time(19, 0)
    assert scrutiny.time_known and scrutiny.status == Meeting.Status.HELD
    assert scrutiny.venue == "South Essex College, High Street, Grays, RM17 6TF"
    assert "Health & Wellbeing Strategy Refresh" in scrutiny.minutes

    cancelled = meeting_of(BOARD, datetime.date(2021, 9, 1))
    assert cancelled.status == Meeting.Status.CANCELLED
    assert (cancelled.date_precision, cancelled.time_known) == ("month", False)
    assert not cancelled.gates.exists()

    board = meeting_of(BOARD, datetime.date(2022, 6, 1))
    assert (board.date_precision, board.time_known, board.status) == ("month", False, "held")

    council = meeting_of("Council", datetime.date(2022, 6, 29))
    assert (council.date_precision, council.time_known, council.status) == ("day", False, "held")
    assert Body.objects.get(pk=council.body_id).is_executive is False


def test_the_consultation_ran_on_its_real_dates_its_count_not_on_record(thurrock):
    window = ConsultationWindow.objects.get(strategy=thurrock)
    assert (window.opens_on, window.closes_on) == (
        datetime.date(2021, 10, 13),
        datetime.date(2021, 12, 3),
    )
    assert window.date_precision == "day" and window.gate == route(thurrock)[1]
    assert window.state == ConsultationWindow.State.CLOSED
    assert window.recorded_later and window.reported_responses is None
    assert "not in the records used" in window.result
    partners = WindowPartner.objects.filter(window=window).select_related("organisation")
    assert {(p.organisation.name, p.role) for p in partners} == {
        ("Thurrock CVS", "attending places of engagement and engaging with stakeholders"),
        ("Healthwatch Thurrock", "helping the CVS lead the engagement"),
    }


def test_a_count_not_on_record_must_be_said(thurrock):
    """Recording a consultation that ran asks for its number of responses, or for the officer
    to say it is not on record; not both."""
    from consultation.workflow import record_problems

    window = ConsultationWindow.objects.get(strategy=thurrock)  # has no responses one by one
    common = {
        "opens_on": datetime.date(2021, 10, 13),
        "closes_on": datetime.date(2021, 12, 3),
        "result": "Reported.",
        "recorded_from": "the agenda item",
        "no_reason_on_record": True,
    }
    fields = lambda record: [p.field for p in record_problems(window, record)]  # noqa: E731
    assert "reported_responses" in fields(consultation.RunRecord(**common))
    assert fields(consultation.RunRecord(**common, count_not_on_record=True)) == []
    both = consultation.RunRecord(**common, reported_responses=65, count_not_on_record=True)
    assert "reported_responses" in fields(both)


def counts() -> dict[str, int]:
    models = [
        Organisation,
        Strategy,
        Priority,
        Revision,
        Body,
        Meeting,
        Gate,
        Decision,
        Transition,
        ConsultationWindow,
        WindowPartner,
    ]
    counted = {m.__name__: m.objects.count() for m in models}
    counted["history"] = sum(
        m.history.count() for m in (Strategy, Priority, Meeting, Gate, ConsultationWindow)
    )
    return counted


def test_loading_twice_adds_nothing(demo, settings):
    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before


def test_load_demo_names_the_third_strategy(demo):
    assert "Thurrock Health and Wellbeing Strategy 2022-2026" in demo


def test_the_manager_reads_its_pages(thurrock, client, settings):
    client.post("/accounts/login/", {"username": "manager", "password": settings.DEMO_PASSWORD})
    page = client.get(f"/strategies/{SLUG}/")
    assert page.status_code == 200
    assert "Focusing on person-led health and care" in page.content.decode()

    page = client.get(f"/strategies/{SLUG}/route/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Comments made" in text and "Recorded after the fact" in text
    assert "Council — 29 June 2022" in text
    assert "Approved in June 2022" in text

    window = ConsultationWindow.objects.get(strategy=thurrock)
    page = client.get(window.get_absolute_url())
    assert page.status_code == 200
    assert "Healthwatch Thurrock" in page.content.decode()


def test_it_is_adopted_but_not_published_in_waymark(thurrock, client):
    # Adopted from the records; publishing it is the council's next move, not the records'.
    assert client.get(f"/published/{SLUG}/").status_code == 404
