"""Each consultation move can be asked whether a person may make it now, and why not, without
making it (consultation/workflow/refusals.py); the move itself refuses with the same words, and
the window's page offers a move only when its check lets the person make it."""

from __future__ import annotations

import html
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from consultation import access, workflow
from consultation.models import ConsultationWindow, Theme, YouSaidWeDid
from governance.workflow import WorkflowError
from strategies.models import Strategy
from tests.conftest import client_for
from tests.consultation.conftest import answers_for, days

PLANNERS_ONLY = "Only officers of the lead organisation can plan this strategy's route."
ONLY_OPEN_CLOSES = "Only an open consultation can be closed."
AFTER_CLOSING = "The response can be published only after the window closes."
ENTRIES_WHEN = (
    "“You said, we did” is written after the consultation closes and before it is published."
)
AN_ENTRY_FIRST = "Write at least one “you said, we did” entry first."
FINAL = "The response to this consultation has been published: its details are final."


def _entry(window) -> YouSaidWeDid:
    theme = Theme.objects.create(window=window, name="Access")
    return YouSaidWeDid.objects.create(
        window=window, theme=theme, you_said="x", changed=False, why_not="y"
    )


@pytest.fixture
def window_in(request, planned, officer):
    """The window brought to each state by the workflow's own moves."""

    def bring(state: str) -> ConsultationWindow:
        window = planned
        if state == "planned":
            return window
        window = workflow.open_window(window, officer)
        if state == "open":
            return window
        window = workflow.close_window(window, officer, "Enough responses")
        if state == "closed":
            return window
        _entry(window)
        return workflow.publish_response(window, officer)

    return bring


CHECKS = {
    "edit": lambda w, by: workflow.window_refusal(w, by),
    "open": lambda w, by: workflow.open_refusal(w, by),
    "close": lambda w, by: workflow.close_refusal(w, by),
    "entry": lambda w, by: workflow.entry_refusal(w, by),
    "publish": lambda w, by: workflow.publish_refusal(w, by),
}
# For the lead organisation's officer, in each state: None where the move is allowed.
EXPECTED = {
    "planned": {"edit": None, "open": None, "close": ONLY_OPEN_CLOSES,
                "entry": ENTRIES_WHEN, "publish": AFTER_CLOSING},
    "open": {"edit": None, "open": "The window is already open.", "close": None,
             "entry": ENTRIES_WHEN, "publish": AFTER_CLOSING},
    "closed": {"edit": None, "open": "The window is already closed.", "close": ONLY_OPEN_CLOSES,
               "entry": None, "publish": AN_ENTRY_FIRST},
    "response_published": {"edit": FINAL, "open": "The window is already response published.",
                           "close": ONLY_OPEN_CLOSES, "entry": ENTRIES_WHEN,
                           "publish": AFTER_CLOSING},
}  # fmt: skip


@pytest.mark.parametrize("state", list(EXPECTED))
def test_each_move_says_whether_the_officer_may_make_it_in_each_state(window_in, officer, state):
    window = window_in(state)
    history = window.history.count()
    answers = {move: check(window, officer) for move, check in CHECKS.items()}
    assert answers == EXPECTED[state]
    assert window.history.count() == history  # asking changes nothing
    assert ConsultationWindow.objects.get().state == state


@pytest.mark.parametrize("persona", ["manager", "secretary", "other_officer"])
@pytest.mark.parametrize("state", ["planned", "open", "closed"])
def test_no_move_is_anyone_elses(request, window_in, persona, state):
    window = window_in(state)
    person = request.getfixturevalue(persona)
    assert {move: check(window, person) for move, check in CHECKS.items()} == dict.fromkeys(
        CHECKS, PLANNERS_ONLY
    )
    assert not access.can_manage(person, window.strategy)


def test_a_withdrawn_strategy_closes_every_move_and_the_pages_say_so_without_a_probe(
    planned, officer, administrator
):
    Strategy.objects.filter(pk=planned.strategy_id).update(stage=Strategy.Stage.WITHDRAWN)
    window = ConsultationWindow.objects.select_related("strategy").get()
    for person in (officer, administrator):
        assert workflow.plan_refusal(person, window.strategy) == (
            "This strategy is withdrawn; its route is closed."
        )
        assert not access.can_manage(person, window.strategy)
    with pytest.raises(WorkflowError, match="its route is closed"):
        workflow.open_window(window, administrator)


def test_the_moves_refuse_with_their_checks_words(window_in, officer, manager):
    window = window_in("closed")
    for move, check in (
        (workflow.publish_response, workflow.publish_refusal),
        (workflow.open_window, workflow.open_refusal),
    ):
        refusal = check(window, officer)
        with pytest.raises(WorkflowError, match=re.escape(refusal)):
            move(window, officer)
    with pytest.raises(WorkflowError, match=re.escape(workflow.close_refusal(window, manager))):
        workflow.close_window(window, manager)


def test_opening_says_what_the_dates_still_need(planned, officer):
    planned.opens_on = None
    planned.save()
    assert workflow.open_refusal(planned, officer) == "Give the date the window opens."
    planned.opens_on, planned.closes_on = days(-100), days(-1)
    planned.save()
    assert workflow.open_refusal(planned, officer) == (
        "The closing date has passed. If the consultation ran on those dates, use “Record a "
        "consultation that has run”; otherwise set new dates before opening."
    )
    # A consultation that ran in the past is recorded as of its opening day (the demo does).
    assert workflow.open_refusal(planned, officer, as_of=days(-100)) is None


def test_closing_early_asks_for_a_reason_only_when_it_makes_the_window_short(open_window):
    assert workflow.closing_reason_refusal(open_window, "") == (
        "Closing today makes the consultation 11 days long, shorter than the 84-day minimum: "
        "give the reason, which is kept with it."
    )
    assert workflow.closing_reason_refusal(open_window, "The Board asked") is None
    open_window.opens_on = days(-100)
    assert workflow.closing_reason_refusal(open_window, "") is None


def test_responses_are_taken_only_while_open(planned, officer):
    assert workflow.submission_refusal(planned) == "This consultation is not open for responses."
    assert workflow.submission_refusal(planned, is_demo=True) is None
    window = workflow.open_window(planned, officer)
    assert workflow.submission_refusal(window) is None


def test_tagging_is_for_those_who_run_the_consultation(open_window, officer, manager, strategy):
    response = workflow.submit_response(open_window, "individual", answers_for(open_window))
    theme = Theme.objects.create(window=open_window, name="Access")
    assert workflow.tag_refusal(response, theme, manager) == PLANNERS_ONLY
    with pytest.raises(WorkflowError, match=PLANNERS_ONLY):
        workflow.set_tag(response, theme, True, by=manager)
    assert not response.themes.exists()
    assert workflow.tag_refusal(response, theme, officer) is None
    workflow.set_tag(response, theme, True, by=officer)
    assert list(response.themes.all()) == [theme]


# The window's page offers what the checks allow -------------------------------------------------

BUTTONS = {
    "open": "Open the consultation",
    "close": "Close the consultation now",
    "publish": "Publish “you said, we did”",
    "edit": "Edit details",
}


def _offered(client, window) -> set[str]:
    page = client.get(reverse("consultation:window", kwargs={"pk": window.pk})).content.decode()
    return {move for move, label in BUTTONS.items() if label in page}


@pytest.mark.parametrize(
    ("state", "offered"),
    [
        ("planned", {"edit", "open"}),
        ("open", {"edit", "close"}),
        ("closed", {"edit"}),  # no entry yet: nothing to publish
        ("response_published", set()),
    ],
)
def test_the_window_page_offers_the_moves_its_checks_allow(
    window_in, officer, manager, state, offered
):
    window = window_in(state)
    assert _offered(client_for(officer), window) == offered
    assert _offered(client_for(manager), window) == set()


def test_the_next_move_refused_for_now_says_why(window_in, officer):
    window = window_in("closed")
    page = client_for(officer).get(window.get_absolute_url()).content.decode()
    assert f"Not yet: {AN_ENTRY_FIRST}" in page
    _entry(window)
    assert "publish" in _offered(client_for(officer), window)

    planned = ConsultationWindow.objects.create(
        strategy=window.strategy, title="Next time", slug="next-time", minimum_days=84
    )
    page = client_for(officer).get(planned.get_absolute_url()).content.decode()
    assert "Not yet: Give the date the window opens." in page
    assert BUTTONS["open"] not in page


# The window's gate: Open and Close ask governance what its gate allows --------------------------


def test_a_consultation_whose_gate_waits_is_not_offered_open_and_the_move_agrees(
    planned, officer, cabinet, consult_gate
):
    from governance import workflow as governance
    from governance.models import Purpose

    first = governance.add_gate(planned.strategy, cabinet, Purpose.REVIEW, officer)
    governance.set_waits_for(consult_gate, [first], officer)
    window = ConsultationWindow.objects.select_related("strategy", "gate").get()
    waits = (
        "The consultation waits for gates not yet passed: "
        f"{first} ({first.get_state_display().lower()})."
    )
    assert workflow.open_refusal(window, officer) == waits
    assert governance.start_consultation_refusal(window.gate) == waits
    with pytest.raises(WorkflowError, match=re.escape(waits)):
        workflow.open_window(window, officer)

    client = client_for(officer)
    page = client.get(window.get_absolute_url()).content.decode()
    assert BUTTONS["open"] not in page
    assert f"Not yet: {html.escape(waits)}" in page
    refused = client.post(reverse("consultation:open", kwargs={"pk": window.pk}), follow=True)
    assert waits in [str(m) for m in refused.context["messages"]]
    assert ConsultationWindow.objects.get().state == "planned"
    consult_gate.refresh_from_db()
    assert consult_gate.state == "planned"


def test_a_window_whose_gate_is_not_open_is_not_offered_open(planned, officer, consult_gate):
    from governance.models import Gate

    Gate.objects.filter(pk=consult_gate.pk).update(state=Gate.State.PASSED)
    window = ConsultationWindow.objects.select_related("strategy", "gate").get()
    refusal = "That gate is not an open consultation gate."
    assert workflow.open_refusal(window, officer) == refusal
    with pytest.raises(WorkflowError, match=re.escape(refusal)):
        workflow.open_window(window, officer)
    assert BUTTONS["open"] not in client_for(officer).get(window.get_absolute_url()).text


def test_closing_asks_whether_the_gate_is_under_way_as_the_move_does(open_window, officer):
    """The scheduler closes a window at its closing date (with no one's name): the gate must be
    under way to pass. After the strategy is withdrawn, its gates are removed."""
    from governance import workflow as governance

    governance.withdraw(open_window.strategy, officer, "Merged into the county's strategy")
    window = ConsultationWindow.objects.select_related("strategy", "gate").get()
    not_under_way = "That consultation gate is not under way."
    assert workflow.close_refusal(window) == not_under_way
    assert governance.complete_consultation_refusal(window.gate) == not_under_way
    with pytest.raises(WorkflowError, match=re.escape(not_under_way)):
        workflow.close_window(window)
    assert ConsultationWindow.objects.get().state == "open"


# A refused page says the refusal, not a fixed sentence ------------------------------------------


def test_a_lead_officer_on_a_withdrawn_strategy_is_told_its_route_is_closed(planned, officer):
    Strategy.objects.filter(pk=planned.strategy_id).update(stage=Strategy.Stage.WITHDRAWN)
    closed = "This strategy is withdrawn; its route is closed."
    client = client_for(officer)
    for url, method in (
        (reverse("consultation:edit", kwargs={"pk": planned.pk}), "get"),
        (reverse("consultation:create", kwargs={"slug": planned.strategy.slug}), "get"),
        (reverse("consultation:open", kwargs={"pk": planned.pk}), "post"),
        (reverse("consultation:add-theme", kwargs={"pk": planned.pk}), "post"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        assert closed in response.text and "Only officers" not in response.text, url
    with pytest.raises(PermissionDenied, match=re.escape(closed)):
        access.get_window(officer, planned.pk, manage=True)


def test_someone_else_is_told_they_do_not_plan_the_route(planned, manager):
    page = client_for(manager).get(reverse("consultation:edit", kwargs={"pk": planned.pk}))
    assert page.status_code == 403 and html.escape(PLANNERS_ONLY) in page.text
