"""Marking a meeting held or cancelled: the move (workflow.mark_meeting) and its check, the
buttons on the meeting's page that call it, and the admin's actions that call it too. Every
allowed and refused move, and the rows it leaves in the history."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import Gate, Meeting
from governance.workflow.meetings import HELD_IN_THE_FUTURE
from strategies.models import Strategy
from tests.admin_forms import admin_form_data
from tests.conftest import client_for
from tests.governance.conftest import meeting_of
from tests.ladder import climb

HELD, CANCELLED, SCHEDULED = Meeting.Status.HELD, Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED
BOARD_SECRETARIES_ONLY = (
    "Only a secretary of the Health and Wellbeing Board (or an administrator) can do this."
)


def held_url(meeting: Meeting) -> str:
    return reverse("governance:mark-meeting-held", kwargs={"pk": meeting.pk})


def cancelled_url(meeting: Meeting) -> str:
    return reverse("governance:mark-meeting-cancelled", kwargs={"pk": meeting.pk})


def refuses(move, *args) -> str:
    with pytest.raises(workflow.WorkflowError) as raised:
        move(*args)
    return raised.value.message


def last_reason(meeting: Meeting) -> str:
    return meeting.history.order_by("-history_id").first().history_change_reason


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# The move --------------------------------------------------------------------------------------


def test_the_bodys_secretary_marks_a_meeting_that_has_begun_held(secretary, board):
    meeting = meeting_of(board, days_ago=1)
    assert workflow.mark_meeting_refusal(secretary, meeting, HELD) is None
    assert workflow.mark_meeting(meeting, HELD, secretary) == []
    meeting.refresh_from_db()
    assert meeting.status == HELD
    assert last_reason(meeting) == "Marked held"


def test_an_administrator_marks_a_meeting_cancelled(administrator, board):
    meeting = meeting_of(board, days_ago=-7)  # a meeting still to come is called off
    assert workflow.mark_meeting_refusal(administrator, meeting, CANCELLED) is None
    workflow.mark_meeting(meeting, CANCELLED, administrator)
    meeting.refresh_from_db()
    assert meeting.status == CANCELLED
    assert last_reason(meeting) == "Marked cancelled"


def test_a_meeting_that_has_not_begun_is_not_marked_held(secretary, board):
    meeting = meeting_of(board, days_ago=-1)
    at = timezone.localtime(meeting.starts_at)
    sentence = (
        f"The meeting has not begun yet ({meeting.when} at {at:%H:%M}); mark it held once it has."
    )
    assert workflow.mark_meeting_refusal(secretary, meeting, HELD) == sentence
    assert refuses(workflow.mark_meeting, meeting, HELD, secretary) == sentence
    assert Meeting.objects.get(pk=meeting.pk).status == SCHEDULED
    assert meeting.history.count() == 1  # only its creation


def test_a_meeting_is_marked_held_or_cancelled_once(secretary, board):
    held = meeting_of(board, days_ago=2, status=HELD)
    cancelled = meeting_of(board, days_ago=2, status=CANCELLED)
    for meeting, word in ((held, "held"), (cancelled, "cancelled")):
        for status in (HELD, CANCELLED):
            sentence = f"The meeting is already marked {word}."
            assert workflow.mark_meeting_refusal(secretary, meeting, status) == sentence
            assert refuses(workflow.mark_meeting, meeting, status, secretary) == sentence
        assert Meeting.objects.get(pk=meeting.pk).status == word


def test_only_the_bodys_secretaries_mark_its_meetings(
    board, officer, manager, cabinet_secretary, other_secretary
):
    meeting = meeting_of(board, days_ago=1)
    for user in (officer, manager, cabinet_secretary, other_secretary):
        for status in (HELD, CANCELLED):
            assert workflow.mark_meeting_refusal(user, meeting, status) == BOARD_SECRETARIES_ONLY
            assert refuses(workflow.mark_meeting, meeting, status, user) == BOARD_SECRETARIES_ONLY
    assert Meeting.objects.get(pk=meeting.pk).status == SCHEDULED


def test_a_meeting_is_marked_nothing_but_held_or_cancelled(secretary, board):
    meeting = meeting_of(board, days_ago=1)
    sentence = "A meeting is marked held or cancelled."
    assert workflow.mark_meeting_refusal(secretary, meeting, SCHEDULED) == sentence
    assert refuses(workflow.mark_meeting, meeting, "adjourned", secretary) == sentence


def test_a_meeting_has_begun_at_its_start_or_its_day_or_its_month(board):
    six_pm = timezone.make_aware(datetime.datetime(2025, 3, 12, 18))
    timed = Meeting(body=board, starts_at=six_pm)
    assert not workflow.has_begun(timed, six_pm - datetime.timedelta(minutes=1))
    assert workflow.has_begun(timed, six_pm)
    midnight = timezone.make_aware(datetime.datetime(2025, 3, 12))
    untimed = Meeting(body=board, starts_at=midnight, time_known=False)
    assert workflow.has_begun(untimed, midnight + datetime.timedelta(hours=1))
    assert not workflow.has_begun(untimed, midnight - datetime.timedelta(hours=1))
    # "March 2025", given as the 12th: held any day of March, not in February
    month = Meeting(body=board, starts_at=midnight, time_known=False, date_precision="month")
    assert workflow.has_begun(month, timezone.make_aware(datetime.datetime(2025, 3, 1, 9)))
    assert not workflow.has_begun(month, timezone.make_aware(datetime.datetime(2025, 2, 28, 9)))


def test_cancelling_withdraws_the_papers_sent_for_the_meeting(secretary, board, board_gate):
    meeting = meeting_of(board, days_ago=-10)
    workflow.schedule_gate(board_gate, meeting, secretary)
    workflow.publish_agenda(meeting, timezone.localdate(), secretary)
    strategy = Strategy.objects.get()
    assert strategy.editing_closed_reason.startswith("the papers")
    [gate] = workflow.mark_meeting(meeting, CANCELLED, secretary)
    gate = Gate.objects.get(pk=gate.pk)
    # Still on the cancelled meeting's agenda, where the pages show it cancelled...
    assert (gate.state, gate.meeting_id, gate.papers_revision_id) == (
        Gate.State.SCHEDULED,
        meeting.pk,
        None,
    )
    reason = gate.history.first().history_change_reason
    assert reason == f"Papers withdrawn: the {meeting} was cancelled"
    # ...no longer freezing the text for a decision that will not come...
    assert Strategy.objects.get().editing_closed_reason == ""
    # ...and free to go on another meeting (papers published for the cancelled one held it back).
    later = meeting_of(board, days_ago=-40)
    assert workflow.schedule_gate_refusal(secretary, gate, later) is None
    workflow.schedule_gate(gate, later, secretary)
    assert Gate.objects.get(pk=gate.pk).meeting_id == later.pk


def test_marking_held_leaves_the_agenda_as_it_is(secretary, board, board_gate):
    meeting = meeting_of(board, days_ago=-10)
    workflow.schedule_gate(board_gate, meeting, secretary)
    workflow.publish_agenda(meeting, timezone.localdate(), secretary)
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=1)
    meeting.save()
    assert workflow.mark_meeting(meeting, HELD, secretary) == []
    gate = Gate.objects.get()
    assert gate.papers_revision_id is not None and gate.state == Gate.State.SCHEDULED
    assert workflow.record_decision_refusal(secretary, gate) is None


def test_a_meeting_marked_held_keeps_a_date_that_has_passed(secretary, board):
    """The rule of mark_meeting holds when a held meeting's date is typed again."""
    meeting = meeting_of(board, days_ago=3, status=HELD)
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    response = client_for(secretary).post(
        reverse("governance:meeting-edit", kwargs={"pk": meeting.pk}),
        {"body": board.pk, "starts_at_0": str(next_week), "starts_at_1": "18:00",
         "date_precision": "day", "venue": "", "minutes": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == [HELD_IN_THE_FUTURE]
    assert Meeting.objects.get(pk=meeting.pk).local_day != next_week


# The meeting's page ----------------------------------------------------------------------------


def test_marking_a_meeting_needs_its_bodys_secretary(
    request, board, secretary, cabinet_secretary, other_secretary
):
    climb(
        request,
        held_url(meeting_of(board, days_ago=1)),
        {
            "officer": 403,
            "manager": 403,
            "other_secretary": 404,  # another body's meetings do not exist for them
            "cabinet_secretary": 404,
            "secretary": 302,
        },
        method="post",
    )
    climb(
        request,
        cancelled_url(meeting_of(board, days_ago=-3)),
        {"officer": 403, "manager": 403, "other_secretary": 404, "administrator": 302},
        method="post",
    )
    assert set(Meeting.objects.values_list("status", flat=True)) == {HELD, CANCELLED}


def test_the_secretary_marks_a_meeting_held_from_its_page(secretary, board):
    meeting = meeting_of(board, days_ago=1)
    client = client_for(secretary)
    page = client.get(meeting.get_absolute_url())
    assert page.context["can_mark_held"] and page.context["can_cancel"]
    assert f'action="{held_url(meeting)}"' in page.text
    response = client.post(held_url(meeting))
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert said(response) == ["The meeting is marked held."]
    meeting.refresh_from_db()
    assert meeting.status == HELD
    row = meeting.history.order_by("-history_id").first()
    assert (row.history_change_reason, row.history_user) == ("Marked held", secretary)
    # It leaves "Held, decisions to record" for "Past", and its page offers no button now.
    listing = client.get(reverse("governance:meetings"))
    assert meeting not in listing.context["to_record"] and meeting in listing.context["past"]
    page = client.get(meeting.get_absolute_url())
    assert not page.context["can_mark_held"] and not page.context["can_cancel"]
    assert "Mark as held" not in page.text and "Mark as cancelled" not in page.text
    # Its agenda can no longer be published, and the page says why under that heading.
    assert "The meeting is held; its agenda stands." in page.text


def test_marking_held_says_how_many_decisions_are_still_to_record(secretary, board, board_gate):
    meeting = meeting_of(board, days_ago=1)
    workflow.schedule_gate(board_gate, meeting, secretary)
    response = client_for(secretary).post(held_url(meeting))
    assert said(response) == ["The meeting is marked held.", "Decisions still to record here: 1."]


def test_the_secretary_cancels_a_meeting_from_its_page(secretary, board, board_gate):
    meeting = meeting_of(board, days_ago=-10)
    workflow.schedule_gate(board_gate, meeting, secretary)
    workflow.publish_agenda(meeting, timezone.localdate(), secretary)
    response = client_for(secretary).post(cancelled_url(meeting))
    assert response.status_code == 302
    title = board_gate.strategy.title
    assert said(response) == [
        "The meeting is marked cancelled.",
        f"Papers withdrawn, as the meeting will not decide on them: {title}. Each stays on this "
        "agenda until it is put on another meeting of the Health and Wellbeing Board.",
    ]
    meeting.refresh_from_db()
    assert meeting.status == CANCELLED
    row = meeting.history.order_by("-history_id").first()
    assert (row.history_change_reason, row.history_user) == ("Marked cancelled", secretary)


def test_a_meeting_still_to_come_offers_only_cancelling(secretary, board):
    meeting = meeting_of(board, days_ago=-5)
    page = client_for(secretary).get(meeting.get_absolute_url())
    assert page.context["can_cancel"] and not page.context["can_mark_held"]
    assert "Mark as cancelled" in page.text and "Mark as held" not in page.text
    assert "It can be marked held once it has begun" in page.text


def test_a_refused_mark_comes_back_above_the_page(secretary, board):
    meeting = meeting_of(board, days_ago=-5)
    response = client_for(secretary).post(held_url(meeting), follow=True)
    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert said(response) == [workflow.mark_meeting_refusal(secretary, meeting, HELD)]
    assert "has not begun yet" in response.text
    assert Meeting.objects.get(pk=meeting.pk).status == SCHEDULED
    cancelled = meeting_of(board, days_ago=1, status=CANCELLED)
    response = client_for(secretary).post(cancelled_url(cancelled), follow=True)
    assert "The meeting is already marked cancelled." in response.text


@pytest.mark.parametrize("persona", ["secretary", "manager", "administrator"])
def test_the_buttons_are_only_for_those_who_may_use_them(request, persona, board):
    user = request.getfixturevalue(persona)
    keeps = persona != "manager"  # managers read every meeting and change nothing
    begun, to_come = meeting_of(board, days_ago=1), meeting_of(board, days_ago=-1)
    for meeting, offered in (
        (begun, {"Mark as held": keeps, "Mark as cancelled": keeps}),
        (to_come, {"Mark as held": False, "Mark as cancelled": keeps}),
    ):
        page = client_for(user).get(meeting.get_absolute_url())
        for status, button in ((HELD, "Mark as held"), (CANCELLED, "Mark as cancelled")):
            assert (workflow.mark_meeting_refusal(user, meeting, status) is None) is offered[button]
            assert (button in page.text) is offered[button]


def test_marking_is_post_only_with_a_csrf_token(secretary, board):
    meeting = meeting_of(board, days_ago=1)
    assert client_for(secretary).get(held_url(meeting)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(secretary)
    assert strict.post(held_url(meeting)).status_code == 403
    assert strict.post(cancelled_url(meeting)).status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).status == SCHEDULED


# The admin -------------------------------------------------------------------------------------

CHANGELIST = reverse("admin:governance_meeting_changelist")


def test_the_admin_marks_meetings_through_the_same_move(administrator, board):
    begun, to_come = meeting_of(board, days_ago=1), meeting_of(board, days_ago=-2)
    response = client_for(administrator).post(
        CHANGELIST, {"action": "mark_held", "_selected_action": [begun.pk, to_come.pk]}
    )
    assert response.status_code == 302
    assert Meeting.objects.get(pk=begun.pk).status == HELD
    assert Meeting.objects.get(pk=to_come.pk).status == SCHEDULED
    assert said(response) == [
        f"{begun}: marked held",
        f"{to_come}: {workflow.mark_meeting_refusal(administrator, to_come, HELD)}",
    ]
    assert last_reason(begun) == "Marked held"
    client_for(administrator).post(
        CHANGELIST, {"action": "mark_cancelled", "_selected_action": [to_come.pk]}
    )
    assert Meeting.objects.get(pk=to_come.pk).status == CANCELLED


def test_the_admin_changes_a_status_only_by_its_actions(administrator, board):
    meeting = meeting_of(board, days_ago=-2)
    client = client_for(administrator)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    data = admin_form_data(client, url)
    assert "status" not in data  # shown, not offered
    data.update(status="held", venue="Council House")
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.venue) == (SCHEDULED, "Council House")


def test_the_admin_creates_a_held_meeting_only_in_the_past(administrator, board):
    client = client_for(administrator)
    add = reverse("admin:governance_meeting_add")
    data = admin_form_data(client, add)
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    data.update(body=str(board.pk), starts_at_0=str(next_week), starts_at_1="", status="held")
    response = client.post(add, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["starts_at"] == [HELD_IN_THE_FUTURE]
    assert not Meeting.objects.exists()
