"""Each consultation move can be asked whether a person may make it now, and why not, without
making it (consultation/workflow/refusals.py); the move itself refuses with the same words, and
the window's page offers a move only when its check lets the person make it."""

from __future__ import annotations

import re

import pytest
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
        "The closing date has passed; set new dates before opening."
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
