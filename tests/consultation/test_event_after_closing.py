"""An event of a consultation starts by its closing date: one typed as starting after it is
refused beside its date, in the browser's form and in the admin alike (workflow's
event_problems), at whatever precision the two dates are known. Engagement before the opening
stays allowed, and an event left after the closing date by closing early can still be saved.
A window's closing date cannot be moved, or recorded, before one of its events either."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow, Event
from tests.admin_forms import admin_form_data
from tests.conftest import as_read, client_for
from tests.consultation.conftest import days
from tests.consultation.test_admin_rules import _with_event, change_url, inline_errors, typed
from tests.consultation.test_recorded_later import record_in_browser

D = datetime.date
AFTER_31_JULY = "That is after the consultation's closing date (31 July 2017): check the date."


def london(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def add(client, window, **typed_in):
    """The window page's "Add an event" form: a drop-in at the library."""
    data = {"title": "Drop-in", "place": "Library", "date_precision": "day", "starts_at_1": ""}
    url = reverse("consultation:add-event", kwargs={"pk": window.pk})
    return client.post(url, data | typed_in)


# `past` ran from 1 May to 31 July 2017 (tests/consultation/conftest.py).


@pytest.mark.parametrize(
    ("typed_in", "message"),
    [
        ({"starts_at_0": "2017-08-03"}, AFTER_31_JULY),
        ({"starts_at_0": "2017-08-01", "starts_at_1": "10:00"}, AFTER_31_JULY),
        ({"starts_at_0": "2017-08-01", "date_precision": "month"}, AFTER_31_JULY),
    ],
)
def test_an_event_after_the_closing_date_is_refused_beside_its_date(
    officer, past, typed_in, message
):
    response = add(client_for(officer), past, **typed_in)
    assert response.status_code == 200
    assert response.context["event_form"].errors == {"starts_at": [message]}
    assert f'name="starts_at_0" value="{typed_in["starts_at_0"]}"' in response.text
    assert not past.events.exists()


@pytest.mark.parametrize(
    "typed_in",
    [
        {"starts_at_0": "2017-07-31", "starts_at_1": "18:00"},  # on its last day
        {"starts_at_0": "2017-07-20", "ends_on": "2017-08-04"},  # starts before, runs on
        {"starts_at_0": "2017-07-01", "date_precision": "month"},  # "July 2017"
        {"starts_at_0": "2017-04-10"},  # engagement before it opens
    ],
)
def test_an_event_that_starts_by_the_closing_date_is_added(officer, past, typed_in):
    assert add(client_for(officer), past, **typed_in).status_code == 302
    assert past.events.count() == 1


def test_a_closing_date_known_to_the_month_runs_to_the_end_of_the_month(officer, past):
    past.date_precision = "month"
    past.save()
    client = client_for(officer)
    assert add(client, past, starts_at_0="2017-07-31").status_code == 302
    response = add(client, past, starts_at_0="2017-08-01")
    assert response.context["event_form"].errors == {
        "starts_at": ["That is after the consultation's closing date (July 2017): check the date."]
    }


def test_the_admin_refuses_it_in_the_same_words(administrator, planned):
    client = client_for(administrator)
    late = days(81)  # `planned` closes in 80 days
    data = _with_event(
        admin_form_data(client, change_url(planned)), starts_at_0=typed(late), place="Library"
    )
    response = client.post(change_url(planned), data)
    assert response.status_code == 200
    closes = f"{planned.closes_on.day} {planned.closes_on:%B %Y}"
    [errors] = inline_errors(response, "events")
    assert errors == {
        "starts_at": [f"That is after the consultation's closing date ({closes}): check the date."]
    }
    assert not planned.events.exists()
    data["events-0-starts_at_0"] = typed(days(80))
    assert client.post(change_url(planned), data).status_code == 302
    assert planned.events.count() == 1


def test_an_event_left_after_an_early_close_can_still_be_saved(officer, open_window):
    event = Event.objects.create(
        window=open_window, title="Drop-in", place="Library", starts_at=london(days(30), 18)
    )
    workflow.close_window(open_window, officer, "Closed early: the proposal was withdrawn")
    url = reverse("consultation:edit-event", kwargs={"pk": open_window.pk, "event_pk": event.pk})
    same = {"title": "Drop-in", "place": "Library", "date_precision": "day",
            "starts_at_0": f"{days(30):%Y-%m-%d}", "starts_at_1": "18:00"}  # fmt: skip
    client = client_for(officer)
    assert client.post(url, same | {"notes": "Cancelled"} | as_read(client, url)).status_code == 302
    assert Event.objects.get().notes == "Cancelled"
    moved = client.post(url, same | {"starts_at_0": f"{days(31):%Y-%m-%d}"} | as_read(client, url))
    assert list(moved.context["form"].errors) == ["starts_at"]


def test_a_closing_date_cannot_be_moved_before_an_event(officer, past):
    Event.objects.create(
        window=past,
        title="Drop-in",
        place="Library",
        starts_at=london(D(2017, 7, 20)),
        time_known=False,
    )
    url = reverse("consultation:edit", kwargs={"pk": past.pk})
    data = {"title": past.title, "slug": past.slug, "gate": past.gate_id,
            "opens_on": "2017-05-01", "closes_on": "2017-07-10", "date_precision": "day",
            "version": past.version, "for_public": "on"}  # fmt: skip
    response = client_for(officer).post(url, data)
    assert response.context["form"].errors == {
        "closes_on": [
            "Its event “Drop-in” (20 July 2017) is after that: change the event's date, or "
            "remove it, first."
        ]
    }
    assert ConsultationWindow.objects.get().closes_on == D(2017, 7, 31)
    data["title"] = "Renamed"  # a change leaving the closing date as it was is saved
    data["closes_on"] = "2017-07-31"
    assert client_for(officer).post(url, data).status_code == 302


def test_a_consultation_cannot_be_recorded_as_closing_before_one_of_its_events(officer, past):
    Event.objects.create(
        window=past,
        title="Drop-in",
        place="Library",
        starts_at=london(D(2017, 7, 20)),
        time_known=False,
    )
    response = record_in_browser(officer, past, closes_on="2017-07-15")
    assert response.context["record_form"].errors["closes_on"] == [
        "Its event “Drop-in” (20 July 2017) is after that: change the event's date, or remove "
        "it, first."
    ]
    assert ConsultationWindow.objects.get().state == ConsultationWindow.State.PLANNED


def test_two_officers_editing_an_event_never_overwrite_each_other(officer, open_window):
    event = Event.objects.create(
        window=open_window, title="Drop-in", place="Library", starts_at=london(days(20), 18)
    )
    url = reverse("consultation:edit-event", kwargs={"pk": open_window.pk, "event_pk": event.pk})
    mine, theirs = client_for(officer), client_for(officer)
    opened = as_read(mine, url)
    typed = {"title": "Drop-in", "place": "Library", "date_precision": "day",
             "starts_at_0": f"{days(20):%Y-%m-%d}", "starts_at_1": "18:00"}  # fmt: skip
    saved = theirs.post(url, typed | {"actual_attendance": 40} | as_read(theirs, url))
    assert saved.status_code == 302
    refused = mine.post(url, typed | {"actual_attendance": 35} | opened)
    assert refused.status_code == 200
    assert "Someone else changed this while you were editing" in refused.text
    event.refresh_from_db()
    assert event.actual_attendance == 40
