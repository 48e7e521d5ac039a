"""Rules written once and asked wherever they apply: the purposes that adopt a strategy, when
an agenda is overdue, what a meeting's page offers, who reads every meeting, the query-string
id; and what is gone because nothing asked it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import deadlines, filters, views, workflow
from governance.models import Meeting, Purpose
from strategies.models import User
from strategies.views import small_int
from tests.conftest import client_for
from tests.governance.conftest import meeting_of


def test_the_purposes_that_adopt_a_strategy():
    assert Purpose.adopting() == {Purpose.APPROVE, Purpose.SIGN_OFF, Purpose.ADOPT}
    assert Purpose.adopting() > Purpose.final_approvals()


def test_an_agenda_is_overdue_only_at_a_meeting_still_to_be_held(secretary, board):
    """My meetings flagged a cancelled meeting's agenda "(overdue)" where its page, the route
    and the calendar said nothing: both pages now ask agenda_overdue."""
    late = meeting_of(board, days_ago=-1)  # tomorrow: the deadline has passed
    called_off = meeting_of(board, days_ago=-1, status=Meeting.Status.CANCELLED)
    listing = client_for(secretary).get(reverse("governance:meetings"))
    assert listing.text.count("(overdue)") == 1
    for meeting, overdue in [(late, True), (called_off, False)]:
        page = client_for(secretary).get(meeting.get_absolute_url())
        assert ("should have been published by" in page.text) is overdue
        deadline = deadlines.agenda_deadline(meeting)
        assert deadline.is_missed(meeting.local_day)
        assert deadlines.agenda_overdue(meeting, deadline, meeting.local_day) is overdue
        assert page.context["agenda_overdue"] is overdue
    flagged = {m.pk: m.agenda_overdue for m in listing.context["upcoming"]}
    assert flagged == {late.pk: True, called_off.pk: False}


@pytest.mark.parametrize("persona", ["secretary", "manager", "administrator"])
def test_a_meetings_page_offers_what_its_checks_allow(request, persona, board, secretary):
    user = request.getfixturevalue(persona)
    scheduled = meeting_of(board, days_ago=-10)
    published = meeting_of(board, days_ago=-12)
    workflow.publish_agenda(published, timezone.localdate(), secretary)
    held = meeting_of(board, days_ago=3, status=Meeting.Status.HELD)
    for meeting in (scheduled, Meeting.objects.get(pk=published.pk), held):
        response = client_for(user).get(meeting.get_absolute_url())
        adding = workflow.add_to_agenda_refusal(user, meeting) is None
        publishing = workflow.publish_agenda_refusal(user, meeting) is None
        assert response.context["can_add_to_agenda"] is adding
        assert (response.context["publish_refusal"] is None) is publishing
        assert ("Put a strategy on this agenda" in response.text) is adding
        assert ("Record publication" in response.text) is publishing


def test_managers_and_administrators_read_every_meeting_as_reads_everything_says(
    manager, administrator, secretary, board, monkeypatch
):
    meeting = meeting_of(board)
    for user in (manager, administrator):
        assert user.reads_everything
        assert client_for(user).get(meeting.get_absolute_url()).status_code == 200
    monkeypatch.setattr(User, "reads_everything", property(lambda user: False))
    assert client_for(manager).get(meeting.get_absolute_url()).status_code == 403
    # A secretary keeps their own bodies' meetings, whatever reads_everything says.
    assert client_for(secretary).get(meeting.get_absolute_url()).status_code == 200


def test_one_reading_of_a_query_string_id():
    assert not hasattr(filters, "_id_from")
    assert filters.small_int is small_int
    assert [small_int(v) for v in ["12", "１２", "-1", "1" * 10, ""]] == [
        12,
        None,
        None,
        None,
        None,
    ]


def test_what_nothing_asked_is_gone():
    for name in ["require_secretary", "require_planner", "require_active"]:
        assert not hasattr(workflow, name)  # each check is raised with refuse_if
    assert not hasattr(workflow, "require_dependencies_passed")  # start_consultation_refusal
    assert "waiting_message" not in views.__all__
    assert not hasattr(views, "waiting_message")
