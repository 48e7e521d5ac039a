"""Governance's reminder emails: a gate put on a meeting and a decision recorded (sent after the
workflow's transaction commits, never when it rolls back), agenda deadlines 3 working days away
and overdue gates (queued by `manage.py send_reminders`). Each goes once, to the people it
concerns, unless they turned it off. The tasks run in-process here (the immediate backend);
tests/strategies/test_reminders.py runs the real database worker."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from governance import workflow
from governance.deadlines import agenda_deadline, end_of_working_days
from governance.models import BodySecretary, Meeting, Purpose
from portal.dashboard.gates import open_gates
from portal.reminders.governance import due_overdue_gates
from portal.reminders.sending import set_preferences
from strategies.models import ReminderKind, SentReminder, Strategy, User
from tests.factories import UserFactory
from tests.governance.conftest import decide, meeting_of

Kind = ReminderKind


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.WAYMARK_BASE_URL = "https://waymark.example.org"


@pytest.fixture
def people(officer, second_officer, other_officer, secretary, cabinet_secretary, manager):
    """Everyone with an address, so that who is left out is left out by the rules."""
    deputy = UserFactory(username="dee", organisation=secretary.organisation, role="secretary")
    for user in [officer, second_officer, other_officer, secretary, cabinet_secretary, manager]:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    deputy.email = "dee@example.org"
    deputy.save(update_fields=["email"])
    return deputy


@pytest.fixture
def deputy(people, board):
    """A second secretary of the Board."""
    BodySecretary.objects.create(body=board, user=people)
    return people


def send_reminders() -> None:
    call_command("send_reminders", stdout=StringIO())


def sent_to() -> list[str]:
    return sorted(m.to[0].split("@")[0] for m in mail.outbox)


def upcoming(body, days_ahead: int) -> Meeting:
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return Meeting.objects.create(
        body=body, starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))
    )


# A gate put on a meeting ------------------------------------------------------------------------


def test_gate_on_a_meeting_tells_the_bodys_other_secretaries_after_commit(
    board_gate, board, secretary, deputy, django_capture_on_commit_callbacks
):
    meeting = upcoming(board, 30)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.schedule_gate(board_gate, meeting, secretary)
    assert mail.outbox == []  # nothing inside the transaction
    for callback in callbacks:
        callback()
    assert sent_to() == ["dee"]  # not the secretary who did it, not the Cabinet's
    message = mail.outbox[0]
    assert "Dudley Health and Wellbeing Strategy is on the agenda of the" in message.subject
    assert f"https://waymark.example.org/meetings/{meeting.pk}/" in message.body
    assert "Publish the agenda by" in message.body
    html = message.alternatives[0][0]
    assert f'href="https://waymark.example.org/meetings/{meeting.pk}/"' in html
    assert f"/strategies/{board_gate.strategy.slug}/route/#gate-{board_gate.pk}" in html


def test_gate_on_a_meeting_sends_nothing_when_the_transaction_rolls_back(
    board_gate, board, secretary, deputy, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.schedule_gate(board_gate, upcoming(board, 30), secretary)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == [] and mail.outbox == []


def test_an_administrator_putting_a_gate_on_tells_every_secretary_once(
    board_gate, board, administrator, secretary, deputy, django_capture_on_commit_callbacks
):
    meeting = upcoming(board, 30)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule_gate(board_gate, meeting, administrator)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule_gate(board_gate, meeting, administrator)  # the same again
    assert sent_to() == ["dee", "sam"]


def test_a_secretary_who_turned_it_off_is_not_told(
    board_gate, board, administrator, secretary, deputy, django_capture_on_commit_callbacks
):
    set_preferences(deputy, {Kind.GATE_SCHEDULED: False}, "I read the forward plan", by=deputy)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule_gate(board_gate, upcoming(board, 30), administrator)
    assert sent_to() == ["sam"]


# A decision recorded ---------------------------------------------------------------------------


def test_decision_tells_the_lead_organisations_officers_after_commit(
    board_gate, secretary, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        decision = decide(board_gate, secretary, "referred_back", reasons="Needs costing.")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    # Not another organisation's officer, not the secretary, not the manager.
    assert sent_to() == ["olivia", "oscar"]
    message = mail.outbox[0]
    assert message.subject == (
        "[Waymark] Health and Wellbeing Board: referred back, Dudley Health and Wellbeing Strategy"
    )
    assert "Reasons: Needs costing." in message.body
    assert f"https://waymark.example.org/decisions/{decision.pk}/" in message.body
    assert (
        f'href="https://waymark.example.org/decisions/{decision.pk}/"'
        in (message.alternatives[0][0])
    )


def test_decision_sends_nothing_when_the_transaction_rolls_back(
    board_gate, secretary, people, django_capture_on_commit_callbacks
):
    workflow.schedule_gate(board_gate, meeting_of(board_gate.body), secretary)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.record_decision(board_gate, secretary, "approved", "Agreed.")
        raise RuntimeError("rolled back")
    assert callbacks == [] and mail.outbox == []


def test_decision_respects_an_officers_choice(
    board_gate, secretary, officer, people, django_capture_on_commit_callbacks
):
    set_preferences(officer, {Kind.DECISION_RECORDED: False}, "On leave", by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        decide(board_gate, secretary)
    assert sent_to() == ["oscar"]


# Agenda deadlines ------------------------------------------------------------------------------


def meeting_due_for_agenda_reminder(body) -> Meeting:
    """A meeting whose agenda must be published within 3 working days from today."""
    today = timezone.localdate()
    horizon = end_of_working_days(today, 3)
    for ahead in range(1, 40):
        meeting = upcoming(body, ahead)
        deadline = agenda_deadline(meeting)
        if today <= deadline.publish_by <= horizon:
            return meeting
        meeting.delete()
    raise AssertionError("no day gives a deadline within 3 working days")


def test_agenda_deadline_reminder_goes_to_the_bodys_secretaries_once(
    strategy, board, administrator, secretary, deputy, officer
):
    meeting = meeting_due_for_agenda_reminder(board)
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    workflow.schedule_gate(gate, meeting, administrator)  # its own reminder is not committed
    send_reminders()
    send_reminders()
    assert sent_to() == ["dee", "sam"]
    publish_by = agenda_deadline(meeting).publish_by
    message = mail.outbox[0]
    assert f"by {publish_by:%A %-d %B}" in message.subject
    assert "- Dudley Health and Wellbeing Strategy (approve)" in message.body
    assert f"https://waymark.example.org/meetings/{meeting.pk}/" in message.body
    assert (
        SentReminder.objects.filter(
            key=f"agenda-deadline:meeting-{meeting.pk}:{publish_by.isoformat()}"
        ).count()
        == 2
    )


def test_no_agenda_reminder_when_published_far_off_or_private(board, cabinet, secretary, deputy):
    published = meeting_due_for_agenda_reminder(board)
    published.agenda_published_on = timezone.localdate()
    published.save()
    upcoming(board, 60)  # its deadline is weeks away
    cabinet.meets_in_public = False
    cabinet.save()
    private = upcoming(cabinet, 7)
    assert agenda_deadline(private) is None
    send_reminders()
    assert mail.outbox == []


def test_agenda_reminder_respects_the_secretarys_choice(board, secretary, deputy):
    meeting_due_for_agenda_reminder(board)
    set_preferences(secretary, {Kind.AGENDA_DEADLINE: False}, "Clerks remind me", by=secretary)
    send_reminders()
    assert sent_to() == ["dee"]


def test_command_queues_nothing_already_sent(board, secretary, deputy, settings, capsys):
    meeting_due_for_agenda_reminder(board)
    call_command("send_reminders")
    assert "1 reminder(s) queued" in capsys.readouterr().out
    call_command("send_reminders")
    assert "0 reminder(s) queued" in capsys.readouterr().out


# Overdue gates ---------------------------------------------------------------------------------


def past(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_overdue_gate_tells_the_officers_and_the_bodys_secretaries_once(
    strategy, board, officer, secretary, deputy
):
    gate = workflow.add_gate(
        strategy, board, Purpose.ENDORSE, officer, planned_date=past(12), precision="day"
    )
    send_reminders()
    send_reminders()
    # Lead officers and the Board's secretaries; not the Cabinet's, not another organisation's.
    assert sent_to() == ["dee", "olivia", "oscar", "sam"]
    message = mail.outbox[0]
    assert message.subject == (
        "[Waymark] Overdue: Health and Wellbeing Board to endorse Dudley Health and Wellbeing "
        "Strategy"
    )
    assert "12 days ago" in message.body
    assert f"/strategies/{strategy.slug}/route/#gate-{gate.pk}" in message.body
    assert "The gate is on no meeting yet" in message.body


def test_overdue_means_what_the_dashboard_means(strategy, board, cabinet, officer, secretary):
    """Only open, non-consultation gates of strategies still on their route whose day passed."""
    late = workflow.add_gate(
        strategy, board, Purpose.REVIEW, officer, planned_date=past(3), precision="day"
    )
    workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, planned_date=past(-3), precision="day"
    )
    workflow.add_gate(
        strategy, board, Purpose.CONSULT, officer, planned_date=past(9), precision="day"
    )
    month = workflow.add_gate(
        strategy,
        cabinet,
        Purpose.NOTE,
        officer,
        planned_date=timezone.localdate(),
        precision="month",
    )
    keys = {key for key, _ in due_overdue_gates(timezone.localdate())}
    assert keys == {f"gate-overdue:gate-{late.pk}:{past(3).isoformat()}"}
    dashboard = {
        g.pk
        for g in open_gates(Strategy.objects.all()).select_related("meeting")
        if g.due_day and g.due_day < timezone.localdate()
    }
    assert dashboard == {late.pk} and month.pk not in dashboard


def test_overdue_gate_on_a_held_meeting_points_to_the_meeting(
    board_gate, board, secretary, officer, people
):
    meeting = meeting_of(board, days_ago=5)
    workflow.schedule_gate(board_gate, meeting, secretary)
    send_reminders()
    assert f"https://waymark.example.org/meetings/{meeting.pk}/" in mail.outbox[0].body


def test_decided_withdrawn_or_opted_out_gates_send_nothing(
    strategy, board, officer, secretary, people
):
    gate = workflow.add_gate(
        strategy, board, Purpose.REVIEW, officer, planned_date=past(4), precision="day"
    )
    for user in User.objects.filter(username__in=["olivia", "oscar"]):
        set_preferences(user, {Kind.GATE_OVERDUE: False}, "Dashboard is enough", by=user)
    send_reminders()
    assert sent_to() == ["sam"]
    mail.outbox.clear()
    SentReminder.objects.all().delete()
    workflow.withdraw(strategy, officer, "Replaced by the ICS strategy")
    send_reminders()
    assert mail.outbox == []
    assert gate.due_day < timezone.localdate()  # still late, but the strategy is withdrawn
