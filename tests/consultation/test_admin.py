"""The consultation admin: every model listed, responses read-only, moves as actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultation import workflow
from consultation.models import ConsultationWindow, Response
from tests.conftest import client_for
from tests.consultation.conftest import answers_for


@pytest.mark.parametrize("model", ["consultationwindow", "theme", "yousaidwedid", "response"])
def test_every_model_is_listed(administrator, open_window, model):
    workflow.submit_response(open_window, "individual", answers_for(open_window))
    url = reverse(f"admin:consultation_{model}_changelist")
    assert client_for(administrator).get(url).status_code == 200


def test_responses_are_read_only(administrator, open_window):
    response = workflow.submit_response(
        open_window, "individual", answers_for(open_window, 3, "Mine")
    )
    client = client_for(administrator)
    change = reverse("admin:consultation_response_change", args=[response.pk])
    assert client.get(change).status_code == 200  # readable
    client.post(change, {"general_comments": "Rewritten"})
    assert Response.objects.get().general_comments == ""
    assert client.get(reverse("admin:consultation_response_add")).status_code == 403
    delete = reverse("admin:consultation_response_delete", args=[response.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_admin_actions_go_through_the_workflow(administrator, planned):
    client = client_for(administrator)
    url = reverse("admin:consultation_consultationwindow_changelist")
    client.post(url, {"action": "publish_responses", "_selected_action": [planned.pk]})
    assert ConsultationWindow.objects.get().state == "planned"  # refused: not closed
    client.post(url, {"action": "open_windows", "_selected_action": [planned.pk]})
    assert ConsultationWindow.objects.get().state == "open"
    close = {"action": "close_windows", "_selected_action": [planned.pk], "apply": "1"}
    refused = client.post(url, close)  # closing now is short of the minimum: a reason is needed
    assert refused.status_code == 200
    assert "shorter than the" in refused.content.decode()
    assert ConsultationWindow.objects.get().state == "open"
    client.post(url, {**close, "reason": "The Board asked for an early close"})
    window = ConsultationWindow.objects.get()
    assert window.state == "closed"
    assert "The Board asked for an early close" in window.short_window_reason


def test_an_action_on_ids_that_are_not_ids_is_a_message(administrator, planned):
    client = client_for(administrator)
    url = reverse("admin:consultation_consultationwindow_changelist")
    response = client.post(url, {"action": "open_windows", "_selected_action": ["abc"]})
    assert response.status_code == 302
    assert ConsultationWindow.objects.get().state == "planned"
