"""Call-in of an executive decision: recording it, what came of it, and its effect on the gate,
the strategy's stage and when the decision takes effect."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.deadlines import adoption_call_in, call_in, note_call_in
from governance.models import Body, BodySecretary, CallIn, Decision, Gate, Purpose, Transition
from governance.workflow import WorkflowError
from strategies.models import Strategy, User
from tests.conftest import client_for, downloaded
from tests.factories import UserFactory
from tests.governance.conftest import decide

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def scrutiny(lead_org):
    return Body.objects.create(organisation=lead_org, name="Scrutiny Committee", kind="scrutiny")


@pytest.fixture
def scrutiny_secretary(lead_org, scrutiny):
    user = UserFactory(username="scott", organisation=lead_org, role=User.Role.SECRETARY)
    BodySecretary.objects.create(body=scrutiny, user=user)
    return user


@pytest.fixture
def adoption(strategy, cabinet, officer, cabinet_secretary):
    """The Cabinet adopted the strategy yesterday: its only gate; the call-in period runs."""
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    return decide(gate, cabinet_secretary, "approved", days_ago=1)


def called_in(decision, by, **kw):
    kw.setdefault("called_in_on", TODAY)
    kw.setdefault("called_in_by", "Councillors Ali, Jennings and nine others")
    return workflow.record_call_in(decision, by, **kw)


def strategy_pk(decision) -> int:
    return decision.gate.strategy_id


def label(strategy) -> str:
    strategy = Strategy.objects.get(pk=strategy.pk)
    return note_call_in([strategy])[0].stage_label


# Recording a call-in ---------------------------------------------------------------------------


def test_cabinet_secretary_records_a_call_in_and_adoption_is_held(adoption, cabinet_secretary):
    row = called_in(adoption, cabinet_secretary)
    assert row.outcome == CallIn.Outcome.PENDING
    assert row.history.count() == 1
    period = call_in(adoption)
    assert period.takes_effect_on is None and period.is_running(TODAY + 30 * DAY)
    assert "does not take effect until the call-in has been heard" in period.message(TODAY)
    assert label(adoption.gate.strategy) == "Adopted, subject to call-in: called in"
    # held beyond the end of the period
    decisions = workflow.adopting_decisions(adoption.gate.strategy)
    assert adoption_call_in(decisions, TODAY + 60 * DAY) is not None


def test_scrutiny_secretary_and_administrator_may_record(
    adoption, scrutiny_secretary, administrator
):
    assert workflow.record_call_in_refusal(scrutiny_secretary, adoption) is None
    assert workflow.record_call_in_refusal(administrator, adoption) is None


def test_officer_and_other_secretaries_may_not(adoption, officer, secretary, other_secretary):
    for user in (officer, secretary, other_secretary):
        refusal = workflow.record_call_in_refusal(user, adoption)
        assert refusal.startswith("Only a secretary of the Cabinet or of a scrutiny committee")
        with pytest.raises(WorkflowError, match="Only a secretary of the Cabinet"):
            called_in(adoption, user)


def test_non_executive_decision_cannot_be_called_in(board_gate, secretary):
    decision = decide(board_gate, secretary, "approved")
    with pytest.raises(WorkflowError, match="Only an executive decision can be called in"):
        called_in(decision, secretary)


def test_deferral_cannot_be_called_in(strategy, cabinet, officer, cabinet_secretary):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    decision = decide(gate, cabinet_secretary, "deferred")
    with pytest.raises(WorkflowError, match="Only a decision that lets the gate pass"):
        called_in(decision, cabinet_secretary)


def test_once_per_decision(adoption, cabinet_secretary):
    called_in(adoption, cabinet_secretary)
    with pytest.raises(WorkflowError, match="already been called in"):
        called_in(adoption, cabinet_secretary)


def test_call_in_dates_are_checked(adoption, cabinet_secretary):
    with pytest.raises(WorkflowError, match="cannot be dated in the future") as e:
        called_in(adoption, cabinet_secretary, called_in_on=TODAY + DAY)
    assert e.value.field == "called_in_on"
    with pytest.raises(WorkflowError, match="cannot be made before the decision"):
        called_in(adoption, cabinet_secretary, called_in_on=TODAY - 5 * DAY)
    with pytest.raises(WorkflowError, match="Say who called it in"):
        called_in(adoption, cabinet_secretary, called_in_by=" ")


def test_after_the_period_only_after_the_fact_and_within_it(
    strategy, cabinet, officer, cabinet_secretary
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    decision = decide(gate, cabinet_secretary, "approved", days_ago=40)
    period = call_in(decision)
    with pytest.raises(WorkflowError, match="record a call-in made within it as recorded after"):
        called_in(decision, cabinet_secretary, called_in_on=period.ends_on)
    with pytest.raises(WorkflowError, match="is too late") as e:
        called_in(
            decision,
            cabinet_secretary,
            called_in_on=period.ends_on + DAY,
            recorded_later=True,
            recorded_from="the minutes",
        )
    assert "The call-in period ended at the end of" in e.value.message
    with pytest.raises(WorkflowError, match="Say where the call-in was taken from"):
        called_in(decision, cabinet_secretary, called_in_on=period.ends_on, recorded_later=True)
    row = called_in(
        decision,
        cabinet_secretary,
        called_in_on=period.ends_on,
        recorded_later=True,
        recorded_from="the minutes of the Scrutiny Committee",
    )
    assert row.recorded_later


# What came of it -------------------------------------------------------------------------------


def test_no_further_action_takes_effect_on_the_day_heard(
    adoption, cabinet_secretary, scrutiny, scrutiny_secretary
):
    row = called_in(adoption, cabinet_secretary)
    workflow.record_call_in_outcome(
        row, scrutiny_secretary, CallIn.Outcome.NO_FURTHER_ACTION, scrutiny, TODAY, "Noted."
    )
    period = call_in(adoption)
    assert period.takes_effect_on == TODAY
    assert not period.is_running(TODAY)
    assert label(adoption.gate.strategy) == "Adopted"
    assert Gate.objects.get(pk=adoption.gate_id).state == Gate.State.PASSED
    with pytest.raises(WorkflowError, match="What came of this call-in is recorded"):
        workflow.record_call_in_outcome(
            row, scrutiny_secretary, CallIn.Outcome.REFERRED_BACK, scrutiny, TODAY
        )


def test_referred_back_puts_a_new_gate_on_the_route(
    adoption, cabinet_secretary, scrutiny, scrutiny_secretary
):
    strategy = adoption.gate.strategy
    row = called_in(adoption, cabinet_secretary)
    workflow.record_call_in_outcome(
        row, scrutiny_secretary, CallIn.Outcome.REFERRED_BACK, scrutiny, TODAY
    )
    old = Gate.objects.get(pk=adoption.gate_id)
    assert old.state == Gate.State.REMOVED
    again = Gate.objects.exclude(pk=old.pk).get(strategy=strategy)
    assert (again.body, again.purpose, again.state) == (old.body, old.purpose, Gate.State.PLANNED)
    strategy.refresh_from_db()
    # no longer adopted: the stage follows the gates (here the only live gate is planned)
    assert strategy.stage == workflow.derive_stage(strategy, list(strategy.gates.all()))
    assert strategy.stage != Strategy.Stage.ADOPTED
    assert Transition.objects.filter(gate=old, to_state=Gate.State.REMOVED).exists()
    assert call_in(adoption).takes_effect_on is None
    # the Cabinet decides it again, and the strategy is adopted by that decision
    decision = decide(again, cabinet_secretary, "approved", days_ago=0)
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.ADOPTED
    assert label(strategy) == "Adopted, subject to call-in"
    assert workflow.record_call_in_refusal(cabinet_secretary, decision) is None


def test_referred_to_council_waits_for_the_council(
    adoption, cabinet_secretary, scrutiny, scrutiny_secretary, lead_org
):
    council = Body.objects.create(organisation=lead_org, name="Full Council", kind="other")
    row = called_in(adoption, cabinet_secretary)
    with pytest.raises(WorkflowError, match="A scrutiny committee hears a call-in"):
        workflow.record_call_in_outcome(
            row, scrutiny_secretary, CallIn.Outcome.REFERRED_TO_COUNCIL, council, TODAY
        )
    workflow.record_call_in_outcome(
        row, scrutiny_secretary, CallIn.Outcome.REFERRED_TO_COUNCIL, scrutiny, TODAY
    )
    assert label(adoption.gate.strategy) == "Adopted, subject to call-in: referred to full council"
    assert call_in(adoption).takes_effect_on is None
    row.refresh_from_db()
    with pytest.raises(WorkflowError, match="Choose what came of the call-in"):
        workflow.record_call_in_outcome(
            row, cabinet_secretary, CallIn.Outcome.REFERRED_TO_COUNCIL, council, TODAY
        )
    workflow.record_call_in_outcome(
        row, cabinet_secretary, CallIn.Outcome.NO_FURTHER_ACTION, council, TODAY
    )
    assert call_in(Decision.objects.get(pk=adoption.pk)).takes_effect_on == TODAY
    assert row.history.count() == 3


def test_outcome_refusals(adoption, cabinet_secretary, scrutiny, officer, other_org):
    row = called_in(adoption, cabinet_secretary)
    with pytest.raises(WorkflowError, match="Only a secretary of the Cabinet"):
        workflow.record_call_in_outcome(
            row, officer, CallIn.Outcome.NO_FURTHER_ACTION, scrutiny, TODAY
        )
    elsewhere = Body.objects.create(organisation=other_org, name="MK Scrutiny", kind="scrutiny")
    cases = [
        (elsewhere, TODAY, "of the decision's organisation"),
        (None, TODAY, "Say which body heard it"),
        (scrutiny, TODAY + DAY, "Record the outcome once it is known"),
        (scrutiny, TODAY - 3 * DAY, "cannot have been heard before the call-in"),
        (scrutiny, None, "Give the date it was heard"),
    ]
    for body, day, message in cases:
        with pytest.raises(WorkflowError, match=message):
            workflow.record_call_in_outcome(
                row, cabinet_secretary, CallIn.Outcome.NO_FURTHER_ACTION, body, day
            )


# Pages -----------------------------------------------------------------------------------------


def test_decision_page_offers_the_call_in_form_and_it_records(adoption, cabinet_secretary):
    client = client_for(cabinet_secretary)
    page = client.get(adoption.get_absolute_url())
    url = reverse("governance:record-call-in", args=[adoption.pk])
    assert url in page.content.decode()
    bad = client.post(url, {"called_in_on": str(TODAY + DAY), "called_in_by": "Cllr Ali"})
    assert bad.status_code == 200
    assert "cannot be dated in the future" in bad.content.decode()
    assert "Cllr Ali" in bad.content.decode()  # what was typed is shown again
    empty = client.post(url, {"called_in_on": "not a date"})
    assert empty.status_code == 200 and not CallIn.objects.exists()
    good = client.post(url, {"called_in_on": str(TODAY), "called_in_by": "Cllr Ali"})
    assert good.status_code == 302
    page = client.get(adoption.get_absolute_url()).content.decode()
    assert "Cllr Ali" in page and "Record what came of it" in page


def test_outcome_form(adoption, cabinet_secretary, scrutiny):
    row = called_in(adoption, cabinet_secretary)
    client = client_for(cabinet_secretary)
    url = reverse("governance:call-in-outcome", args=[row.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"outcome": "no_further_action", "heard_by": scrutiny.pk, "heard_on": "2001-01-01"}
    )
    assert "cannot have been heard before the call-in" in bad.content.decode()
    good = client.post(
        url, {"outcome": "no_further_action", "heard_by": scrutiny.pk, "heard_on": str(TODAY)}
    )
    assert good.status_code == 302
    row.refresh_from_db()
    assert row.outcome == CallIn.Outcome.NO_FURTHER_ACTION
    assert client.get(url).status_code == 403


def test_officer_is_not_offered_the_form(adoption, officer):
    client = client_for(officer)
    assert "Record a call-in" not in client.get(adoption.get_absolute_url()).content.decode()
    url = reverse("governance:record-call-in", args=[adoption.pk])
    assert client.get(url).status_code == 403


def test_strategy_history_shows_the_call_in(adoption, cabinet_secretary, officer):
    called_in(adoption, cabinet_secretary)
    url = reverse("strategy-history", kwargs={"slug": adoption.gate.strategy.slug})
    page = client_for(officer).get(url).content.decode()
    assert "Call-in of" in page and "Called in on" in page


def test_route_and_gates_csv_show_the_call_in(adoption, cabinet_secretary, scrutiny, officer):
    row = called_in(adoption, cabinet_secretary)
    workflow.record_call_in_outcome(
        row, cabinet_secretary, CallIn.Outcome.REFERRED_TO_COUNCIL, scrutiny, TODAY
    )
    client = client_for(officer)
    route = client.get(reverse("governance:route", args=[adoption.gate.strategy.slug]))
    assert "Called in on" in route.content.decode()
    assert "referred to full council" in route.content.decode()
    csv_text = downloaded(client.get(reverse("governance:gates-csv")))
    header, line = csv_text.splitlines()[:2]
    assert header.endswith(",call-in")
    assert f"{TODAY.isoformat()}; Referred to full council (Scrutiny Committee, " in line
    assert "Adopted, subject to call-in: referred to full council" in line


def test_strategy_page_and_publication_while_held(adoption, cabinet_secretary, officer):
    called_in(adoption, cabinet_secretary)
    strategy = Strategy.objects.get(pk=adoption.gate.strategy_id)
    refusal = workflow.publication_refusal(strategy, officer)
    assert refusal.startswith("The adopting decision has not yet taken effect. Called in on")
    page = client_for(officer).get(strategy.get_absolute_url())
    assert page.status_code == 200
    assert "does not take effect until the call-in has been heard" in page.content.decode()


# Admin -----------------------------------------------------------------------------------------


def test_admin_lists_call_ins_read_only_and_records_the_outcome(
    adoption, cabinet_secretary, scrutiny, administrator, lead_org
):
    row = called_in(adoption, cabinet_secretary)
    client = client_for(administrator)
    listing = client.get(reverse("admin:governance_callin_changelist"))
    assert listing.status_code == 200 and "Councillors Ali" in listing.content.decode()
    assert client.get(reverse("admin:governance_callin_add")).status_code == 403
    url = reverse("admin:governance_callin_changelist")
    council = Body.objects.create(organisation=lead_org, name="Full Council", kind="other")
    data = {"action": "record_outcome", "_selected_action": [row.pk], "apply": "1"}
    refused = client.post(
        url, {**data, "outcome": "no_further_action", "heard_by": council.pk, "heard_on": TODAY}
    )
    assert refused.status_code == 200
    assert "A scrutiny committee hears a call-in" in refused.content.decode()
    client.post(
        url, {**data, "outcome": "no_further_action", "heard_by": scrutiny.pk, "heard_on": TODAY}
    )
    row.refresh_from_db()
    assert (row.outcome, row.heard_by, row.heard_on) == ("no_further_action", scrutiny, TODAY)


def test_a_correction_keeps_the_call_in_of_the_decision_it_corrects(adoption, cabinet_secretary):
    correction = workflow.correct_decision(
        adoption,
        cabinet_secretary,
        "Agreed, as corrected.",
        reasons="The strategy meets the needs.",
        alternatives_considered="None.",
        comment="Typo",
    )
    row = called_in(correction, cabinet_secretary)
    assert row.decision_id == adoption.pk
    with pytest.raises(WorkflowError, match="already been called in"):
        called_in(adoption, cabinet_secretary)
    assert call_in(Decision.objects.get(pk=correction.pk)).is_held
    assert label(adoption.gate.strategy) == "Adopted, subject to call-in: called in"


def test_calendar_feed_shows_the_hearing(adoption, cabinet_secretary, scrutiny, officer):
    from tests.portal.test_calendar import events, fetch, with_key

    row = called_in(adoption, cabinet_secretary)
    workflow.record_call_in_outcome(
        row, cabinet_secretary, CallIn.Outcome.NO_FURTHER_ACTION, scrutiny, TODAY
    )
    found = events(fetch(with_key(officer)))
    heard = found[f"gate-{adoption.gate_id}-call-in-heard@waymark"]
    assert heard.decoded("DTSTART") == TODAY
    assert str(heard["SUMMARY"]).startswith("Call-in heard by the Scrutiny Committee: Cabinet")
    assert "No further action" in str(heard["DESCRIPTION"])


def test_an_outcome_cannot_change_a_gate_that_is_no_longer_passed(
    adoption, cabinet_secretary, scrutiny
):
    row = called_in(adoption, cabinet_secretary)
    # As if the gate had moved on meanwhile (straight to the table: no move does this today).
    Gate.objects.filter(pk=adoption.gate_id).update(state=Gate.State.REFERRED_BACK)
    row.refresh_from_db()
    with pytest.raises(WorkflowError, match="can no longer change it"):
        workflow.record_call_in_outcome(
            row, cabinet_secretary, CallIn.Outcome.REFERRED_BACK, scrutiny, TODAY
        )


def test_the_admin_records_a_call_in_of_the_selected_decisions(adoption, administrator):
    from tests.governance.test_admin import action

    client = client_for(administrator)
    response = action(
        client, "governance_decision", "record_call_in", [adoption.pk],
        apply="1", called_in_on=(TODAY + DAY).isoformat(), called_in_by="Councillor Ali",
    )  # fmt: skip
    assert response.status_code == 200  # refused: the form comes back with what was typed
    assert "cannot be dated in the future" in response.content.decode()
    assert "Councillor Ali" in response.content.decode()
    assert not CallIn.objects.exists()
    action(
        client, "governance_decision", "record_call_in", [adoption.pk],
        apply="1", called_in_on=TODAY.isoformat(), called_in_by="Councillor Ali",
    )  # fmt: skip
    row = CallIn.objects.get()
    assert (row.decision, row.called_in_by, row.recorded_by) == (
        adoption,
        "Councillor Ali",
        administrator,
    )


# Brought in from records that leave out the day, or what came of it ---------------------------


@pytest.fixture
def old_adoption(strategy, cabinet, officer, cabinet_secretary):
    """The Cabinet adopted the strategy forty days ago: its call-in period is long over."""
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    return decide(gate, cabinet_secretary, "approved", days_ago=40)


def test_the_day_may_be_left_out_only_when_recorded_after_the_fact(
    old_adoption, adoption, cabinet_secretary
):
    with pytest.raises(WorkflowError, match="Give the day it was called in") as e:
        called_in(adoption, cabinet_secretary, called_in_on=None)
    assert e.value.field == "called_in_on"
    row = called_in(
        old_adoption,
        cabinet_secretary,
        called_in_on=None,
        called_in_by="Councillor Harris",
        recorded_later=True,
        recorded_from="the Overview and Scrutiny Committee's agenda",
    )
    assert row.called_in_on is None
    assert row.history.get().history_change_reason == "Called in (the day is not on record)"
    assert call_in(old_adoption).message(TODAY).startswith("Called in (the day is not on record)")


def test_what_came_of_it_not_on_record_releases_the_decision(
    old_adoption, cabinet_secretary, scrutiny, officer
):
    row = called_in(
        old_adoption,
        cabinet_secretary,
        called_in_on=None,
        called_in_by="Councillor Harris",
        recorded_later=True,
        recorded_from="the Overview and Scrutiny Committee's agenda",
    )
    assert label(old_adoption.gate.strategy) == "Adopted, subject to call-in: called in"
    with pytest.raises(WorkflowError, match="Give the date it was heard"):
        workflow.record_call_in_outcome(
            row, cabinet_secretary, CallIn.Outcome.NO_FURTHER_ACTION, scrutiny, None
        )
    workflow.record_call_in_outcome(
        row, cabinet_secretary, CallIn.Outcome.NOT_ON_RECORD, scrutiny, None
    )
    period = call_in(old_adoption)
    assert not period.is_held and not period.is_running(TODAY)
    assert period.takes_effect_on is None
    assert "what came of it, and when the decision took effect, are not on record" in (
        period.message(TODAY)
    )
    assert label(old_adoption.gate.strategy) == "Adopted"
    from portal.projection import project_one  # the route went on from the day it was decided

    assert project_one(Strategy.objects.get(pk=strategy_pk(old_adoption))).adoption_on == (
        old_adoption.decided_on
    )
    client = client_for(officer)
    route = client.get(reverse("governance:route", args=[old_adoption.gate.strategy.slug]))
    text = route.content.decode()
    assert "Called in (the day is not on record) by Councillor Harris" in text
    assert "heard; what came of it is not on record (Scrutiny Committee)" in text
    line = downloaded(client.get(reverse("governance:gates-csv"))).splitlines()[1]
    assert "day not on record; Heard; what came of it is not on record (Scrutiny Committee, " in (
        line
    )
    page = client.get(old_adoption.get_absolute_url()).content.decode()
    assert "By Councillor Harris; the day is not on record" in page


def test_what_came_of_it_must_be_recorded_for_a_call_in_made_in_waymark(
    adoption, cabinet_secretary, scrutiny
):
    row = called_in(adoption, cabinet_secretary)
    with pytest.raises(WorkflowError, match="Only a call-in recorded after the fact") as e:
        workflow.record_call_in_outcome(
            row, cabinet_secretary, CallIn.Outcome.NOT_ON_RECORD, scrutiny, TODAY
        )
    assert e.value.field == "outcome"
    form_page = client_for(cabinet_secretary).get(
        reverse("governance:call-in-outcome", args=[row.pk])
    )
    assert "not_on_record" not in form_page.content.decode()


def test_browser_and_admin_record_a_call_in_without_its_day(
    old_adoption, cabinet_secretary, administrator, scrutiny
):
    from tests.governance.test_admin import action

    client = client_for(cabinet_secretary)
    url = reverse("governance:record-call-in", args=[old_adoption.pk])
    refused = client.post(url, {"called_in_on": "", "called_in_by": "Councillor Harris"})
    assert refused.status_code == 200 and not CallIn.objects.exists()
    assert "Give the day it was called in" in refused.content.decode()
    assert "Councillor Harris" in refused.content.decode()
    recorded = client.post(
        url,
        {
            "called_in_on": "",
            "called_in_by": "Councillor Harris",
            "recorded_later": "on",
            "recorded_from": "the committee's agenda",
        },
    )
    assert recorded.status_code == 302
    row = CallIn.objects.get()
    outcome_url = reverse("governance:call-in-outcome", args=[row.pk])
    assert "not_on_record" in client.get(outcome_url).content.decode()
    response = action(
        client_for(administrator), "governance_callin", "record_outcome", [row.pk],
        apply="1", outcome="not_on_record", heard_by=scrutiny.pk, heard_on="",
    )  # fmt: skip
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.outcome, row.heard_on) == (CallIn.Outcome.NOT_ON_RECORD, None)
