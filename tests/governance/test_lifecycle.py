"""A strategy's life after publication, through the workflow: into delivery with a review date,
under review and back, a refresh copied from it that replaces it, and the strategy it replaces
superseded when the refresh is adopted. Each move is a transition with who and why."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from governance import workflow
from governance.models import Purpose, Transition
from strategies.models import Action, OutcomeIndicator, Strategy
from tests.governance.conftest import decide
from tests.governance.test_publish_and_exports import adopted  # noqa: F401 (fixture)

Stage = Strategy.Stage
pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def published(adopted, officer):  # noqa: F811
    workflow.publish(adopted, officer)
    adopted.refresh_from_db()
    return adopted


@pytest.fixture
def delivering(published, officer):
    workflow.start_delivery(published, officer, days(365), "Action plan agreed")
    published.refresh_from_db()
    return published


def last_move(strategy) -> Transition:
    return Transition.objects.filter(strategy=strategy, gate=None).order_by("pk").last()


def test_publishing_keeps_the_day_and_delivery_starts_with_a_review_date(published, officer):
    assert published.published_on == timezone.localdate() and published.has_public_page
    with pytest.raises(workflow.WorkflowError, match="past") as refused:
        workflow.start_delivery(published, officer, days(-1))
    assert refused.value.field == "review_due_on"
    workflow.start_delivery(published, officer, days(365), "Action plan agreed")
    published.refresh_from_db()
    assert (published.stage, published.review_due_on) == (Stage.IN_DELIVERY, days(365))
    move = last_move(published)
    assert (move.from_state, move.to_state, move.by) == (
        Stage.PUBLISHED,
        Stage.IN_DELIVERY,
        officer,
    )
    assert move.comment.startswith("Action plan agreed (review due")
    assert published.history.first().history_user == officer


def test_only_the_lead_organisations_officers_move_it(delivering, manager, secretary, officer):
    for person in (manager, secretary):
        assert workflow.start_review_refusal(person, delivering)
        with pytest.raises(workflow.WorkflowError):
            workflow.start_review(delivering, person, "Annual review")
    assert workflow.start_delivery_refusal(officer, delivering) == (
        "Only a strategy that is published moves into delivery; this one is in delivery."
    )


def test_the_review_date_is_moved_with_a_reason(delivering, officer):
    with pytest.raises(workflow.WorkflowError, match="why"):
        workflow.set_review_date(delivering, officer, days(100), " ")
    workflow.set_review_date(delivering, officer, days(100), "Board asked for an earlier review")
    delivering.refresh_from_db()
    assert delivering.review_due_on == days(100)
    assert not workflow.is_review_due(delivering)
    assert workflow.is_review_due(delivering, today=days(100))
    assert "Board asked" in delivering.history.first().history_change_reason


def test_a_review_that_changes_nothing_goes_back_into_delivery(delivering, officer):
    workflow.start_review(delivering, officer, "Due for its annual review")
    delivering.refresh_from_db()
    assert delivering.stage == Stage.UNDER_REVIEW and delivering.has_public_page
    workflow.end_review(delivering, officer, days(365), "Still right for the next year")
    delivering.refresh_from_db()
    assert delivering.stage == Stage.IN_DELIVERY and delivering.review_due_on == days(365)


def test_a_review_that_changed_the_text_must_take_it_through_the_route(delivering, officer):
    workflow.start_review(delivering, officer, "Due for its annual review")
    Action.objects.filter(objective__priority__strategy=delivering).update(title="Changed")
    delivering.refresh_from_db()
    assert "changed since it was published" in workflow.end_review_refusal(officer, delivering)


def test_a_refresh_copies_the_content_replaces_it_and_supersedes_it_once_adopted(
    delivering, officer, secretary, board
):
    indicator = OutcomeIndicator.objects.create(
        strategy=delivering,
        position=1,
        framework="local",
        title="Smoking at delivery",
        baseline=15,
        latest_value=12,
        latest_date=days(-30),
    )
    Action.objects.filter(objective__priority__strategy=delivering).update(status="complete")
    refresh = workflow.start_refresh(
        delivering, officer, "Health and Wellbeing Strategy 2027-2032", 2027, 2032, "Period ends"
    )
    assert refresh.stage == Stage.DRAFT and refresh.replaces == delivering
    assert list(delivering.replaced_by.all()) == [refresh]
    copied = Action.objects.get(objective__priority__strategy=refresh)
    assert copied.title == "Smoking cessation in pregnancy" and copied.status == "not_started"
    copied_indicator = refresh.indicators.get()
    assert (copied_indicator.baseline, copied_indicator.latest_value) == (indicator.baseline, None)
    assert "Refresh started" in delivering.history.first().history_change_reason
    assert workflow.start_refresh_refusal(officer, delivering).startswith("A refresh is already")

    gate = workflow.add_gate(refresh, board, Purpose.ADOPT, officer)
    decide(gate, secretary)
    refresh.refresh_from_db()
    delivering.refresh_from_db()
    assert refresh.stage == Stage.ADOPTED
    assert delivering.stage == Stage.SUPERSEDED and delivering.has_public_page
    move = last_move(delivering)
    assert (move.from_state, move.to_state) == (Stage.IN_DELIVERY, Stage.SUPERSEDED)
    assert move.comment.startswith(f"Replaced by “{refresh.title}”, adopted")


def test_a_progress_reports_gate_does_not_move_a_strategy_in_delivery(
    delivering, officer, secretary, board
):
    gate = workflow.add_gate(delivering, board, Purpose.MONITOR, officer)
    decide(gate, secretary, outcome="referred_back")
    delivering.refresh_from_db()
    assert delivering.stage == Stage.IN_DELIVERY
