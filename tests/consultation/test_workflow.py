"""Opening, closing and publishing a consultation, and the public's submissions."""

from __future__ import annotations

import pytest

from consultation import workflow
from consultation.models import ConsultationWindow, Response, Theme
from governance import workflow as governance_workflow
from governance.models import Gate, Transition
from governance.workflow import WorkflowError
from strategies.models import Strategy
from tests.consultation.conftest import answers_for, days

State = ConsultationWindow.State


def test_opening_fixes_the_text_and_starts_the_gate(planned, officer):
    window = workflow.open_window(planned, officer)
    assert window.state == State.OPEN and window.revision.label.startswith("Consulted on")
    assert [p["title"] for p in window.revision.content["priorities"]] == [
        "Improve wellbeing",
        "Reduce inequalities",
    ]
    gate = Gate.objects.get(pk=planned.gate_id)
    assert gate.state == Gate.State.SCHEDULED and gate.planned_date == planned.closes_on
    assert Strategy.objects.get().stage == Strategy.Stage.OUT_TO_CONSULTATION


@pytest.mark.parametrize("persona", ["secretary", "manager", "other_officer"])
def test_only_lead_officers_open(request, planned, persona):
    with pytest.raises(WorkflowError, match="lead organisation"):
        workflow.open_window(planned, request.getfixturevalue(persona))


def test_a_short_window_needs_a_recorded_reason(planned, officer):
    planned.closes_on = days(20)
    planned.save()
    with pytest.raises(WorkflowError, match="shorter than the 84-day minimum"):
        workflow.open_window(planned, officer)
    planned.short_window_reason = "The Board meets in six weeks; a shorter window was agreed."
    planned.save()
    assert workflow.open_window(planned, officer).state == State.OPEN


def test_a_window_needs_exact_dates_to_open(planned, officer):
    planned.date_precision = "season"
    planned.save()
    with pytest.raises(WorkflowError, match="exact opening and closing days"):
        workflow.open_window(planned, officer)
    planned.date_precision = "day"
    planned.opens_on = None
    planned.save()
    with pytest.raises(WorkflowError, match="Give the date the window opens"):
        workflow.open_window(planned, officer)


def test_responses_only_while_open(planned, officer):
    with pytest.raises(WorkflowError, match="not open"):
        workflow.submit_response(planned, "individual", [])
    window = workflow.open_window(planned, officer)
    response = workflow.submit_response(window, "individual", answers_for(window, 5, "Yes"))
    assert response.reference.startswith("WM-") and response.answers.count() == 2
    window.closes_on = days(-1)
    window.save()
    with pytest.raises(WorkflowError, match="not open"):
        workflow.submit_response(window, "individual", [])


def test_closing_records_the_result_on_the_gate(open_window, officer):
    for kind in ("individual", "individual", "organisation"):
        workflow.submit_response(open_window, kind, answers_for(open_window))
    window = workflow.close_window(open_window, officer, "Enough responses")
    assert window.result == ("Consultation closed with 3 responses (2 individual, 1 organisation).")
    gate = Gate.objects.get(pk=window.gate_id)
    assert gate.state == Gate.State.PASSED and "3 responses" in gate.note
    assert Transition.objects.filter(gate=gate, to_state="passed", comment=window.result).exists()
    assert Strategy.objects.get().stage == Strategy.Stage.IN_GOVERNANCE
    assert window.closes_on == days(0)  # closed early by hand


def test_due_windows_close_by_themselves(open_window):
    open_window.closes_on = days(-1)
    open_window.save()
    closed = workflow.close_due_windows()
    assert [w.pk for w in closed] == [open_window.pk]
    assert ConsultationWindow.objects.get().state == State.CLOSED
    assert workflow.close_due_windows() == []


def test_publishing_needs_a_closed_window_and_an_entry(open_window, officer):
    from consultation.models import YouSaidWeDid

    with pytest.raises(WorkflowError, match="only after the window closes"):
        workflow.publish_response(open_window, officer)
    window = workflow.close_window(open_window, officer, "Enough responses")
    with pytest.raises(WorkflowError, match="at least one"):
        workflow.publish_response(window, officer)
    theme = Theme.objects.create(window=window, name="Access")
    YouSaidWeDid.objects.create(
        window=window, theme=theme, you_said="x", changed=False, why_not="y"
    )
    window = workflow.publish_response(window, officer)
    assert window.state == State.RESPONSE_PUBLISHED and window.response_published_on == days(0)


def test_the_response_is_overdue_twelve_weeks_after_closing(open_window, officer):
    window = workflow.close_window(open_window, officer, "Enough responses")
    assert not window.response_is_overdue
    window.closes_on = days(-85)
    assert window.response_is_overdue


def test_tags_stay_within_their_window(open_window, strategy, officer):
    response = workflow.submit_response(open_window, "individual", answers_for(open_window))
    theme = Theme.objects.create(window=open_window, name="Access")
    workflow.set_tag(response, theme, True)
    workflow.set_tag(response, theme, True)
    assert list(response.themes.all()) == [theme]
    other = ConsultationWindow.objects.create(
        strategy=strategy, title="Other", slug="other", minimum_days=84
    )
    with pytest.raises(WorkflowError, match="another consultation"):
        workflow.set_tag(response, Theme.objects.create(window=other, name="X"), True)
    workflow.set_tag(response, theme, False)
    assert not Response.objects.get().themes.exists()


def test_a_consultation_gate_is_not_removed_from_under_its_window(planned, officer):
    gate = planned.gate
    with pytest.raises(WorkflowError, match="“Have your say on our strategy” runs at this gate"):
        governance_workflow.remove_gate(gate, officer, "Not needed")
    gate.refresh_from_db()
    assert gate.state == Gate.State.PLANNED
    planned.gate = None
    planned.save()
    governance_workflow.remove_gate(gate, officer, "Not needed")
    gate.refresh_from_db()
    assert gate.state == Gate.State.REMOVED
