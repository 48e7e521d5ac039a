"""delivery.plan: every move of the delivery plan, allowed and refused, and the rows it leaves:
who and why in the history, and the action's status and RAG following its latest update."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from delivery import plan
from delivery.models import Milestone, ProgressUpdate
from governance.workflow import WorkflowError
from strategies.models import Action, Strategy
from tests.delivery.conftest import milestone, set_stage, update

pytestmark = pytest.mark.django_db
Stage = Strategy.Stage


# Milestones ------------------------------------------------------------------------------------


def test_officer_adds_changes_completes_and_removes_milestones_while_drafting(officer, action):
    added = milestone(action, officer)
    assert added.history.get().history_user == officer
    assert added.history.get().history_change_reason == "Milestone added"
    added.title = "Community midwives trained"
    plan.save_milestone(added, officer, "Wording agreed with the trust")
    changed = added.history.order_by("-history_id").first()
    assert changed.history_change_reason == "Milestone changed: Wording agreed with the trust"
    done = plan.complete_milestone(added, officer, on=datetime.date(2019, 4, 20))
    assert done.completed_on == datetime.date(2019, 4, 20) and done.version == 2
    with pytest.raises(WorkflowError, match="completed on 20 April 2019"):
        plan.complete_milestone(done, officer)
    with pytest.raises(WorkflowError, match="cannot be removed"):
        plan.remove_milestone(done, officer)
    other = milestone(action, officer, "Leaflets printed")
    plan.remove_milestone(other, officer, "Dropped by the Board")
    assert not Milestone.objects.filter(pk=other.pk).exists()
    gone = Milestone.history.filter(id=other.pk).order_by("-history_id").first()
    assert (gone.history_type, gone.history_user, gone.history_change_reason) == (
        "-",
        officer,
        "Milestone removed: Dropped by the Board",
    )


def test_administrator_keeps_the_plan_too(administrator, action):
    assert milestone(action, administrator).pk


@pytest.mark.parametrize("who", ["other_officer", "secretary", "manager"])
def test_people_who_do_not_plan_the_strategy_cannot_add_milestones(request, action, who):
    person = request.getfixturevalue(who)
    assert plan.milestone_refusal(person, action.objective.priority.strategy)
    with pytest.raises(WorkflowError, match="Only officers of the lead organisation"):
        milestone(action, person)
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.SUPERSEDED])
def test_nothing_moves_in_the_plan_of_a_closed_strategy(officer, strategy, action, stage):
    kept = milestone(action, officer)
    set_stage(strategy, stage)
    with pytest.raises(WorkflowError, match="delivery plan is closed"):
        milestone(action, officer, "Another")
    with pytest.raises(WorkflowError, match="delivery plan is closed"):
        plan.complete_milestone(kept, officer)
    with pytest.raises(WorkflowError, match="delivery plan is closed"):
        update(action, officer, datetime.date(2019, 1, 1))


def test_a_milestone_is_not_completed_in_the_future(officer, action):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(WorkflowError) as refused:
        milestone(action, officer, completed_on=tomorrow)
    assert refused.value.field == "completed_on"


# Progress updates ------------------------------------------------------------------------------


def test_progress_is_not_reported_on_a_draft(officer, action):
    with pytest.raises(WorkflowError, match="once the strategy is approved; it is draft"):
        update(action, officer, datetime.date(2019, 1, 1))
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("stage", sorted(plan.UPDATE_STAGES))
def test_progress_is_reported_from_approval_on(officer, strategy, action, stage):
    set_stage(strategy, stage)
    assert update(action, officer, datetime.date(2019, 1, 1)).pk


@pytest.mark.parametrize(
    ("as_of", "status", "rag", "field", "message"),
    [
        ("future", "in_progress", "green", "as_of", "a day that has come"),
        (datetime.date(2016, 12, 31), "in_progress", "green", "as_of", "starts in 2017"),
        (None, "in_progress", "green", "as_of", "Give the day"),
        (datetime.date(2019, 1, 1), "complete", "red", "rag", "cannot be rated red"),
        (datetime.date(2019, 1, 1), "finished", "green", "status", "Choose the action's status"),
        (datetime.date(2019, 1, 1), "in_progress", "purple", "rag", "Choose a RAG rating"),
    ],
)
def test_an_update_as_typed_is_checked(officer, adopted, action, as_of, status, rag, field,
                                       message):  # fmt: skip
    if as_of == "future":
        as_of = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(WorkflowError, match=message) as refused:
        update(action, officer, as_of, status=status, rag=rag)
    assert refused.value.field == field
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "secretary", "manager"])
def test_only_planners_report_progress(request, adopted, action, who):
    with pytest.raises(WorkflowError, match="Only officers"):
        update(action, request.getfixturevalue(who), datetime.date(2019, 1, 1))


def test_the_action_follows_its_latest_update_with_a_history_row(officer, adopted, action):
    first = update(action, officer, datetime.date(2019, 2, 1), "delayed", "amber", "Late start")
    action.refresh_from_db()
    assert (action.status, action.rag) == ("delayed", "amber")
    row = action.history.order_by("-history_id").first()
    assert row.history_user == officer
    assert "progress update of 1 February 2019" in row.history_change_reason
    assert first.recorded_by == officer and first.recorded_at is not None
    assert first.history.get().history_change_reason == "Progress update recorded"
    # An update about an earlier day is kept but is not the latest: the action stays as it is.
    update(action, officer, datetime.date(2019, 1, 1), "in_progress", "green")
    action.refresh_from_db()
    assert (action.status, action.rag) == ("delayed", "amber")
    update(action, officer, datetime.date(2019, 3, 1), "complete", "green")
    action.refresh_from_db()
    assert (action.status, action.rag, action.version) == ("complete", "green", 3)


def test_a_correction_keeps_what_it_said_who_recorded_it_and_why(
    officer, second_officer, adopted, action
):
    recorded = update(action, officer, datetime.date(2019, 2, 1), "in_progress", "green")
    seen = plan.latest_history_id(recorded)
    recorded.rag = "red"
    with pytest.raises(WorkflowError, match="Say why") as refused:
        plan.correct_update(recorded, second_officer, "  ", seen=seen)
    assert refused.value.field == "reason"
    recorded.rag = "red"
    plan.correct_update(recorded, second_officer, "Figures were wrong", seen=seen)
    recorded.refresh_from_db()
    assert recorded.rag == "red" and recorded.recorded_by == officer
    rows = list(recorded.history.order_by("history_id"))
    assert [r.rag for r in rows] == ["green", "red"]
    assert rows[-1].history_user == second_officer
    assert rows[-1].history_change_reason == "Corrected: Figures were wrong"
    action.refresh_from_db()
    assert action.rag == "red"
    # A second correction made from the form opened before the first is refused.
    recorded.rag = "amber"
    with pytest.raises(WorkflowError, match="Someone corrected this update"):
        plan.correct_update(recorded, officer, "Back to amber", seen=seen)
    recorded.refresh_from_db()
    assert recorded.rag == "red"


def test_correcting_the_day_of_an_update_changes_which_is_latest(officer, adopted, action):
    older = update(action, officer, datetime.date(2019, 1, 1), "in_progress", "green")
    update(action, officer, datetime.date(2019, 2, 1), "delayed", "red")
    older.as_of = datetime.date(2019, 3, 1)
    plan.correct_update(older, officer, "Wrong month")
    action.refresh_from_db()
    assert (action.status, action.rag) == ("in_progress", "green")
    assert Action.history.filter(id=action.pk).count() == 4  # added, red, then green again
