"""A meeting whose records give its day but not its time: the date and time boxes of the meeting
forms (the secretary's and the admin's), what is stored, how the meeting reads, and the one
meeting a body may have at a moment (two on one day with no time would be two at midnight)."""

from __future__ import annotations

import datetime
import html
import re

from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import Meeting
from tests.admin_forms import admin_form_data
from tests.conftest import as_read, client_for
from tests.governance.conftest import meeting_of

CREATE = reverse("governance:meeting-create")
ADMIN_ADD = reverse("admin:governance_meeting_add")
DAY = datetime.date(2019, 7, 3)


def london(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def typed(body, day="2019-07-03", time="", precision="day", **more) -> dict:
    return {"body": body.pk, "starts_at_0": day, "starts_at_1": time,
            "date_precision": precision, **more}  # fmt: skip


def time_box(page: str) -> str:
    """The time input of the page's date and time."""
    return re.search(r'<input type="time" name="starts_at_1"[^>]*>', page).group(0)


# The secretary's form ---------------------------------------------------------------------------


def test_a_meeting_with_no_time_recorded_is_at_the_start_of_its_day_and_says_so(secretary, board):
    response = client_for(secretary).post(CREATE, typed(board))
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == london(DAY) and not meeting.time_known
    page = client_for(secretary).get(meeting.get_absolute_url()).text
    assert '<dt class="col-sm-3">Time</dt><dd class="col-sm-9">Not recorded</dd>' in page
    assert "Health and Wellbeing Board, 3 July 2019" in page


def test_a_meeting_with_its_time_keeps_it_and_shows_it(secretary, board):
    client_for(secretary).post(CREATE, typed(board, time="18:30"))
    meeting = Meeting.objects.get()
    assert meeting.starts_at == london(DAY, 18, 30) and meeting.time_known
    page = client_for(secretary).get(meeting.get_absolute_url()).text
    assert '<dt class="col-sm-3">Time</dt><dd class="col-sm-9">18:30</dd>' in page


def test_the_date_and_the_time_each_have_a_label_of_their_own(secretary):
    page = client_for(secretary).get(CREATE).text
    assert '<label class="form-label small" for="id_starts_at_0">Date</label>' in page
    assert (
        '<label class="form-label small" for="id_starts_at_1">Time (leave empty if not recorded)'
        "</label>" in page
    )
    assert 'type="date" name="starts_at_0"' in page and 'type="time" name="starts_at_1"' in page
    assert "<legend" in page  # the field's own label heads both boxes


def test_a_form_refused_comes_back_with_the_date_and_time_typed(secretary, board, cabinet):
    # The Cabinet is not a body the secretary serves: refused, with what was typed kept.
    response = client_for(secretary).post(CREATE, typed(cabinet, time="18:30", venue="Hall"))
    assert "body" in response.context["form"].errors
    page = response.text
    assert 'name="starts_at_0" value="2019-07-03"' in page
    assert 'name="starts_at_1" value="18:30"' in page
    # A date that is not one comes back as typed too, beside the boxes.
    response = client_for(secretary).post(CREATE, typed(board, day="31/02/2019", time="07:15"))
    assert response.context["form"].errors["starts_at"] == ["Enter a valid date."]
    assert 'value="31/02/2019"' in response.text and 'value="07:15"' in response.text
    assert not Meeting.objects.exists()


def test_a_time_without_its_day_is_refused_in_words(secretary, board):
    response = client_for(secretary).post(CREATE, typed(board, day="", time="18:00"))
    assert response.context["form"].errors["starts_at"] == ["Give the date."]


def test_a_time_the_clocks_skip_is_refused_with_the_reason(secretary, board):
    # 31 March 2019: the clocks went forward at 01:00, so 01:30 never happened in London.
    response = client_for(secretary).post(CREATE, typed(board, day="2019-03-31", time="01:30"))
    [error] = response.context["form"].errors["starts_at"]
    assert error.startswith("That time does not exist or happens twice on that day")
    assert not Meeting.objects.exists()


def test_a_time_with_only_the_month_known_is_refused(secretary, board):
    response = client_for(secretary).post(CREATE, typed(board, time="18:00", precision="month"))
    assert response.context["form"].errors["starts_at"] == [
        "Only the month is known, so leave the time empty (or choose “Exact day” and give the day)."
    ]
    client_for(secretary).post(CREATE, typed(board, precision="month"))
    meeting = Meeting.objects.get()
    assert (meeting.when, meeting.time_known) == ("July 2019", False)


def test_editing_a_meeting_with_no_time_shows_an_empty_time_box(secretary, board):
    meeting = Meeting.objects.create(body=board, starts_at=london(DAY), time_known=False)
    page = client_for(secretary).get(f"/meetings/{meeting.pk}/edit/").text
    assert 'name="starts_at_0" value="2019-07-03"' in page
    assert "value=" not in time_box(page)


def test_a_time_found_later_is_added_and_one_cleared_is_no_longer_claimed(secretary, board):
    meeting = Meeting.objects.create(body=board, starts_at=london(DAY), time_known=False)
    url = f"/meetings/{meeting.pk}/edit/"
    client = client_for(secretary)
    client.post(url, typed(board, time="10:00", venue="", minutes="", **as_read(client, url)))
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.time_known) == (london(DAY, 10), True)
    client.post(
        url, typed(board, venue="", minutes="", reason="Not in the minutes", **as_read(client, url))
    )
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.time_known) == (london(DAY), False)
    assert meeting.history.first().history_change_reason == "Not in the minutes"


def test_a_meeting_at_midnight_whose_time_is_cleared_is_saved_as_not_recorded(secretary, board):
    """The moment stays the same; only whether the time is known changes, and that is saved."""
    meeting = Meeting.objects.create(body=board, starts_at=london(DAY))
    client, url = client_for(secretary), f"/meetings/{meeting.pk}/edit/"
    client.post(url, typed(board, venue="", minutes="", **as_read(client, url)))
    meeting.refresh_from_db()
    assert not meeting.time_known


def test_two_meetings_of_a_body_on_one_day_with_no_time_are_told_apart_by_the_time(
    secretary, board
):
    client = client_for(secretary)
    client.post(CREATE, typed(board))
    response = client.post(CREATE, typed(board, venue="Civic Offices"))
    assert response.status_code == 200  # the form again, not a server error
    assert response.context["form"].errors["starts_at"] == [
        "The Health and Wellbeing Board already has a meeting on 3 July 2019, with no time "
        "recorded. If this is another meeting that day, give the time it began."
    ]
    assert "Civic Offices" in response.text
    assert Meeting.objects.count() == 1
    assert client.post(CREATE, typed(board, time="14:00")).status_code == 302
    assert Meeting.objects.count() == 2


def test_a_meeting_moved_onto_another_at_the_same_time_is_refused(secretary, board):
    Meeting.objects.create(body=board, starts_at=london(DAY, 18))
    later = Meeting.objects.create(body=board, starts_at=london(DAY, 19))
    client, url = client_for(secretary), f"/meetings/{later.pk}/edit/"
    response = client.post(
        url, typed(board, time="18:00", venue="", minutes="", **as_read(client, url))
    )
    assert response.context["form"].errors["starts_at"] == [
        "The Health and Wellbeing Board already has a meeting on 3 July 2019 at 18:00. Check "
        "the date and time, or open that meeting."
    ]
    later.refresh_from_db()
    assert later.starts_at == london(DAY, 19)


def test_a_clash_the_form_could_not_see_is_said_beside_the_date(secretary, board, monkeypatch):
    """Another secretary saved the same moment between the form's checks and the save: the
    database refuses it, and the form comes back with the rule's words beside the date."""
    Meeting.objects.create(body=board, starts_at=london(DAY), time_known=False)
    monkeypatch.setattr("governance.forms.meeting_problems", lambda meeting: [])
    monkeypatch.setattr(Meeting, "validate_constraints", lambda meeting, exclude=None: None)
    response = client_for(secretary).post(CREATE, typed(board))
    assert response.status_code == 200
    [error] = response.context["form"].errors["starts_at"]
    assert error.startswith("The Health and Wellbeing Board already has a meeting on 3 July 2019")
    assert Meeting.objects.count() == 1


def test_a_meeting_on_an_agenda_keeps_whether_its_time_is_known(secretary, board, board_gate):
    meeting = meeting_of(board, days_ago=2)
    workflow.schedule_gate(board_gate, meeting, secretary)
    assert "time_known" in workflow.meeting_fields_fixed(meeting)


# The admin --------------------------------------------------------------------------------------


def test_the_admin_adds_a_meeting_with_no_time(administrator, board):
    client = client_for(administrator)
    data = admin_form_data(client, ADMIN_ADD)
    data.update(body=str(board.pk), starts_at_0="03/07/2019", starts_at_1="", status="held")
    response = client.post(ADMIN_ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert (meeting.starts_at, meeting.time_known) == (london(DAY), False)
    page = client.get(reverse("admin:governance_meeting_change", args=[meeting.pk])).text
    assert "value=" not in time_box(page)
    assert 'name="time_known"' not in page  # the empty time box says it


def test_the_admin_says_a_clash_beside_the_date(administrator, board):
    Meeting.objects.create(body=board, starts_at=london(DAY), time_known=False)
    client = client_for(administrator)
    data = admin_form_data(client, ADMIN_ADD)
    data.update(body=str(board.pk), starts_at_0="2019-07-03", starts_at_1="")
    response = client.post(ADMIN_ADD, data)
    assert response.status_code == 200
    page = response.text
    row = page[page.find('class="form-row errors field-starts_at"') :]
    assert row.startswith('class="form-row errors field-starts_at"')
    assert "already has a meeting on 3 July 2019, with no time recorded" in html.unescape(
        row[: row.find("</ul>")]
    )
    assert Meeting.objects.count() == 1


def test_two_meetings_known_to_one_month_are_given_different_days(secretary, board):
    client = client_for(secretary)
    client.post(CREATE, typed(board, day="2017-03-01", precision="month"))
    response = client.post(CREATE, typed(board, day="2017-03-01", precision="month"))
    assert response.context["form"].errors["starts_at"] == [
        "The Health and Wellbeing Board already has a meeting in March 2017, given as the same "
        "day. For another meeting that month, give another day in it."
    ]
    assert client.post(CREATE, typed(board, day="2017-03-02", precision="month")).status_code == 302
    assert [m.when for m in Meeting.objects.all()] == ["March 2017", "March 2017"]
