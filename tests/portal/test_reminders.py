"""Reminder emails: the machinery (preferences, the sent-log, rendering), the preferences page
at `/account/reminders/`, and the real database task worker sending what the workflow queued.
The kinds themselves are tested with the apps that own their events (tests/governance and
tests/consultation, test_reminders.py)."""

from __future__ import annotations

import datetime
import re
import signal
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from governance import workflow
from governance.models import Purpose
from portal.reminders.sending import (
    RETRY_AFTER,
    NotSent,
    Reminder,
    deliver,
    set_preferences,
    strategy_officers,
    wanted_kinds,
)
from portal.reminders.tasks import send_reminder
from strategies.models import ReminderKind, ReminderPreference, SentReminder, User
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.governance.conftest import meeting_of
from tests.ladder import climb

URL = "/account/reminders/"
Kind = ReminderKind


def with_email(*users: User) -> None:
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


def reminder_to(users, key="test:1", kind=Kind.DECISION_RECORDED, strategy=None) -> Reminder:
    return Reminder(
        kind=kind,
        key=key,
        subject="A decision on your strategy",
        recipients=User.objects.filter(pk__in=[u.pk for u in users]),
        context={},
    )


@pytest.fixture
def decided(strategy, board, secretary, officer):
    """A recorded decision, so that the decision template has something to show."""
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    workflow.schedule_gate(gate, meeting_of(board), secretary)
    return workflow.record_decision(gate, secretary, "approved", "Agreed as drafted.")


def decision_reminder(decision, users) -> Reminder:
    from portal.reminders.governance import build_decision_recorded

    reminder = build_decision_recorded({"decision": decision.pk, "by": None})
    reminder.recipients = User.objects.filter(pk__in=[u.pk for u in users])
    return reminder


# Preferences ------------------------------------------------------------------------------------


def test_every_kind_is_on_until_turned_off(officer):
    assert wanted_kinds(officer) == dict.fromkeys(Kind.values, True)


def test_turning_a_kind_off_is_recorded_with_who_and_why(officer):
    changed = set_preferences(
        officer, {**wanted_kinds(officer), Kind.GATE_OVERDUE: False}, "Too many", by=officer
    )
    assert changed == [Kind.GATE_OVERDUE]
    assert wanted_kinds(officer)[Kind.GATE_OVERDUE] is False
    row = ReminderPreference.history.get()
    assert (row.enabled, row.history_user, row.history_change_reason) == (
        False,
        officer,
        "Too many",
    )
    set_preferences(officer, dict.fromkeys(Kind.values, True), "Back on", by=officer)
    assert wanted_kinds(officer)[Kind.GATE_OVERDUE] is True
    assert ReminderPreference.history.count() == 2


def test_a_choice_needs_a_reason(officer):
    with pytest.raises(ValueError):
        set_preferences(officer, {Kind.GATE_OVERDUE: False}, "  ", by=officer)
    assert not ReminderPreference.objects.exists()


def test_strategy_officers_are_the_lead_organisations_officers(
    strategy, officer, second_officer, other_officer, secretary, manager
):
    assert set(strategy_officers(strategy)) == {officer, second_officer}


# Sending ---------------------------------------------------------------------------------------


def test_email_has_text_and_html_with_absolute_links(decided, officer, settings):
    settings.WAYMARK_BASE_URL = "https://waymark.example.org"
    with_email(officer)
    assert deliver(decision_reminder(decided, [officer])) == 1
    [message] = mail.outbox
    assert message.to == ["olivia@example.org"]
    assert message.subject.startswith("[Waymark] Health and Wellbeing Board: approved")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert f"https://waymark.example.org{decided.get_absolute_url()}" in message.body
    assert "https://waymark.example.org/account/reminders/" in message.body
    assert "Agreed as drafted." in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body  # plain text, unescaped
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="https://waymark.example.org{decided.get_absolute_url()}"' in html
    assert 'href="https://waymark.example.org/account/reminders/"' in html


def test_html_body_escapes_what_people_typed(decided, officer):
    decided.gate.strategy.title = "<script>alert(1)</script> & more"
    decided.gate.strategy.save()
    with_email(officer)
    deliver(decision_reminder(decided, [officer]))
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>alert(1)</script> & more" in mail.outbox[0].body


def test_sent_once_per_key_and_recipient(decided, officer, second_officer):
    with_email(officer, second_officer)
    assert deliver(decision_reminder(decided, [officer])) == 1
    assert deliver(decision_reminder(decided, [officer, second_officer])) == 1
    assert [m.to for m in mail.outbox] == [["olivia@example.org"], ["oscar@example.org"]]
    assert SentReminder.objects.filter(recipient=officer).get().key == (
        f"decision-recorded:decision-{decided.pk}"
    )


def test_the_sent_log_refuses_a_second_row_for_the_same_reminder(officer):
    SentReminder.objects.create(
        kind="gate_overdue", key="k", recipient=officer, sent_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SentReminder.objects.create(
            kind="gate_overdue", key="k", recipient=officer, sent_at=timezone.now()
        )


def test_not_sent_to_who_turned_it_off_has_no_address_or_has_left(
    decided, officer, second_officer, lead_org
):
    gone = UserFactory(username="gone", organisation=lead_org, is_active=False)
    no_address = UserFactory(username="nomail", organisation=lead_org)
    with_email(officer, second_officer, gone)
    set_preferences(
        second_officer, {Kind.DECISION_RECORDED: False}, "Not for me", by=second_officer
    )
    sent = deliver(decision_reminder(decided, [officer, second_officer, gone, no_address]))
    assert sent == 1 and [m.to for m in mail.outbox] == [["olivia@example.org"]]
    # Turning one kind off leaves the others on.
    assert wanted_kinds(second_officer)[Kind.GATE_OVERDUE] is True


def test_a_refusing_mail_server_leaves_the_reminder_to_send_again(decided, officer, monkeypatch):
    with_email(officer)

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(RuntimeError, match="not sent"):
        deliver(decision_reminder(decided, [officer]))
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    assert deliver(decision_reminder(decided, [officer])) == 1


def test_a_kind_nobody_registered_fails_the_task(db):
    with pytest.raises(LookupError):
        send_reminder.call("no_such_kind", {})


# The worker ------------------------------------------------------------------------------------


@pytest.fixture
def keep_signal_handlers():
    # db_worker installs its own SIGINT/SIGTERM handlers for a graceful stop; put pytest's back.
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def run_worker() -> None:
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval=0", verbosity=0
    )


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_what_the_workflow_queued(
    strategy, board, secretary, officer, administrator, keep_signal_handlers
):
    """The real backend end to end: the move commits, the task waits in the database, nothing is
    sent until `manage.py db_worker` runs it, and a second run sends nothing more."""
    with_email(secretary, officer)
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    workflow.schedule_gate(gate, meeting_of(board), administrator)
    workflow.record_decision(gate, secretary, "approved", "Agreed.")
    queued = DBTaskResult.objects.order_by("enqueued_at")
    assert [t.task_path for t in queued] == ["portal.reminders.tasks.send_reminder"] * 2
    assert [t.args_kwargs["args"][0] for t in queued] == [
        Kind.GATE_SCHEDULED,
        Kind.DECISION_RECORDED,
    ]
    assert mail.outbox == []

    run_worker()

    assert {t.status for t in DBTaskResult.objects.all()} == {TaskResultStatus.SUCCESSFUL}
    assert sorted(m.to[0] for m in mail.outbox) == ["olivia@example.org", "sam@example.org"]
    for task in DBTaskResult.objects.all():  # the same tasks run again send nothing more
        send_reminder.call(*task.args_kwargs["args"])
    run_worker()
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_a_refused_reminder_is_tried_again_later_for_those_it_missed(
    strategy, board, second_officer, officer, administrator, keep_signal_handlers, monkeypatch
):
    """The mail server refuses one officer but not the other: the task fails, having queued
    itself again for later; when that try runs, only the one refused gets the email."""
    with_email(second_officer, officer)
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    workflow.schedule_gate(gate, meeting_of(board), administrator)
    workflow.record_decision(gate, administrator, "approved", "Agreed.")
    DBTaskResult.objects.all().delete()  # the decision's reminder alone
    send_reminder.enqueue(
        Kind.DECISION_RECORDED,
        {"decision": gate.decisions.get().pk, "by": administrator.pk},
    )
    real_send = mail.EmailMultiAlternatives.send

    def refuse_the_officer(message, fail_silently=False):
        if message.to == ["olivia@example.org"]:
            raise ConnectionRefusedError("mail server down")
        return real_send(message, fail_silently)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse_the_officer)
    run_worker()
    first = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "not sent" in first.exception_class_path + str(first.traceback)
    assert [m.to for m in mail.outbox] == [["oscar@example.org"]]
    again = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert again.args_kwargs["args"][2] == 1  # the second try
    wait = again.run_after - timezone.now()
    assert datetime.timedelta(minutes=4) < wait <= RETRY_AFTER[0]
    run_worker()  # not yet
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

    monkeypatch.undo()  # the mail server is back
    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())
    run_worker()
    assert DBTaskResult.objects.get(pk=again.pk).status == TaskResultStatus.SUCCESSFUL
    assert [m.to for m in mail.outbox] == [["oscar@example.org"], ["olivia@example.org"]]


def test_after_the_last_try_a_refused_reminder_is_not_queued_again(decided, officer, monkeypatch):
    with_email(officer)

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    params = {"decision": decided.pk, "by": None}
    with pytest.raises(NotSent):
        send_reminder.call(Kind.DECISION_RECORDED, params, len(RETRY_AFTER) - 1)
    assert DBTaskResult.objects.get().args_kwargs["args"][2] == len(RETRY_AFTER)
    with pytest.raises(NotSent):
        send_reminder.call(Kind.DECISION_RECORDED, params, len(RETRY_AFTER))
    assert DBTaskResult.objects.count() == 1  # no try after the last


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_each_reminder_once(decided, officer, second_officer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers")
    with_email(officer, second_officer)
    start = threading.Barrier(2)
    errors = []

    def worker():
        try:
            start.wait()
            deliver(decision_reminder(decided, [officer, second_officer]))
        except Exception as problem:  # pragma: no cover - reported below
            errors.append(problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == ["olivia@example.org", "oscar@example.org"]
    assert SentReminder.objects.count() == 2


# The preferences page --------------------------------------------------------------------------


def test_every_staff_role_reaches_the_page(request, officer, secretary, manager, administrator):
    climb(request, URL, {"officer": 200, "secretary": 200, "manager": 200, "administrator": 200})


def ticked(page: str, kind: str) -> bool:
    return bool(re.search(rf'<input type="checkbox" name="{kind}"[^>]*\schecked', page))


def test_page_shows_a_labelled_checkbox_per_kind_ticked_while_on(officer, as_user):
    set_preferences(officer, {Kind.GATE_OVERDUE: False}, "Too many", by=officer)
    page = as_user(officer).get(URL).content.decode()
    for kind, label in Kind.choices:
        assert re.search(rf'<label for="id_{kind}"[^>]*>\s*{re.escape(label)}', page)
        assert ticked(page, kind) is (kind != Kind.GATE_OVERDUE)
    assert '<legend class="h4">Email me when</legend>' in page
    assert re.search(r'<label[^>]*for="id_reason"', page)
    assert re.search(r"<h1[^>]*>Reminder emails</h1>", page)


def test_saving_turns_kinds_off_with_the_reason_in_the_history(officer, as_user):
    client = as_user(officer)
    wanted = {k: "on" for k in Kind.values if k != Kind.AGENDA_DEADLINE}
    response = client.post(URL, {**wanted, "reason": "I keep no meetings"})
    assert response.status_code == 302 and response["Location"] == URL
    assert wanted_kinds(officer) == {k: k != Kind.AGENDA_DEADLINE for k in Kind.values}
    row = ReminderPreference.history.get()
    assert row.history_user == officer and row.history_change_reason == "I keep no meetings"
    page = client.get(URL).content.decode()
    assert "Your reminder choices are saved." in page


def test_a_change_without_a_reason_is_shown_again_with_the_error_beside_it(officer, as_user):
    wanted = {k: "on" for k in Kind.values if k != Kind.GATE_OVERDUE}
    response = as_user(officer).post(URL, wanted)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say why you are changing your reminders." in page
    assert 'aria-invalid="true"' in page or "is-invalid" in page  # beside the reason field
    assert not ticked(page, Kind.GATE_OVERDUE) and ticked(page, Kind.GATE_SCHEDULED)
    assert not ReminderPreference.objects.exists()


def test_saving_with_nothing_changed_asks_no_reason(officer, as_user):
    response = as_user(officer).post(URL, dict.fromkeys(Kind.values, "on"), follow=True)
    assert "Nothing changed" in response.content.decode()
    assert not ReminderPreference.objects.exists()


def test_a_reason_too_long_is_refused_not_a_500(officer, as_user):
    response = as_user(officer).post(URL, {"reason": "x" * 501})
    assert response.status_code == 200
    assert "at most 500 characters" in response.content.decode()


def test_page_says_when_there_is_no_address(officer, as_user):
    assert "no email address for you" in as_user(officer).get(URL).content.decode()
    with_email(officer)
    assert "olivia@example.org" in as_user(officer).get(URL).content.decode()


def test_page_lists_recent_reminders_in_a_fixed_number_of_queries(
    officer, django_assert_num_queries
):
    client = client_for(officer)
    client.get(URL)  # warm the session
    for n in range(3):
        SentReminder.objects.create(
            kind=Kind.GATE_OVERDUE, key=f"k{n}", recipient=officer, sent_at=timezone.now()
        )
    with django_assert_num_queries(4) as few:
        client.get(URL)
    for n in range(3, 30):
        SentReminder.objects.create(
            kind=Kind.GATE_OVERDUE, key=f"k{n}", recipient=officer, sent_at=timezone.now()
        )
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(URL).content.decode()
    assert page.count("<time") == 10


def test_menu_links_to_the_page(officer, as_user):
    assert f'href="{URL}"' in as_user(officer).get("/strategies/").content.decode()


def test_other_methods_are_refused(officer, as_user):
    assert as_user(officer).put(URL).status_code == 405
