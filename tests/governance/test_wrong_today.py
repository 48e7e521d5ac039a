"""Things the governance pages said wrong or let through: a decision dated before what its gate
waits for, parallel gates numbered three ways, bodies and secretaries that could not be told
apart or should not have been offered."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.dates import long_date
from governance.models import Decision, Gate, Purpose
from tests.conftest import client_for
from tests.governance.conftest import decide, meeting_of
from tests.governance.test_admin import action


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


# A decision is not dated before what its gate waits for --------------------------------------


@pytest.fixture
def waiting_cabinet(strategy, board, cabinet, officer, secretary, cabinet_secretary):
    """The Board approved 10 days ago; Cabinet's adoption waits for it and is on a Cabinet
    meeting held 20 days ago."""
    approval = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    decide(approval, secretary, "approved", days_ago=10)
    adoption = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [approval])
    workflow.schedule_gate(adoption, meeting_of(cabinet, days_ago=20), cabinet_secretary)
    return adoption


EXECUTIVE = {
    "resolution": "Adopted.",
    "reasons": "It meets the needs the assessment found.",
    "alternatives_considered": "None.",
}

# What else the forms ask for, as a person would leave it (the date known to the day).
AS_TYPED = {"decided_precision": "day"}


def test_a_decision_dated_before_the_decision_it_waits_for_is_refused(
    waiting_cabinet, cabinet_secretary
):
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.record_decision(
            waiting_cabinet, cabinet_secretary, "approved", decided_on=ago(15), **EXECUTIVE
        )
    assert refused.value.field == "decided_on"
    assert refused.value.message == (
        f"The Health and Wellbeing Board's decision it waits for was taken on "
        f"{long_date(ago(10))}; this one cannot be earlier."
    )
    assert not Decision.objects.filter(gate=waiting_cabinet).exists()
    # The same day, or later, is fine.
    decision = workflow.record_decision(
        waiting_cabinet, cabinet_secretary, "approved", decided_on=ago(10), **EXECUTIVE
    )
    assert decision.decided_on == ago(10)


def test_a_deferral_may_come_before_what_the_gate_waits_for(waiting_cabinet, cabinet_secretary):
    deferral = workflow.record_decision(
        waiting_cabinet, cabinet_secretary, "deferred", decided_on=ago(20), **EXECUTIVE
    )
    assert deferral.decided_on == ago(20)


def test_the_decision_form_shows_the_refusal_beside_the_date_and_keeps_what_was_typed(
    waiting_cabinet, cabinet_secretary
):
    response = client_for(cabinet_secretary).post(
        reverse("governance:record-decision", args=[waiting_cabinet.pk]),
        {"outcome": "approved", "decided_on": ago(15).isoformat(), **EXECUTIVE, **AS_TYPED},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["decided_on"] == [
        f"The Health and Wellbeing Board's decision it waits for was taken on "
        f"{long_date(ago(10))}; this one cannot be earlier."
    ]
    assert form["decided_on"].value() == ago(15).isoformat()
    assert "It meets the needs the assessment found." in response.content.decode()
    assert not Decision.objects.filter(gate=waiting_cabinet).exists()


def test_the_admin_action_refuses_it_too(waiting_cabinet, administrator):
    response = action(
        client_for(administrator),
        "governance_gate",
        "record_decision",
        [waiting_cabinet.pk],
        apply="1",
        outcome="approved",
        decided_on=ago(15).isoformat(),
        **EXECUTIVE,
        **AS_TYPED,
    )
    assert response.status_code == 200
    assert "this one cannot be earlier" in response.content.decode()
    assert not Decision.objects.filter(gate=waiting_cabinet).exists()


def test_a_decision_is_not_dated_before_the_consultation_it_waits_for_closed(
    strategy, board, officer, secretary
):
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    workflow.start_consultation(consult, officer, "Opened", closes_on=ago(12))
    workflow.complete_consultation(consult, None, "Consultation closed with 3 responses.")
    approval = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [consult])
    workflow.schedule_gate(approval, meeting_of(board, days_ago=20), secretary)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.record_decision(approval, secretary, "approved", "Approved.", decided_on=ago(13))
    assert refused.value.message == (
        f"The consultation it waits for closed on {long_date(ago(12))}; this decision cannot "
        f"be earlier."
    )
    assert workflow.record_decision(approval, secretary, "approved", "Approved.", ago(12))


def test_a_consultation_closed_early_is_dated_the_day_it_closed(strategy, board, officer):
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    workflow.start_consultation(consult, officer, "Opened", closes_on=ago(-30))
    workflow.complete_consultation(consult, officer, "Closed early.")
    consult.refresh_from_db()
    assert consult.state == Gate.State.PASSED
    assert (consult.planned_date, consult.planned_precision) == (timezone.localdate(), "day")


# A body that appears twice on a route, and bodies that share a name ----------------------------


def test_the_moves_table_and_buttons_name_each_gate_by_its_purpose(strategy, cabinet, officer):
    first = workflow.add_gate(strategy, cabinet, Purpose.APPROVE_CONSULTATION, officer)
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [first])
    page = client_for(officer).get(reverse("governance:route", args=[strategy.slug])).text
    moves = page[page.index('id="moves-heading"') :]
    assert "<td>Cabinet: Approve consultation</td>" in moves
    assert "<td>Cabinet: Adopt</td>" in moves
    assert "Cabinet gate" not in page
    for purpose in ("approve consultation", "adopt"):
        assert f'Re-plan<span class="visually-hidden"> Cabinet: {purpose}</span>' in page
        assert f'Remove<span class="visually-hidden"> Cabinet: {purpose}</span>' in page
        assert f"Reason for removing Cabinet: {purpose}</label>" in page


@pytest.fixture
def two_cabinets(lead_org, other_org, cabinet):
    from governance.models import Body

    lead_org.short_name = "Dudley MBC"
    lead_org.save()
    theirs = Body.objects.create(organisation=other_org, name="Cabinet", kind="cabinet")
    return cabinet, theirs


def test_the_admin_names_each_body_with_its_organisation(two_cabinets, administrator, strategy):
    ours, theirs = two_cabinets
    meeting_of(ours)
    meeting_of(theirs)
    client = client_for(administrator)
    listed = client.get(reverse("admin:governance_meeting_changelist")).text
    assert "Cabinet (Dudley MBC)" in listed and "Cabinet (Milton Keynes Council)" in listed
    choices = client.get(reverse("admin:governance_meeting_add")).context["adminform"].form
    labels = [label for _, label in choices.fields["body"].choices]
    assert "Cabinet (Dudley MBC)" in labels and "Cabinet (Milton Keynes Council)" in labels
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Cab",
            "app_label": "governance",
            "model_name": "gatetemplate",
            "field_name": "body",
        },
    ).json()["results"]
    assert sorted(r["text"] for r in found) == [
        "Cabinet (Dudley MBC)",
        "Cabinet (Milton Keynes Council)",
    ]


def test_the_browser_body_pickers_name_the_organisation(two_cabinets, strategy, officer):
    from strategies.models import StrategyPartner

    StrategyPartner.objects.create(strategy=strategy, organisation=two_cabinets[1].organisation)
    form = client_for(officer).get(reverse("governance:add-gate", args=[strategy.slug]))
    labels = [label for _, label in form.context["form"].fields["body"].choices]
    assert "Cabinet (Dudley MBC)" in labels and "Cabinet (Milton Keynes Council)" in labels


# Who may be a body's secretary -----------------------------------------------------------------


def test_only_a_board_secretary_of_the_bodys_organisation_may_serve_it(
    board, officer, secretary, other_secretary
):
    from django.core.exceptions import ValidationError

    from governance.models import BodySecretary

    for user, says in [
        (officer, "is an officer, not a board secretary"),
        (other_secretary, "a board secretary of Milton Keynes Council, not of Dudley"),
    ]:
        with pytest.raises(ValidationError) as refused:
            BodySecretary(body=board, user=user).full_clean()
        assert says in refused.value.message_dict["user"][0]
    assert list(board.possible_secretaries()) == [secretary]


def test_the_admin_offers_and_accepts_only_the_bodys_own_secretaries(
    board, administrator, officer, other_secretary, lead_org
):
    from governance.models import BodySecretary
    from strategies.models import User
    from tests.admin_forms import admin_form_data
    from tests.factories import UserFactory

    colleague = UserFactory(username="sue", organisation=lead_org, role=User.Role.SECRETARY)
    client = client_for(administrator)
    url = reverse("admin:governance_body_change", args=[board.pk])
    page = client.get(url).text
    select = page[page.index('name="secretary_links-1-user"') :]
    offered = re.findall(
        r'<option value="\d+">([^<]+)</option>', select[: select.index("</select>")]
    )
    assert sorted(offered) == sorted(
        f"{u.display_name} (Dudley Metropolitan Borough Council)"
        for u in board.possible_secretaries()
    )
    assert len(offered) == 2  # the Board's secretary and their colleague; no officer, no other

    data = admin_form_data(client, url)
    data["secretary_links-1-user"] = str(officer.pk)  # not offered, but posted all the same
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is an officer, not a board secretary" in response.content.decode()
    assert not BodySecretary.objects.filter(user=officer).exists()
    data["secretary_links-1-user"] = str(colleague.pk)
    assert client.post(url, data).status_code == 302
    assert BodySecretary.objects.filter(body=board, user=colleague).exists()
