"""Key decisions (Forward Plan notice, general exception, special urgency) and call-in, as the
route, the forms and the decision record apply them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from audit.verify import verify
from governance import workflow
from governance.deadlines import call_in, key_decision_notice
from governance.models import Meeting, Purpose
from governance.workflow import WorkflowError
from tests.governance.conftest import at, decide, meeting_of
from tests.ladder import client_for

D = datetime.date


def _aware(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def cabinet_gate(strategy, cabinet, officer):
    return workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, key_decision=True)


def test_worked_example_cabinet_on_13_september_2017(cabinet_gate, cabinet):
    cabinet_gate.meeting = Meeting.objects.create(body=cabinet, starts_at=_aware(D(2017, 9, 13)))
    notice = key_decision_notice(cabinet_gate)
    # clear days 16 August to 12 September: notice by 15 August 2017
    assert notice.notice_by == D(2017, 8, 15)
    assert notice.general_exception_by == D(2017, 9, 7)  # 5 clear days: 8 to 12 September
    assert notice.status(D(2017, 8, 1)) == "due"
    assert "by 15 August 2017" in notice.message(D(2017, 8, 1))
    assert notice.status(D(2017, 8, 20)) == "general_exception"
    assert "general exception" in notice.message(D(2017, 8, 20))
    assert "7 September 2017" in notice.message(D(2017, 8, 20))
    assert notice.status(D(2017, 9, 10)) == "special_urgency"
    assert "special urgency" in notice.message(D(2017, 9, 10)).lower()


def test_recorded_notice_is_met_late_or_too_late(cabinet_gate, cabinet):
    cabinet_gate.meeting = Meeting.objects.create(body=cabinet, starts_at=_aware(D(2017, 9, 13)))
    for published, status in [
        (D(2017, 8, 15), "met"),
        (D(2017, 8, 16), "general_exception"),
        (D(2017, 9, 7), "general_exception"),
        (D(2017, 9, 8), "special_urgency"),
    ]:
        cabinet_gate.forward_plan_published_on = published
        assert key_decision_notice(cabinet_gate).status(D(2017, 9, 13)) == status


def test_a_gate_planned_to_the_month_gets_a_note_not_a_warning(cabinet_gate, lead_org):
    cabinet_gate.planned_date, cabinet_gate.planned_precision = D(2017, 9, 20), "month"
    notice = key_decision_notice(cabinet_gate)
    assert not notice.precise and notice.decision_on == D(2017, 9, 1)
    assert notice.status(D(2017, 8, 20)) == "note"  # past the first-day deadline, still a note
    assert not notice.is_warning(D(2017, 8, 20))
    assert "September 2017 only" in notice.message(D(2017, 8, 20))
    # for 30 September notice is due by 1 September: after that no day of the month is in time
    assert notice.last_notice_by == D(2017, 9, 1)
    assert notice.status(D(2017, 9, 2)) == "period_too_late" and notice.is_warning(D(2017, 9, 2))
    assert "too late for the Forward Plan on any day of it" in notice.message(D(2017, 9, 2))
    cabinet_gate.planned_precision = "season"  # autumn starts in September
    assert key_decision_notice(cabinet_gate).decision_on == D(2017, 9, 1)
    cabinet_gate.planned_date, cabinet_gate.planned_precision = D(2018, 1, 10), "season"
    assert key_decision_notice(cabinet_gate).decision_on == D(2017, 12, 1)  # winter


def test_no_notice_without_a_date_or_for_ordinary_gates(cabinet_gate, board_gate):
    assert key_decision_notice(cabinet_gate) is None  # not planned yet
    assert key_decision_notice(board_gate) is None


def test_notice_days_follow_the_organisation(cabinet_gate, cabinet, lead_org):
    lead_org.key_decision_notice_days = 30
    lead_org.save()
    cabinet.refresh_from_db()
    cabinet_gate.body = cabinet
    cabinet_gate.meeting = Meeting.objects.create(body=cabinet, starts_at=_aware(D(2017, 9, 13)))
    assert key_decision_notice(cabinet_gate).notice_by == D(2017, 8, 13)


def test_only_an_executive_body_takes_key_decisions(strategy, board, officer):
    with pytest.raises(WorkflowError) as refused:
        workflow.add_gate(strategy, board, Purpose.APPROVE, officer, key_decision=True)
    assert refused.value.field == "key_decision"


def test_a_notice_cannot_be_recorded_before_it_is_published(cabinet_gate, officer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(WorkflowError):
        workflow.replan_gate(
            cabinet_gate, None, "not_set", officer, key_decision=True,
            forward_plan_published_on=tomorrow,
        )  # fmt: skip


def test_replan_form_records_the_notice_and_keeps_input_on_error(cabinet_gate, officer, strategy):
    client = client_for(officer)
    url = f"/strategies/{strategy.slug}/route/gates/{cabinet_gate.pk}/replan/"
    response = client.post(
        url,
        {
            "planned_date": "2031-03-12",
            "planned_precision": "day",
            "forward_plan_published_on": "2020-01-01",
            "comment": "Notice out",
        },
    )
    assert response.status_code == 200  # a notice for a gate that is not a key decision
    assert "Only a key decision has a Forward Plan notice" in response.text
    assert 'value="2031-03-12"' in response.text
    published = timezone.localdate().isoformat()
    response = client.post(
        url,
        {
            "planned_date": "2031-03-12",
            "planned_precision": "day",
            "key_decision": "on",
            "forward_plan_published_on": published,
            "comment": "Notice out",
        },
    )
    assert response.status_code == 302
    cabinet_gate.refresh_from_db()
    assert cabinet_gate.forward_plan_published_on.isoformat() == published
    assert cabinet_gate.history.first().history_change_reason == "Notice out"


def test_route_tab_warns_of_a_missed_forward_plan(cabinet_gate, officer, strategy, cabinet):
    meeting = Meeting.objects.create(body=cabinet, starts_at=at(-10))  # in ten days
    cabinet_gate.meeting = meeting
    cabinet_gate.save()
    response = client_for(officer).get(f"/strategies/{strategy.slug}/route/")
    assert "Key decision" in response.text
    assert "Warning" in response.text and "general exception" in response.text


# Call-in ---------------------------------------------------------------------------------


def test_call_in_worked_example_easter_2023(strategy, cabinet, cabinet_secretary, officer):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer)
    decision = decide(gate, cabinet_secretary, days_ago=3)
    decision.decided_on, decision.published_on = D(2023, 4, 3), D(2023, 4, 4)
    period = call_in(decision)
    assert period.ends_on == D(2023, 4, 13)  # 5, 6, 11, 12 and 13 April
    assert period.takes_effect_on == D(2023, 4, 14)
    assert not period.counted_from_decision
    assert "13 April 2023" in period.message(D(2023, 4, 12))
    assert period.is_running(D(2023, 4, 13)) and not period.is_running(D(2023, 4, 14))


def test_call_in_counts_from_the_decision_when_no_notice_date(
    strategy, cabinet, cabinet_secretary, officer, lead_org
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer)
    decision = decide(gate, cabinet_secretary)
    period = call_in(decision)
    assert period.counted_from_decision and period.working_days == 5
    lead_org.call_in_working_days = 4
    lead_org.save()
    decision.gate.body.organisation.refresh_from_db()
    assert call_in(decision).working_days == 4


def test_no_call_in_for_non_executive_bodies_or_refusals(
    strategy, board_gate, secretary, cabinet, cabinet_secretary, officer
):
    assert call_in(decide(board_gate, secretary)) is None
    gate = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer)
    assert call_in(decide(gate, cabinet_secretary, outcome="deferred")) is None


def test_adopted_strategy_shows_call_in_until_it_ends(
    strategy, cabinet, cabinet_secretary, officer
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    decide(gate, cabinet_secretary, days_ago=0)
    strategy.refresh_from_db()
    assert strategy.stage == "adopted"
    page = client_for(officer).get(strategy.get_absolute_url()).text
    assert "Adopted, subject to call-in" in page
    route = client_for(officer).get(f"/strategies/{strategy.slug}/route/").text
    assert "Subject to call-in until the end of" in route


def test_decision_notice_date_is_checked_and_kept_in_the_hash_chain(
    strategy, cabinet, cabinet_secretary, officer
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer)
    meeting = meeting_of(cabinet, days_ago=5)
    workflow.schedule_gate(gate, meeting, cabinet_secretary)
    client = client_for(cabinet_secretary)
    data = {
        "outcome": "endorsed",
        "decided_on": meeting.starts_at.date().isoformat(),
        "published_on": (meeting.starts_at.date() - datetime.timedelta(days=1)).isoformat(),
        "resolution": "Endorsed.",
        "reasons": "The draft meets the assessed needs.",
        "alternatives_considered": "None.",
    }
    response = client.post(f"/gates/{gate.pk}/decide/", data)
    assert response.status_code == 200
    assert "cannot be published before the decision" in response.text
    data["published_on"] = (meeting.starts_at.date() + datetime.timedelta(days=2)).isoformat()
    assert client.post(f"/gates/{gate.pk}/decide/", data).status_code == 302
    decision = gate.decisions.get()
    assert decision.published_on.isoformat() == data["published_on"]
    assert verify() == []
    decision.published_on = None  # tampering with the date breaks the chain
    from governance.workflow import decision_hash

    assert decision_hash(decision) != decision.record_hash


def test_decision_form_asks_for_the_notice_only_at_executive_bodies(board_gate, secretary):
    workflow.schedule_gate(board_gate, meeting_of(board_gate.body), secretary)
    page = client_for(secretary).get(f"/gates/{board_gate.pk}/decide/").text
    assert "Decision notice published on" not in page


def test_an_executive_decision_record_needs_reasons_and_alternatives(
    strategy, cabinet, cabinet_secretary, officer
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer)
    meeting = meeting_of(cabinet, days_ago=2)
    workflow.schedule_gate(gate, meeting, cabinet_secretary)
    response = client_for(cabinet_secretary).post(
        f"/gates/{gate.pk}/decide/",
        {"outcome": "endorsed", "decided_on": meeting.starts_at.date().isoformat(),
         "resolution": "Endorsed."},
    )  # fmt: skip
    assert response.status_code == 200
    assert "gives its reasons (SI 2012/2089 reg 13)" in response.text
    assert "alternatives considered and rejected" in response.text
    assert not gate.decisions.exists()


def test_the_notice_date_can_be_added_by_a_correction(
    strategy, cabinet, cabinet_secretary, officer
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer)
    decision = decide(gate, cabinet_secretary, days_ago=6)
    assert call_in(decision).counted_from_decision
    client = client_for(cabinet_secretary)
    assert "Decision notice published on" in client.get(f"/decisions/{decision.pk}/correct/").text
    published = decision.decided_on + datetime.timedelta(days=2)
    response = client.post(
        f"/decisions/{decision.pk}/correct/",
        {"resolution": decision.resolution, "reasons": decision.reasons,
         "alternatives_considered": decision.alternatives_considered,
         "published_on": published.isoformat(), "comment": "Notice published"},
    )  # fmt: skip
    correction = gate.decisions.get(corrects=decision)
    assert response.status_code == 302
    assert correction.published_on == published and not call_in(correction).counted_from_decision
    page = client.get(f"/decisions/{correction.pk}/").text
    assert "Call-in" in page and "decision notice of" in page
    assert verify() == []


def test_two_people_re_planning_one_gate_do_not_overwrite_each_other(
    cabinet_gate, officer, second_officer, strategy
):
    url = f"/strategies/{strategy.slug}/route/gates/{cabinet_gate.pk}/replan/"
    first, second = client_for(officer), client_for(second_officer)
    seen = re.search(r'name="seen_plan" value="([^"]*)"', first.get(url).text).group(1)
    second.get(url)
    mine = {"planned_date": "2031-03-12", "planned_precision": "day", "key_decision": "on",
            "comment": "Cabinet in March", "seen_plan": seen}  # fmt: skip
    theirs = {**mine, "planned_date": "2031-04-16", "comment": "Cabinet in April"}
    assert second.post(url, theirs).status_code == 302
    refused = first.post(url, mine)
    assert refused.status_code == 200
    assert "Someone else re-planned this gate" in refused.text and "16 April 2031" in refused.text
    assert 'value="2031-03-12"' in refused.text  # what I typed is kept
    cabinet_gate.refresh_from_db()
    assert cabinet_gate.planned_date == datetime.date(2031, 4, 16)
    # saving again after reading the warning is deliberate, and goes through
    again = dict(mine, seen_plan=re.search(r'name="seen_plan" value="([^"]*)"', refused.text)[1])
    assert first.post(url, again).status_code == 302
    cabinet_gate.refresh_from_db()
    assert cabinet_gate.planned_date == datetime.date(2031, 3, 12)


def test_earliest_without_notice_is_one_rule_for_projection_and_dashboard(
    strategy, cabinet, board, officer
):
    from governance.deadlines import earliest_without_notice

    today = datetime.date(2026, 12, 4)
    key = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, key_decision=True)
    assert earliest_without_notice(key, today) == datetime.date(2027, 1, 2)  # 28 clear days
    key.forward_plan_published_on = today
    assert earliest_without_notice(key, today) is None  # on the Forward Plan already
    plain = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer)
    assert earliest_without_notice(plain, today) is None  # not a key decision
    board_gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    assert earliest_without_notice(board_gate, today) is None  # not an executive body
