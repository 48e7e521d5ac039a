"""Milestones and progress updates in the admin: the same rules as the browser, with the same
words, each save the workflow's move; nothing deleted that is on the record, and no error page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from delivery import plan
from delivery.models import Milestone, ProgressUpdate
from strategies.models import Strategy
from tests.admin_forms import admin_form_data
from tests.conftest import client_for
from tests.delivery.conftest import milestone, set_stage, update

pytestmark = pytest.mark.django_db


def test_admin_adds_a_milestone_through_the_workflow(administrator, action):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:delivery_milestone_add"),
        {"action": action.pk, "title": "Midwives trained", "due_on": "2019-05-01",
         "reason": "From the action plan"},
    )  # fmt: skip
    assert response.status_code == 302
    row = Milestone.objects.get().history.get()
    assert row.history_user == administrator
    assert row.history_change_reason == "Milestone added: From the action plan"


def test_admin_is_refused_a_milestone_of_a_withdrawn_strategy(administrator, strategy, action):
    set_stage(strategy, Strategy.Stage.WITHDRAWN)
    page = client_for(administrator).post(
        reverse("admin:delivery_milestone_add"),
        {"action": action.pk, "title": "Late", "due_on": "2019-05-01"},
    )
    assert page.status_code == 200
    assert "delivery plan is closed" in page.text and not Milestone.objects.exists()


def test_a_stale_admin_edit_of_a_milestone_is_refused(administrator, officer, action):
    kept = milestone(action, officer)
    client = client_for(administrator)
    change = reverse("admin:delivery_milestone_change", args=[kept.pk])
    data = admin_form_data(client, change)
    kept.title = "Changed meanwhile"
    kept.version += 1
    plan.save_milestone(kept, officer)
    page = client.post(change, {**data, "title": "Mine"})
    assert page.status_code == 200 and "saved a change to this item" in page.text


def test_a_completed_milestone_is_not_deleted_in_the_admin(administrator, officer, action):
    done = milestone(action, officer, completed_on=datetime.date(2019, 4, 1))
    client = client_for(administrator)
    page = client.post(
        reverse("admin:delivery_milestone_delete", args=[done.pk]), {"post": "yes"}, follow=True
    )
    assert "cannot be removed" in page.text and Milestone.objects.filter(pk=done.pk).exists()
    open_one = milestone(action, officer, "Open")
    client.post(reverse("admin:delivery_milestone_delete", args=[open_one.pk]), {"post": "yes"})
    assert not Milestone.objects.filter(pk=open_one.pk).exists()
    assert Milestone.history.filter(id=open_one.pk, history_type="-").get().history_user == (
        administrator
    )


def test_admin_updates_keep_the_browsers_rules(administrator, strategy, action):
    client = client_for(administrator)
    add = reverse("admin:delivery_progressupdate_add")
    data = {"action": action.pk, "as_of": "2019-04-01", "status": "complete", "rag": "red"}
    page = client.post(add, data)
    assert page.status_code == 200
    assert "Progress is reported once the strategy is approved" in page.text
    set_stage(strategy, Strategy.Stage.ADOPTED)
    page = client.post(add, data)
    assert "A complete action cannot be rated red." in page.text
    assert client.post(add, {**data, "rag": "green"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.rag) == ("complete", "green")
    recorded = ProgressUpdate.objects.get()
    assert recorded.recorded_by == administrator


def test_an_admin_correction_needs_its_reason_and_no_update_is_deleted(
    administrator, officer, adopted, action
):
    recorded = update(action, officer, datetime.date(2019, 4, 1), rag="green")
    client = client_for(administrator)
    change = reverse("admin:delivery_progressupdate_change", args=[recorded.pk])
    data = admin_form_data(client, change)
    page = client.post(change, {**data, "rag": "amber"})
    assert page.status_code == 200 and "Say why the update is corrected" in page.text
    assert client.post(change, {**data, "rag": "amber", "reason": "Typo"}).status_code == 302
    recorded.refresh_from_db()
    assert recorded.rag == "amber" and recorded.recorded_by == officer
    assert recorded.history.order_by("-history_id").first().history_user == administrator
    delete = client.get(reverse("admin:delivery_progressupdate_delete", args=[recorded.pk]))
    assert delete.status_code == 403


def test_admin_lists_and_odd_ids_answer_without_an_error(administrator, officer, adopted, action):
    update(action, officer, datetime.date(2019, 4, 1))
    milestone(action, officer)
    client = client_for(administrator)
    for name in ("milestone", "progressupdate"):
        assert client.get(reverse(f"admin:delivery_{name}_changelist")).status_code == 200
        odd = client.get(f"/admin/delivery/{name}/99999999999999999999/change/")
        assert odd.status_code in {302, 404}
        history = client.get(f"/admin/delivery/{name}/abc/history/")
        assert history.status_code in {302, 404}


def test_an_unchanged_admin_save_of_a_milestone_goes_through(administrator, officer, action):
    kept = milestone(action, officer)
    client = client_for(administrator)
    change = reverse("admin:delivery_milestone_change", args=[kept.pk])
    data = admin_form_data(client, change)
    assert data["version"] == str(kept.version)  # the page carries the copy it shows
    page = client.post(change, {**data, "title": "Renamed in the admin"})
    assert page.status_code == 302
    kept.refresh_from_db()
    assert kept.title == "Renamed in the admin"
