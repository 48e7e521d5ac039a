"""The Delivery tab and an action's page: what each person sees and may do, the forms (errors
beside the fields, what was typed kept, versions checked), and fixed query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from delivery import plan
from delivery.models import Milestone, ProgressUpdate
from strategies.models import Strategy
from tests.conftest import client_for
from tests.delivery.conftest import many_actions, milestone, set_stage, update

pytestmark = pytest.mark.django_db


def url(name, strategy, **kw):
    return reverse(f"delivery:{name}", kwargs={"slug": strategy.slug, **kw})


def test_the_delivery_tab_shows_each_action_with_words_beside_colours(officer, adopted, action):
    update(action, officer, datetime.date(2019, 1, 1), rag="green")
    update(action, officer, datetime.date(2019, 4, 1), "delayed", "red", "Midwives short")
    milestone(action, officer, "Midwives trained", due_on=datetime.date(2019, 5, 1))
    page = client_for(officer).get(url("plan", adopted))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'aria-current="page" href="/strategies/' in text and ">Delivery</a>" in text
    assert "Stop smoking in pregnancy" in text
    assert "off track" in text and "text-bg-danger" in text  # the word beside the colour
    assert "Green → Red" in text and "Worse than the previous update" in text
    assert "OVERDUE" in text  # the action (31 March 2019) and its milestone
    assert "<strong>1</strong> off track" in text
    assert "by Person" in text or officer.display_name in text


def test_filters_narrow_the_list_and_a_bad_filter_is_said_beside_it(officer, adopted, action):
    update(action, officer, datetime.date(2019, 4, 1), rag="red")
    client = client_for(officer)
    assert "No action matches" in client.get(url("plan", adopted), {"rag": "green"}).text
    assert "Stop smoking" in client.get(url("plan", adopted), {"rag": "red"}).text
    page = client.get(url("plan", adopted), {"since": "not a day", "lead": "9" * 30})
    assert page.status_code == 200
    assert "Enter a valid date" in page.text and "Stop smoking" in page.text


def test_readers_read_but_find_no_forms(manager, secretary, adopted, action):
    for person in (manager, secretary):
        page = client_for(person).get(url("action", adopted, pk=action.pk))
        assert page.status_code == 200
        assert "Record a progress update" not in page.text
        assert "Add a milestone" not in page.text


def test_planner_on_a_draft_adds_milestones_but_is_told_why_not_updates(officer, action):
    strategy = action.objective.priority.strategy
    page = client_for(officer).get(url("action", strategy, pk=action.pk))
    assert "Add a milestone" in page.text and "Record a progress update" not in page.text
    assert "Progress is reported once the strategy is approved" in page.text
    refused = client_for(officer).post(url("add-update", strategy, pk=action.pk), {})
    assert refused.status_code == 403


def test_an_update_with_problems_comes_back_with_what_was_typed(officer, adopted, action):
    page = client_for(officer).post(
        url("add-update", adopted, pk=action.pk),
        {"as_of": "2099-01-01", "status": "complete", "rag": "red", "commentary": "All done"},
    )
    assert page.status_code == 200
    assert "An update describes a day that has come." in page.text
    assert "A complete action cannot be rated red." in page.text
    assert "All done" in page.text and not ProgressUpdate.objects.exists()


def test_an_update_recorded_in_the_browser_moves_the_action(officer, adopted, action):
    response = client_for(officer).post(
        url("add-update", adopted, pk=action.pk),
        {"as_of": "2019-04-01", "status": "delayed", "rag": "amber", "commentary": "Short"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.rag) == ("delayed", "amber")
    assert ProgressUpdate.objects.get().history.get().history_user == officer


def test_a_correction_needs_its_reason_and_is_kept(officer, adopted, action):
    recorded = update(action, officer, datetime.date(2019, 4, 1), rag="green")
    client = client_for(officer)
    form = client.get(url("correct-update", adopted, pk=recorded.pk))
    assert form.status_code == 200 and "As it is saved now" in form.text
    seen = plan.latest_history_id(recorded)
    data = {"as_of": "2019-04-01", "status": "in_progress", "rag": "amber", "seen": seen}
    page = client.post(url("correct-update", adopted, pk=recorded.pk), data)
    assert page.status_code == 200 and "Say why the update is corrected" in page.text
    done = client.post(url("correct-update", adopted, pk=recorded.pk), {**data, "reason": "Typo"})
    assert done.status_code == 302
    assert recorded.history.count() == 2
    stale = client.post(
        url("correct-update", adopted, pk=recorded.pk),
        {**data, "rag": "red", "reason": "Worse"},
    )
    assert "Someone corrected this update" in stale.text
    recorded.refresh_from_db()
    assert recorded.rag == "amber"


def test_two_people_editing_one_milestone_never_overwrite_each_other(
    officer, second_officer, action
):
    strategy = action.objective.priority.strategy
    kept = milestone(action, officer)
    edit = url("edit-milestone", strategy, pk=kept.pk)
    first, second = client_for(officer), client_for(second_officer)
    assert first.get(edit).status_code == 200
    data = {"title": "Theirs", "due_on": "2019-05-01", "completed_on": "", "version": 1}
    assert first.post(edit, data).status_code == 302
    page = second.post(edit, {**data, "title": "Mine"})
    assert page.status_code == 200 and page.text.count("saved a change to this item") == 1
    assert page.text.count('id="conflict-heading"') == 1  # the comparison once, not twice
    assert "Mine" in page.text
    kept.refresh_from_db()
    assert kept.title == "Theirs"


def test_milestones_are_added_completed_and_removed_from_the_action_page(officer, action):
    strategy = action.objective.priority.strategy
    client = client_for(officer)
    bad = client.post(url("add-milestone", strategy, pk=action.pk), {"title": "Leaflets"})
    assert bad.status_code == 200 and "This field is required." in bad.text
    assert "Leaflets" in bad.text
    client.post(url("add-milestone", strategy, pk=action.pk),
                {"title": "Leaflets", "due_on": "2019-05-01"})  # fmt: skip
    added = Milestone.objects.get()
    assert client.post(url("complete-milestone", strategy, pk=added.pk)).status_code == 302
    added.refresh_from_db()
    assert added.completed_on is not None
    again = client.post(url("remove-milestone", strategy, pk=added.pk), follow=True)
    assert "cannot be removed" in again.text and Milestone.objects.exists()


def test_odd_ids_are_not_found(officer, strategy, action, other_officer):
    client = client_for(officer)
    assert client.get(url("action", strategy, pk=99999999999999999999)).status_code in {400, 404}
    assert client.get(url("edit-milestone", strategy, pk=0)).status_code == 404
    assert client.get(url("add-update", strategy, pk=action.pk)).status_code == 405
    # Another organisation's draft is not there for them.
    assert client_for(other_officer).get(url("plan", strategy)).status_code == 404


@pytest.mark.parametrize(("actions", "updates_each"), [(2, 1), (30, 6)])
def test_the_pages_cost_the_same_queries_however_large(
    strategy, lead_org, officer, django_assert_num_queries, actions, updates_each
):
    set_stage(strategy, Strategy.Stage.ADOPTED)
    many_actions(strategy, lead_org, officer, actions, updates_each)
    client = client_for(officer)
    client.get(url("plan", strategy))  # the session and anything cached, once
    with django_assert_num_queries(QUERIES["plan"]):
        assert client.get(url("plan", strategy)).status_code == 200
    busiest = strategy.priorities.first().objectives.first().actions.first()
    with django_assert_num_queries(QUERIES["action"]):
        assert client.get(url("action", strategy, pk=busiest.pk)).status_code == 200


QUERIES = {"plan": 12, "action": 9}


def test_the_strategys_history_shows_the_plan_with_who_and_why(officer, adopted, action):
    recorded = update(action, officer, datetime.date(2019, 4, 1), rag="green")
    recorded.rag = "amber"
    plan.correct_update(recorded, officer, "Figures were late")
    milestone(action, officer, "Midwives trained")
    page = client_for(officer).get(reverse("strategy-history", kwargs={"slug": adopted.slug}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Progress update" in text and "Stop smoking in pregnancy, as of 1 April 2019" in text
    assert "Corrected: Figures were late" in text
    assert "Milestone" in text and "Midwives trained (Stop smoking in pregnancy)" in text
    assert "Status and RAG from the progress update of 1 April 2019" in text
