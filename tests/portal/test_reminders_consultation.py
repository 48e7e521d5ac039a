"""Consultation's reminder email: when a window closes, by hand or by `close_consultations`, the
strategy's officers hear of it with the result, once, after the closing commits."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from consultation import workflow
from consultation.models import ConsultationWindow
from portal.reminders.sending import set_preferences
from portal.reminders.tasks import send_reminder
from strategies.models import ReminderKind
from tests.consultation.conftest import answers_for, days


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.WAYMARK_BASE_URL = "https://waymark.example.org"


@pytest.fixture
def addressed(officer, second_officer, other_officer, secretary):
    for user in [officer, second_officer, other_officer, secretary]:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


def sent_to() -> list[str]:
    return sorted(m.to[0].split("@")[0] for m in mail.outbox)


def test_closing_by_hand_tells_the_other_officers_after_commit(
    open_window, officer, addressed, django_capture_on_commit_callbacks
):
    workflow.submit_response(open_window, "individual", answers_for(open_window))
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.close_window(open_window, officer, "Enough responses")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sent_to() == ["oscar"]  # not the officer who closed it, nor other organisations
    message = mail.outbox[0]
    assert message.subject == "[Waymark] Consultation closed: Have your say on our strategy"
    assert "Consultation closed with 1 response (1 individual)." in message.body
    url = f"https://waymark.example.org/consultations/{open_window.pk}/"
    assert url in message.body and f'href="{url}"' in message.alternatives[0][0]


def test_closing_when_due_sends_nothing_before_the_closing_commits(open_window, addressed):
    ConsultationWindow.objects.filter(pk=open_window.pk).update(closes_on=days(-1))
    call_command("close_consultations", stdout=StringIO())
    assert ConsultationWindow.objects.get().state == "closed"
    assert mail.outbox == []  # the test's transaction never commits


def test_closing_when_due_sends_after_each_window_commits(
    open_window, addressed, django_capture_on_commit_callbacks
):
    ConsultationWindow.objects.filter(pk=open_window.pk).update(closes_on=days(-1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("close_consultations", stdout=StringIO())
    assert sent_to() == ["olivia", "oscar"]
    send_reminder.call(ReminderKind.CONSULTATION_CLOSED, {"window": open_window.pk, "by": None})
    assert len(mail.outbox) == 2  # once each


def test_nothing_is_sent_when_closing_rolls_back(
    open_window, officer, addressed, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.close_window(open_window, officer, "Enough responses")
        raise RuntimeError("rolled back")
    assert callbacks == [] and mail.outbox == []


def test_an_officer_who_turned_it_off_is_not_told(
    open_window, second_officer, addressed, django_capture_on_commit_callbacks
):
    set_preferences(
        second_officer, {ReminderKind.CONSULTATION_CLOSED: False}, "Not mine", by=second_officer
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.close_window(open_window)
    assert sent_to() == ["olivia"]
