"""Recording a consultation that has run: a planned window, entered from the council's records
with its real dates, through the window's page and through the admin's action alike. Each
refusal says the same thing at both doors; what it leaves behind is the window closed on its
real dates, marked, its gate passed and its history saying where it came from."""

from __future__ import annotations

import datetime
import html
import threading

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow
from consultation.recorded import STAND_IN
from governance import workflow as governance
from governance.dates import long_date
from governance.models import Gate, Purpose, Transition
from strategies.models import Revision, Strategy, User
from strategies.revisions import take_revision
from tests.conftest import client_for
from tests.consultation.conftest import days
from tests.factories import UserFactory
from tests.governance.conftest import decide

OPENED, CLOSED = datetime.date(2017, 5, 1), datetime.date(2017, 7, 31)  # 92 days
SOURCE = "the consultation report to the Board of 4 July 2017"
TYPED = {
    "opens_on": OPENED.isoformat(),
    "closes_on": CLOSED.isoformat(),
    "result": "Most respondents agreed with the three priorities.",
    "reported_responses": "412",
    "recorded_from": SOURCE,
}
CHANGELIST = "admin:consultation_consultationwindow_changelist"


def record_in_browser(user, window, **changes):
    data = {**TYPED, **changes}
    return client_for(user).post(reverse("consultation:record", args=[window.pk]), data)


def record_in_admin(user, window, **changes):
    data = {**TYPED, **changes, "action": "record_windows", "_selected_action": [window.pk]}
    return client_for(user).post(reverse(CHANGELIST), {**data, "apply": "1"})


def browser_errors(response) -> dict:
    return response.context["record_form"].errors


def admin_errors(response) -> dict:
    return response.context["form"].errors


def assert_recorded(window: ConsultationWindow, by: User) -> None:
    window = ConsultationWindow.objects.select_related("gate", "revision").get(pk=window.pk)
    assert window.state == ConsultationWindow.State.CLOSED
    assert (window.opens_on, window.closes_on, window.date_precision) == (OPENED, CLOSED, "day")
    assert window.recorded_later and window.recorded_from == SOURCE
    assert window.reported_responses == 412
    assert window.result == TYPED["result"]
    assert window.revision is not None and window.revision.label.startswith(STAND_IN)
    gate = window.gate
    assert gate.state == Gate.State.PASSED
    assert (gate.planned_date, gate.planned_precision) == (CLOSED, "day")  # the real day
    today = long_date(timezone.localdate())
    assert gate.note.startswith(f"Recorded on {today} by {by.display_name}, from {SOURCE}. 412")
    move = Transition.objects.get(gate=gate, to_state=Gate.State.PASSED)
    assert move.by == by and "recorded after the fact" in move.comment
    latest = window.history.first()
    assert latest.history_change_reason.startswith(f"Recorded after the fact from {SOURCE};")
    assert latest.history_user == by
    assert window.recorded_mark == f"Recorded on {today} by {by.display_name}, from {SOURCE}"


def test_an_officer_records_a_consultation_that_has_run_on_its_page(past, officer):
    page = client_for(officer).get(past.get_absolute_url()).content.decode()
    assert "Record a consultation that has run" in page
    assert "<details open>" in page  # its planned dates have passed: the form is shown open
    response = record_in_browser(officer, past)
    assert response.status_code == 302
    assert_recorded(past, officer)


def test_an_administrator_records_one_through_the_admin_action(past, administrator):
    url = reverse(CHANGELIST)
    shown = client_for(administrator).post(
        url, {"action": "record_windows", "_selected_action": [past.pk]}
    )
    assert shown.status_code == 200 and "Record it as it ran" in shown.content.decode()
    assert record_in_admin(administrator, past).status_code == 302
    assert_recorded(past, administrator)


def test_the_admin_action_takes_one_consultation_at_a_time(past, administrator, strategy):
    other = ConsultationWindow.objects.create(
        strategy=strategy, title="Another", slug="another", minimum_days=84
    )
    client = client_for(administrator)
    data = {"action": "record_windows", "_selected_action": [past.pk, other.pk], "apply": "1"}
    response = client.post(reverse(CHANGELIST), {**TYPED, **data}, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert said == ["Choose one consultation to record: each has its own dates."]
    assert ConsultationWindow.objects.get(pk=past.pk).state == "planned"


# Each refusal, in the same words at both doors ---------------------------------------------


NOT_YET = (
    "That day has not passed yet: only a consultation that has run can be recorded. To run it "
    "now, open it."
)


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"closes_on": days(5).isoformat()}, "closes_on", NOT_YET),
        (
            {"opens_on": days(1).isoformat(), "closes_on": days(20).isoformat()},
            "opens_on",
            NOT_YET,
        ),
        ({"closes_on": "2017-04-30"}, "closes_on", "A window cannot close before it opens."),
        ({"result": " "}, "result", "Give the result, as the records give it."),
        (
            {"reported_responses": ""},
            "reported_responses",
            "Give the number of responses the records say it received, or tick “The number "
            "of responses is not on record”.",
        ),
        (
            {"closes_on": "2017-06-11"},  # 42 days against 84
            "short_window_reason",
            "It ran 42 days, shorter than the 84-day minimum in the organisation's policy. "
            "Give the reason the council's records give, or tick “No reason is on record”.",
        ),
    ],
)
def test_what_was_typed_is_refused_beside_its_field_alike_at_both_doors(
    past, officer, administrator, typed, field, message
):
    browser = record_in_browser(officer, past, **typed)
    admin = record_in_admin(administrator, past, **typed)
    assert browser.status_code == admin.status_code == 200
    assert browser_errors(browser)[field] == admin_errors(admin)[field] == [message]
    page = browser.content.decode()
    assert "There is a problem" in page
    for value in typed.values():
        if value.strip():
            assert f'value="{value}"' in page or f">{value}<" in page  # what was typed is kept
    assert ConsultationWindow.objects.get(pk=past.pk).state == "planned"


@pytest.mark.parametrize("state", ["open", "closed"])
def test_a_window_already_open_or_closed_is_refused_alike(past, officer, administrator, state):
    past.opens_on, past.closes_on = days(-10), days(80)
    past.save()
    window = workflow.open_window(past, officer)
    if state == "closed":
        window = workflow.close_window(window, officer, "Enough responses")
    message = (
        f"The consultation is already {state}: only one still planned can be recorded as "
        "having run."
    )
    assert workflow.record_refusal(window, officer) == message
    browser = record_in_browser(officer, window)
    admin = record_in_admin(administrator, window)
    assert browser_errors(browser)["__all__"] == admin_errors(admin)["__all__"] == [message]
    assert not ConsultationWindow.objects.get(pk=window.pk).recorded_later


@pytest.fixture
def staff_outsider(other_org):
    """An officer of another organisation who has been let into the admin."""
    user = UserFactory(username="stan", organisation=other_org, role="officer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_consultationwindow", "change_consultationwindow"]
        )
    )
    return user


def test_someone_who_is_not_an_officer_of_the_strategy_is_refused_alike(
    past, manager, staff_outsider
):
    message = "Only officers of the lead organisation can plan this strategy's route."
    assert workflow.record_refusal(past, manager) == message
    browser = record_in_browser(manager, past)
    assert browser.status_code == 403 and message in html.unescape(browser.content.decode())
    admin = record_in_admin(staff_outsider, past)
    assert admin_errors(admin)["__all__"] == [message]
    assert ConsultationWindow.objects.get(pk=past.pk).state == "planned"


def test_a_withdrawn_strategy_is_refused_alike(past, officer, administrator):
    Strategy.objects.filter(pk=past.strategy_id).update(stage=Strategy.Stage.WITHDRAWN)
    message = "This strategy is withdrawn; its route is closed."
    browser = record_in_browser(officer, past)
    assert browser.status_code == 403 and message in html.unescape(browser.content.decode())
    admin = record_in_admin(administrator, past)
    assert admin_errors(admin)["__all__"] == [message]
    assert ConsultationWindow.objects.get(pk=past.pk).state == "planned"


def test_the_move_asks_its_check_again(past, officer, manager):
    record = workflow.RunRecord(OPENED, CLOSED, "Agreed.", SOURCE, reported_responses=3)
    with pytest.raises(workflow.WorkflowError, match="Only officers of the lead organisation"):
        workflow.record_window(past, manager, record)
    with pytest.raises(workflow.WorkflowError, match="has not passed yet"):
        workflow.record_window(past, officer, workflow.RunRecord(OPENED, days(3), "x", SOURCE, 3))
    assert ConsultationWindow.objects.get(pk=past.pk).state == "planned"


# Open and close point to it ------------------------------------------------------------------


def test_opening_and_closing_a_past_window_point_to_recording_it(past, officer):
    assert workflow.open_refusal(past, officer) == workflow.CLOSING_PASSED
    assert "“Record a consultation that has run”" in workflow.CLOSING_PASSED
    assert "“Record a consultation that has run”" in workflow.close_refusal(past, officer)
    response = client_for(officer).post(reverse("consultation:open", args=[past.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [workflow.CLOSING_PASSED]
    assert ConsultationWindow.objects.get(pk=past.pk).state == "planned"


# The gate passes, and the route moves on -------------------------------------------------------


def test_the_gate_passes_and_the_strategy_can_then_be_adopted(
    strategy, consult_gate, past, cabinet, officer, cabinet_secretary
):
    adopt = governance.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [consult_gate])
    with pytest.raises(governance.WorkflowError):  # while the consultation gate stays planned
        decide(adopt, cabinet_secretary, "approved")
    record_in_browser(officer, past)
    assert Gate.objects.get(pk=consult_gate.pk).state == Gate.State.PASSED
    decide(Gate.objects.get(pk=adopt.pk), cabinet_secretary, "approved")
    assert Strategy.objects.get(pk=strategy.pk).stage == Strategy.Stage.ADOPTED


def test_a_consultation_that_waits_for_an_unpassed_gate_is_refused(strategy, board, past, officer):
    first = governance.add_gate(strategy, board, Purpose.APPROVE_CONSULTATION, officer)
    governance.set_waits_for(past.gate, [first], officer)
    refusal = workflow.record_refusal(ConsultationWindow.objects.get(pk=past.pk), officer)
    assert refusal.startswith("The consultation waits for gates not yet passed")


# The text consulted on --------------------------------------------------------------------------


def test_the_text_consulted_on_is_the_latest_revision_before_it_opened(past, officer):
    before = take_revision(past.strategy, "Draft for the Board", by=officer)
    after = take_revision(past.strategy, "Later draft", by=officer)
    old = timezone.make_aware(datetime.datetime(2017, 4, 1, 12))
    Revision.objects.filter(pk=before.pk).update(created_at=old)  # taken in 2017
    record_in_browser(officer, past)
    window = ConsultationWindow.objects.get(pk=past.pk)
    assert window.revision == before != after
    assert window.revision_note.startswith("Taken to be the text consulted on")


def test_a_revision_given_is_the_text_consulted_on(past, officer):
    given = take_revision(past.strategy, "The 2017 consultation draft", by=officer)
    record_in_browser(officer, past, revision=given.pk)
    window = ConsultationWindow.objects.get(pk=past.pk)
    assert window.revision == given
    assert window.revision_note == (
        "Chosen as the text consulted on when the consultation was recorded."
    )


def test_with_no_revision_from_then_the_text_now_stands_in_and_says_so(past, officer):
    record_in_browser(officer, past)
    window = ConsultationWindow.objects.get(pk=past.pk)
    assert window.revision.label.startswith(STAND_IN)
    assert "not on record" in window.revision_note
    page = client_for(officer).get(window.get_absolute_url()).content.decode()
    assert window.revision_note in page


# Two at once ------------------------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_two_officers_recording_at_once_record_it_once(past, officer, second_officer):
    start = threading.Barrier(2, timeout=20)
    answers: list = []  # the two responses

    def record(user) -> None:
        try:
            client = client_for(user)
            start.wait()
            answers.append(client.post(reverse("consultation:record", args=[past.pk]), TYPED))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(u,)) for u in (officer, second_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [200, 302]  # the second is refused
    refused = next(a for a in answers if a.status_code == 200)
    assert refused.context["record_form"].errors["__all__"] == [
        "The consultation is already closed: only one still planned can be recorded as having run."
    ]
    assert Transition.objects.filter(gate=past.gate, to_state=Gate.State.PASSED).count() == 1
    assert Revision.objects.filter(strategy=past.strategy).count() == 1


@pytest.mark.parametrize("door", [record_in_browser, record_in_admin])
def test_a_count_not_on_record_is_said_at_both_doors(past, officer, administrator, door):
    user = officer if door is record_in_browser else administrator
    door(user, past, reported_responses="", count_not_on_record="on")
    window = ConsultationWindow.objects.get(pk=past.pk)
    assert window.recorded_later and window.reported_responses is None
