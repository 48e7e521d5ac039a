"""Governance pages: the access ladder of each, and what they do."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import Decision, Gate, GateDependency, Meeting, Purpose, RouteTemplate
from strategies.models import Strategy
from tests.conftest import client_for
from tests.governance.conftest import decide, meeting_of
from tests.ladder import climb


@pytest.fixture
def scheduled(board_gate, board, secretary):
    meeting = meeting_of(board)
    workflow.schedule_gate(board_gate, meeting, secretary)
    return meeting


def test_route_ladder(request, board_gate):
    url = reverse("governance:route", kwargs={"slug": board_gate.strategy.slug})
    climb(
        request,
        url,
        {
            "officer": 200,
            "secretary": 200,
            "manager": 200,
            "administrator": 200,
            "other_officer": 404,
            "other_secretary": 404,
        },
    )


def test_secretaries_see_strategies_their_bodies_consider(other_secretary, board_gate, other_org):
    from governance.models import Body, BodySecretary

    body = Body.objects.create(organisation=other_org, name="Their scrutiny", kind="scrutiny")
    BodySecretary.objects.create(body=body, user=other_secretary)
    strategy = board_gate.strategy
    url = reverse("governance:route", kwargs={"slug": strategy.slug})
    assert client_for(other_secretary).get(url).status_code == 404
    workflow.add_gate(
        strategy,
        body,
        Purpose.SCRUTINISE,
        strategy.gates.first().strategy.lead_organisation.users.get(username="olivia"),
    )
    assert client_for(other_secretary).get(url).status_code == 200


def test_route_page_shows_steps_parallel_gates_and_what_is_next(
    officer, strategy, board, cabinet, secretary, other_org
):
    from governance.models import Body

    ccg = Body.objects.create(
        organisation=other_org, name="CCG Governing Body", kind="ccg_governing_body"
    )
    final = workflow.add_gate(
        strategy,
        board,
        Purpose.APPROVE,
        officer,
        planned_date=datetime.date(2017, 12, 1),
        precision="month",
    )
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [final])
    workflow.add_gate(
        strategy,
        ccg,
        Purpose.ADOPT,
        officer,
        [final],
        planned_date=datetime.date(2018, 6, 1),
        precision="season",
    )
    page = client_for(officer).get(reverse("governance:route", kwargs={"slug": strategy.slug}))
    text = page.content.decode()
    assert "Step 2 — 2 gates in parallel" in text
    assert "December 2017" in text and "Summer 2018" in text and "Date to be set" in text
    assert "<strong>Next:</strong> Health and Wellbeing Board (approve, December 2017)" in text


def test_planning_forms_for_officers(officer, strategy, board, cabinet):
    client = client_for(officer)
    route = RouteTemplate.objects.create(name="Simple", organisation=strategy.lead_organisation)
    route.gates.create(position=1, body=board, purpose="approve")
    client.post(
        reverse("governance:apply-route", kwargs={"slug": strategy.slug}), {"route": route.pk}
    )
    assert strategy.gates.count() == 1
    add = reverse("governance:add-gate", kwargs={"slug": strategy.slug})
    response = client.post(
        add,
        {"body": cabinet.pk, "purpose": "adopt", "planned_precision": "month", "planned_date": ""},
    )
    assert response.status_code == 200 and "planned_date" in response.context["form"].errors
    response = client.post(
        add,
        {
            "body": cabinet.pk,
            "purpose": "adopt",
            "planned_precision": "not_set",
            "waits_for": [strategy.gates.get().pk],
        },
    )
    assert response.status_code == 302 and strategy.gates.count() == 2
    gate = strategy.gates.get(body=cabinet)
    replan = reverse("governance:replan-gate", kwargs={"slug": strategy.slug, "pk": gate.pk})
    client.post(replan, {"planned_date": "2017-09-13", "planned_precision": "day"})
    gate.refresh_from_db()
    assert gate.planned == "13 September 2017"
    client.post(
        reverse("governance:remove-gate", kwargs={"slug": strategy.slug, "pk": gate.pk}),
        {"reason": "Not needed"},
    )
    gate.refresh_from_db()
    assert gate.state == Gate.State.REMOVED


@pytest.mark.parametrize("persona", ["secretary", "manager", "other_officer", "administrator"])
def test_planning_is_refused_to_others(request, strategy, board, persona):
    user = request.getfixturevalue(persona)
    add = reverse("governance:add-gate", kwargs={"slug": strategy.slug})
    response = client_for(user).post(
        add, {"body": board.pk, "purpose": "approve", "planned_precision": "not_set"}
    )
    expected = {"other_officer": 404, "administrator": 302}.get(persona, 403)
    assert response.status_code == expected
    assert strategy.gates.count() == (1 if persona == "administrator" else 0)


def test_meetings_ladder(request, scheduled):
    climb(
        request,
        reverse("governance:meetings"),
        {"secretary": 200, "manager": 200, "administrator": 200, "officer": 403},
    )
    climb(
        request,
        reverse("governance:meeting", kwargs={"pk": scheduled.pk}),
        {
            "secretary": 200,
            "manager": 200,
            "administrator": 200,
            "officer": 403,
            "other_secretary": 404,
        },
    )
    climb(
        request,
        reverse("governance:meeting-create"),
        {"secretary": 200, "administrator": 200, "manager": 403, "officer": 403},
    )


def test_my_meetings_lists_only_my_bodies(secretary, other_secretary, scheduled):
    assert (
        scheduled in client_for(secretary).get(reverse("governance:meetings")).context["to_record"]
    )
    assert not client_for(other_secretary).get(reverse("governance:meetings")).context["to_record"]


def test_secretary_creates_a_meeting_for_a_body_they_serve(secretary, board, cabinet):
    url = reverse("governance:meeting-create")
    client = client_for(secretary)
    response = client.post(
        url,
        {
            "body": cabinet.pk,
            "starts_at_0": "2030-01-15",
            "starts_at_1": "18:00",
            "date_precision": "day",
        },
    )
    assert response.status_code == 200 and "body" in response.context["form"].errors
    response = client.post(
        url,
        {
            "body": board.pk,
            "starts_at_0": "not a date",
            "date_precision": "day",
            "venue": "Council House",
        },
    )
    assert (
        "starts_at" in response.context["form"].errors
        and "Council House" in response.content.decode()
    )
    response = client.post(
        url,
        {
            "body": board.pk,
            "starts_at_0": "2030-01-15",
            "starts_at_1": "18:00",
            "date_precision": "day",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()


def test_agenda_and_scheduling_from_the_meeting_page(secretary, board, board_gate):
    meeting = meeting_of(board, days_ago=0)
    url = meeting.get_absolute_url()
    client = client_for(secretary)
    client.post(url, {"gate": board_gate.pk})
    assert Gate.objects.get().meeting == meeting
    response = client.post(
        url,
        {"published_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
        follow=True,
    )
    assert "cannot be published in the future" in response.content.decode()
    assert Gate.objects.get().papers_revision is None
    client.post(url, {"published_on": timezone.localdate().isoformat()})
    assert Gate.objects.get().papers_revision is not None


def test_managers_read_meetings_but_change_nothing(manager, scheduled, board_gate):
    response = client_for(manager).post(
        scheduled.get_absolute_url(), {"published_on": "2020-01-01"}
    )
    assert response.status_code == 403


def test_record_decision_ladder_and_validation(request, scheduled, board_gate, secretary):
    url = reverse("governance:record-decision", kwargs={"pk": board_gate.pk})
    climb(
        request,
        url,
        {
            "secretary": 200,
            "administrator": 200,
            "officer": 403,
            "manager": 403,
            "cabinet_secretary": 403,
        },
    )
    client = client_for(secretary)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        url, {"outcome": "rejected", "decided_on": future, "resolution": "Kept text"}
    )
    errors = response.context["form"].errors
    assert "decided_on" in errors and response.status_code == 200
    response = client.post(
        url,
        {
            "outcome": "rejected",
            "decided_on": timezone.localdate().isoformat(),
            "resolution": "Kept text",
        },
    )
    assert "reasons" in response.context["form"].errors and "Kept text" in response.content.decode()
    response = client.post(
        url,
        {
            "outcome": "approved",
            "decided_on": scheduled.starts_at.date().isoformat(),
            "resolution": "Agreed the draft.",
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    again = client.post(
        url,
        {
            "outcome": "approved",
            "decided_on": scheduled.starts_at.date().isoformat(),
            "resolution": "Again",
        },
    )
    assert "already been decided" in again.content.decode()


def test_decision_page_ladder_and_comparison(request, strategy, board, officer, secretary):
    from tests.factories import add_priority

    priority = add_priority(strategy, "Improve wellbeing")
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    final = workflow.add_gate(strategy, board, Purpose.NOTE, officer, [review])
    decide(review, secretary, "approved_with_amendments", days_ago=3)
    priority.title = "Improve wellbeing at every age"
    priority.save()
    decision = decide(final, secretary, "noted", days_ago=1)
    url = decision.get_absolute_url()
    climb(request, url, {"officer": 200, "secretary": 200, "manager": 200, "other_officer": 404})
    page = client_for(officer).get(url).content.decode()
    assert "What changed since the previous gate" in page
    assert "Improve wellbeing at every age" in page and "<del" in page


def test_corrections_from_the_decision_page(secretary, officer, board_gate):
    decision = decide(board_gate, secretary)
    url = reverse("governance:correct-decision", kwargs={"pk": decision.pk})
    assert client_for(officer).get(url).status_code == 403
    response = client_for(secretary).post(
        url, {"resolution": "Agreed, with thanks.", "comment": "Wording"}
    )
    correction = Decision.objects.get(corrects=decision)
    assert response["Location"] == correction.get_absolute_url()
    assert Decision.objects.get(pk=decision.pk).resolution == "Agreed."


def test_withdraw_and_open_revision_from_the_route_page(officer, board_gate, secretary):
    strategy = board_gate.strategy
    board_gate.purpose = Purpose.SIGN_OFF
    board_gate.save()
    decide(board_gate, secretary)
    client = client_for(officer)
    client.post(
        reverse("governance:open-revision", kwargs={"slug": strategy.slug}), {"reason": "Refresh"}
    )
    assert Strategy.objects.get().stage == Strategy.Stage.UNDER_REVIEW
    client.post(
        reverse("governance:withdraw", kwargs={"slug": strategy.slug}), {"reason": "Merged"}
    )
    assert Strategy.objects.get().stage == Strategy.Stage.WITHDRAWN


@pytest.mark.parametrize("gates", [2, 8])
def test_route_query_count_does_not_grow(
    officer, strategy, board, secretary, gates, django_assert_num_queries
):
    previous = []
    for n in range(gates):
        gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer, previous[-1:])
        if n < 2:
            decide(gate, secretary, "noted", days_ago=10 - n)
        previous.append(gate)
    client = client_for(officer)
    url = reverse("governance:route", kwargs={"slug": strategy.slug})
    # session, user with their organisation, strategy with its lead organisation, gates, their
    # waits-for, decisions, transitions, bodies for the gate form (fixed); no route templates:
    # a template is applied only to a strategy with no gates (workflow.apply_route_refusal)
    # + the strategy's partner links, to name its leads in the header (joint strategies)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("meetings", [2, 8])
def test_my_meetings_query_count_does_not_grow(
    secretary, board, strategy, officer, meetings, django_assert_num_queries
):
    for _ in range(meetings):
        gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer)
        workflow.schedule_gate(gate, meeting_of(board), secretary)
    client = client_for(secretary)
    # session, user with their organisation; upcoming, to record, past, and their gates
    with django_assert_num_queries(6):
        assert client.get(reverse("governance:meetings")).status_code == 200


def test_meeting_dates_must_be_plausible(secretary, board):
    url = reverse("governance:meeting-create")
    for day, time in (("9999-12-31", "23:59"), ("0001-01-01", "")):
        response = client_for(secretary).post(
            url,
            {"body": board.pk, "starts_at_0": day, "starts_at_1": time, "date_precision": "day"},
        )
        assert "starts_at" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_a_meeting_with_decisions_keeps_its_body_and_status_in_the_admin(
    administrator, board_gate, secretary, cabinet
):
    decision = decide(board_gate, secretary)
    url = reverse("admin:governance_meeting_change", args=[decision.meeting.pk])
    client_for(administrator).post(
        url, {"body": cabinet.pk, "status": "cancelled", "venue": "X", "minutes": ""}
    )
    meeting = Meeting.objects.get(pk=decision.meeting.pk)
    assert (meeting.body, meeting.status) == (decision.meeting.body, Meeting.Status.HELD)


def test_correcting_a_deferral_from_the_page(secretary, board, board_gate):
    deferral = decide(board_gate, secretary, "deferred", days_ago=5)
    workflow.schedule_gate(Gate.objects.get(), meeting_of(board, days_ago=1), secretary)
    url = reverse("governance:correct-decision", kwargs={"pk": deferral.pk})
    response = client_for(secretary).post(
        url, {"resolution": "Deferred.", "reasons": "Late papers.", "comment": "Wording"}
    )
    assert response.status_code == 302


def test_meeting_pages_show_the_agenda_deadline(secretary, board):
    from governance.deadlines import latest_notice_date

    soon = meeting_of(board, days_ago=-10)  # ten days ahead
    due = latest_notice_date(timezone.localtime(soon.starts_at).date(), 5, True)
    page = client_for(secretary).get(soon.get_absolute_url()).content.decode()
    assert f"{due:%-d %B %Y}" in page and "5 clear working days" in page
    listing = client_for(secretary).get(reverse("governance:meetings")).content.decode()
    assert "Agenda due by" in listing
    late = meeting_of(board, days_ago=-1)  # tomorrow: the deadline has passed
    page = client_for(secretary).get(late.get_absolute_url()).content.decode()
    assert "should have been published by" in page


def test_a_crowded_agenda_is_summarised_in_my_meetings(secretary, board, officer, lead_org):
    from governance.models import Gate, Meeting, Purpose
    from tests.factories import StrategyFactory
    from tests.governance.conftest import at

    meeting = Meeting.objects.create(body=board, starts_at=at(-20))
    Gate.objects.bulk_create(
        Gate(strategy=StrategyFactory(lead_organisation=lead_org), position=1, body=board,
             purpose=Purpose.REVIEW, meeting=meeting, state=Gate.State.SCHEDULED)
        for _ in range(11)
    )  # fmt: skip
    page = client_for(secretary).get("/meetings/").text
    assert "and 3 more" in page and meeting.get_absolute_url() in page


# Putting a gate on a meeting, from the dashboard ----------------------------------------------


def test_the_dashboard_sends_a_secretary_to_put_an_unscheduled_gate_on_a_meeting(
    secretary, board, officer, strategy
):
    gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer)
    Gate.objects.filter(pk=gate.pk).update(
        planned_date=timezone.localdate(), planned_precision="day"
    )
    Gate.objects.get(pk=gate.pk).save()  # planned_until follows the plan
    page = client_for(secretary).get("/").content.decode()
    assert f"{reverse('governance:meetings')}?gate={gate.pk}" in page
    assert "Put on a meeting" in page


def test_my_meetings_offers_the_bodys_upcoming_meetings_for_the_gate(
    secretary, board, cabinet, officer, strategy
):
    gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer)
    soon, later = meeting_of(board, days_ago=-7), meeting_of(board, days_ago=-30)
    held = meeting_of(board, days_ago=3)
    cancelled = meeting_of(board, days_ago=-14, status=Meeting.Status.CANCELLED)
    elsewhere = meeting_of(cabinet, days_ago=-7)
    response = client_for(secretary).get(reverse("governance:meetings"), {"gate": gate.pk})
    assert response.context["placing"] == gate
    assert response.context["placing"].choices == [soon, later]
    page = response.content.decode()
    assert f"Put “{strategy.title}” on a meeting" in page
    for meeting in (soon, later):
        assert f'href="{meeting.get_absolute_url()}?gate={gate.pk}"' in page
    # A meeting already held is offered apart, for a route whose past is being entered.
    assert response.context["placing"].held == [held]
    assert "to record what a meeting already held considered" in page
    for meeting in (cancelled, elsewhere):
        assert f"{meeting.get_absolute_url()}?gate=" not in page
    assert f"{reverse('governance:meeting-create')}?gate={gate.pk}" in page


def test_a_consultation_gate_is_never_offered_for_a_meeting(secretary, board, officer, strategy):
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    meeting = meeting_of(board, days_ago=-7)
    client = client_for(secretary)
    options = client.get(meeting.get_absolute_url()).context["schedule_form"].fields["gate"]
    assert list(options.queryset) == [review]
    placing = client.get(reverse("governance:meetings"), {"gate": consult.pk})
    assert placing.context["placing"] is None


@pytest.mark.parametrize("gate_param", ["abc", "", "999999", "other body", "decided"])
def test_my_meetings_ignores_a_gate_the_user_cannot_put_on_a_meeting(
    secretary, board, cabinet, officer, strategy, gate_param
):
    if gate_param == "other body":  # the secretary serves the Board, not the Cabinet
        gate_param = workflow.add_gate(strategy, cabinet, Purpose.DISCUSS, officer).pk
    elif gate_param == "decided":
        gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer)
        decide(gate, secretary, "noted")
        gate_param = gate.pk
    response = client_for(secretary).get(reverse("governance:meetings"), {"gate": gate_param})
    assert response.status_code == 200
    assert response.context["placing"] is None
    assert "on a meeting</h2>" not in response.content.decode()


def test_the_chosen_meeting_page_preselects_the_gate_to_confirm(
    secretary, board, officer, strategy
):
    gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer)
    meeting = meeting_of(board, days_ago=-7)
    client = client_for(secretary)
    page = client.get(meeting.get_absolute_url(), {"gate": gate.pk}).content.decode()
    assert f'<option value="{gate.pk}" selected>' in page
    assert f'<option value="{gate.pk}">' in client.get(meeting.get_absolute_url()).content.decode()
    client.post(f"{meeting.get_absolute_url()}?gate={gate.pk}", {"gate": gate.pk})
    gate.refresh_from_db()
    assert gate.meeting == meeting


def test_a_new_meeting_for_the_gate_starts_with_its_body_and_leads_back_to_it(
    secretary, board, officer, strategy
):
    gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer)
    url = f"{reverse('governance:meeting-create')}?gate={gate.pk}"
    client = client_for(secretary)
    assert client.get(url).context["form"].initial == {"body": board.pk}
    day = timezone.localdate() + datetime.timedelta(days=21)
    response = client.post(
        url,
        {
            "body": board.pk,
            "starts_at_0": f"{day:%Y-%m-%d}",
            "starts_at_1": "14:00",
            "date_precision": "day",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{meeting.get_absolute_url()}?gate={gate.pk}"


def test_a_published_agenda_shows_its_date_and_no_form_to_publish_again(secretary, board):
    meeting = meeting_of(board, days_ago=-10)
    client = client_for(secretary)
    assert "Record publication" in client.get(meeting.get_absolute_url()).content.decode()
    day = timezone.localdate()
    client.post(meeting.get_absolute_url(), {"published_on": f"{day:%Y-%m-%d}"})
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Record publication" not in page
    assert f"Published on {day:%-d %B %Y}" in page
    again = client.post(
        meeting.get_absolute_url(), {"published_on": f"{day:%Y-%m-%d}"}, follow=True
    )
    assert "The agenda was published on" in again.content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda_published_on == day


def test_the_decision_form_of_a_decided_gate_shows_the_decision(secretary, board, board_gate):
    decision = decide(board_gate, secretary, "noted")
    response = client_for(secretary).get(
        reverse("governance:record-decision", args=[board_gate.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == decision.get_absolute_url()
    assert "This gate has been decided: here is the decision." in response.content.decode()


def test_a_meeting_still_to_come_offers_no_decision_yet(secretary, board, board_gate, officer):
    meeting = meeting_of(board, days_ago=-10)
    workflow.schedule_gate(board_gate, meeting, secretary)
    client = client_for(secretary)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert (
        "Record the decision" not in page
        and "The decision can be recorded from the day of the meeting" in page
    )
    form = client.get(reverse("governance:record-decision", args=[board_gate.pk]))
    day = timezone.localtime(meeting.starts_at).date()
    assert f"the meeting is on {day:%-d %B %Y}" in form.content.decode()
    held = meeting_of(board, days_ago=1)
    other = workflow.add_gate(board_gate.strategy, board, Purpose.DISCUSS, officer)
    workflow.schedule_gate(other, held, secretary)
    assert "Record the decision" in client.get(held.get_absolute_url()).content.decode()


def test_the_decision_form_shows_every_problem_at_once(
    cabinet, cabinet_secretary, strategy, officer
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    workflow.schedule_gate(gate, meeting_of(cabinet, days_ago=1), cabinet_secretary)
    url = reverse("governance:record-decision", args=[gate.pk])
    client = client_for(cabinet_secretary)
    page = client.get(url)
    for name in ("reasons", "alternatives_considered"):  # marked required from the start
        assert page.context["form"].fields[name].required
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = client.post(url, {"outcome": "deferred", "decided_on": future})
    errors = response.context["form"].errors
    assert set(errors) == {"resolution", "reasons", "alternatives_considered", "decided_on"}
    assert errors["reasons"] == [workflow.REASONS_NEEDED]
    assert errors["decided_on"] == ["A decision cannot be dated in the future."]


def test_a_gate_put_on_a_meeting_before_what_it_waits_for_has_passed_is_flagged(
    secretary, board, cabinet, officer, strategy
):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, waits_for=[review])
    meeting = meeting_of(board, days_ago=0)
    client = client_for(secretary)
    response = client.post(meeting.get_absolute_url(), {"gate": approve.pk}, follow=True)
    page = response.content.decode()
    warning = (
        f"{strategy.title} waits for Health and Wellbeing Board: Review (planned), not yet "
        "passed. Until that gate has, the only decision that can be recorded here is a deferral."
    )
    assert warning in [str(m) for m in response.context["messages"]]
    assert f"<strong>Warning:</strong> {warning}" in page
    # On the agenda, the gate says what it waits for and that it can only be deferred till then.
    assert (
        "<strong>Waits for</strong> Health and Wellbeing Board: review (planned), not yet passed: "
        "until then it can only be deferred"
    ) in page
    decide_url = reverse("governance:record-decision", args=[approve.pk])
    assert f'href="{decide_url}"' in page
    form = client.get(decide_url).content.decode()
    assert (
        "this gate waits for Health and Wellbeing Board: review (planned). Until that has passed, "
        "the only decision that can be recorded is a deferral."
    ) in form
    # Approving it now is refused beside the outcome, with what was typed kept.
    typed = {"outcome": "approved", "decided_on": f"{timezone.localdate():%Y-%m-%d}",
             "resolution": "Approved as presented."}  # fmt: skip
    refused = client.post(decide_url, typed)
    assert "the only decision that can be recorded is a deferral" in " ".join(
        refused.context["form"].errors["outcome"]
    )
    assert "Approved as presented." in refused.content.decode()
    assert not Decision.objects.exists()
    # Once the review has passed at the same meeting, the approval's decision can be recorded.
    client.post(meeting.get_absolute_url(), {"gate": review.pk})
    workflow.record_decision(review, secretary, "noted", "Noted.")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Waits for</strong>" not in page
    client.post(decide_url, typed)
    approve.refresh_from_db()
    assert approve.state == Gate.State.PASSED


def test_a_body_may_defer_a_gate_still_waiting_for_another(
    strategy, board, cabinet, officer, secretary
):
    """A scrutiny committee meeting before the Cabinet has decided puts the item off: that is a
    decision the secretary must be able to record, or the meeting never leaves their list."""
    first = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    second = workflow.add_gate(strategy, board, Purpose.SCRUTINISE, officer, [first])
    workflow.schedule_gate(second, meeting_of(board), secretary)
    decision = workflow.record_decision(
        second, secretary, "deferred", "Deferred until the Cabinet has decided.",
        reasons="The Cabinet has not yet taken its decision.",
    )  # fmt: skip
    second.refresh_from_db()
    assert decision.outcome == "deferred" and second.state == Gate.State.PLANNED


def test_a_gate_whose_waits_are_over_is_put_on_a_meeting_without_a_warning(
    secretary, board, officer, strategy
):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    decide(review, secretary, "noted")
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, waits_for=[review])
    meeting = meeting_of(board, days_ago=-7)
    response = client_for(secretary).post(
        meeting.get_absolute_url(), {"gate": approve.pk}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [f"{strategy.title} is on the agenda."]


def test_the_officer_changes_what_a_gate_waits_for_on_its_re_plan_page(
    officer, strategy, board, cabinet
):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    adopt = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [review])
    url = reverse("governance:replan-gate", kwargs={"slug": strategy.slug, "pk": adopt.pk})
    client = client_for(officer)
    form = client.get(url).context["form"]
    assert list(form.fields["waits_for"].queryset) == [review, consult]  # not the gate itself
    seen = form.initial["seen_plan"]
    plan = {"planned_precision": "not_set", "seen_plan": seen}
    response = client.post(url, {**plan, "waits_for": [review.pk]}, follow=True)
    assert "Nothing was changed, so nothing was saved." in response.content.decode()
    response = client.post(
        url, {**plan, "waits_for": [review.pk, consult.pk], "comment": "After the consultation"}
    )
    assert response.status_code == 302
    assert set(adopt.waits_for.all()) == {review, consult}
    assert adopt.history.count() == 1  # the gate itself did not change: only its links
    # A second officer's form, opened before that change, is refused rather than undoing it.
    stale = client.post(url, {**plan, "waits_for": [review.pk]})
    assert stale.status_code == 200
    assert "Someone else re-planned this gate" in stale.content.decode()
    assert set(adopt.waits_for.all()) == {review, consult}
    # A loop is refused beside the field, with what was chosen kept.
    loop_url = reverse("governance:replan-gate", kwargs={"slug": strategy.slug, "pk": review.pk})
    seen = client.get(loop_url).context["form"].initial["seen_plan"]
    looping = client.post(
        loop_url, {"planned_precision": "not_set", "seen_plan": seen, "waits_for": [adopt.pk]}
    )
    assert "would make a loop" in " ".join(looping.context["form"].errors["waits_for"])
    assert looping.context["form"]["waits_for"].value() == [str(adopt.pk)]
    assert not review.waits_for.exists()
    # The history says who changed which link, and why.
    history = client.get(reverse("strategy-history", kwargs={"slug": strategy.slug})).text
    assert "Cabinet: Adopt waits for Health and Wellbeing Board: Consult" in history
    assert "After the consultation" in history


def test_a_re_plan_form_open_while_a_waited_for_gate_is_removed_still_saves(
    officer, strategy, board
):
    """The removed gate stays on the form, marked, while the gate still links to it: saving
    unchanged saves nothing, and saving a new date keeps the link (it holds nothing up)."""
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    approve = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [review, consult])
    url = reverse("governance:replan-gate", kwargs={"slug": strategy.slug, "pk": approve.pk})
    client = client_for(officer)
    seen = client.get(url).context["form"].initial["seen_plan"]
    workflow.remove_gate(consult, officer, "Not needed")  # by someone else, meanwhile
    sent = {"planned_precision": "not_set", "seen_plan": seen}
    unchanged = client.post(url, {**sent, "waits_for": [review.pk, consult.pk]}, follow=True)
    assert "Nothing was changed, so nothing was saved." in unchanged.content.decode()
    page = client.get(url).content.decode()
    assert "Health and Wellbeing Board: Consult (removed from the route)" in page
    moved = client.post(
        url,
        {**sent, "planned_precision": "month", "planned_date": "2027-03-01",
         "waits_for": [review.pk, consult.pk]},
    )  # fmt: skip
    assert moved.status_code == 302
    assert set(approve.waits_for.all()) == {review, consult}
    assert GateDependency.history.filter(from_gate=approve).count() == 2
