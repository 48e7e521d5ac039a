"""A consultation event as council records give it: on a day with no time recorded, over several
days ("3 to 5 July"), or known only to the months ("engagement events, July–August 2017"). The
rules are the workflow's (event_problems), shown beside the field in the browser's form (the
admin's are in test_admin_rules.py); the event reads the same on every page that lists it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultation.models import Event
from tests.conftest import as_read, client_for

D = datetime.date


def london(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def add(client, window, **typed):
    """The window page's "Add an event" form, sent with `typed` over a drop-in at the library."""
    data = {"title": "Drop-in", "place": "Library", "date_precision": "day", "starts_at_1": ""}
    return client.post(reverse("consultation:add-event", kwargs={"pk": window.pk}), data | typed)


# `past` ran from 1 May to 31 July 2017 (tests/consultation/conftest.py).


def test_an_event_on_a_day_with_no_time_recorded(officer, past):
    client = client_for(officer)
    assert add(client, past, starts_at_0="2017-07-03").status_code == 302
    event = past.events.get()
    assert (event.starts_at, event.time_known, event.ends_on) == (
        london(D(2017, 7, 3)),
        False,
        None,
    )
    assert event.when == "3 July 2017"
    assert (
        "<strong>Drop-in</strong>: 3 July 2017, Library" in client.get(past.get_absolute_url()).text
    )


def test_an_event_with_its_time_reads_with_it(officer, past):
    add(client_for(officer), past, starts_at_0="2017-07-03", starts_at_1="18:00")
    event = past.events.get()
    assert (event.starts_at, event.time_known) == (london(D(2017, 7, 3), 18), True)
    assert event.when == "3 July 2017, 18:00"


def test_an_event_over_several_days(officer, past):
    client = client_for(officer)
    add(client, past, starts_at_0="2017-07-03", ends_on="2017-07-05")
    event = past.events.get()
    assert (event.ends_on, event.when) == (D(2017, 7, 5), "3–5 July 2017")
    assert "<strong>Drop-in</strong>: 3–5 July 2017" in client.get(past.get_absolute_url()).text


def test_events_over_months_known_only_to_the_month(officer, past):
    client = client_for(officer)
    response = add(
        client, past, title="Engagement events", starts_at_0="2017-07-01", ends_on="2017-08-01",
        date_precision="month",
    )  # fmt: skip
    assert response.status_code == 302
    event = past.events.get()
    assert (event.when, event.time_known) == ("July–August 2017", False)
    page = client.get(past.get_absolute_url()).text
    assert "<strong>Engagement events</strong>: July–August 2017" in page


def test_the_public_page_says_the_span_too(open_window):
    Event.objects.create(
        window=open_window, title="Engagement events", place="Libraries",
        starts_at=london(D(2019, 7, 1)), time_known=False, ends_on=D(2019, 8, 1),
        date_precision="month",
    )  # fmt: skip
    page = Client().get(open_window.get_public_url()).text
    assert "<strong>Engagement events</strong>: July–August 2019" in page


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"starts_at_0": "2017-07-05", "ends_on": "2017-07-03"}, "ends_on",
         "An event cannot end before it starts."),
        ({"starts_at_0": "2017-07-01", "ends_on": "2017-06-30", "date_precision": "month"},
         "ends_on", "An event cannot end in a month before the one it starts in."),
        ({"starts_at_0": "2017-07-01", "starts_at_1": "18:00", "date_precision": "month"},
         "starts_at",
         "Only the month is known, so leave the time empty (or choose “Exact day” and give the "
         "day)."),
        ({"starts_at_0": "2017-07-03", "ends_on": "2019-07-05"}, "ends_on",
         "That is more than a year from the consultation (1 May 2017 to 31 July 2017): check the "
         "year."),
    ],
)  # fmt: skip
def test_dates_that_cannot_be_are_refused_beside_their_field(officer, past, typed, field, message):
    response = add(client_for(officer), past, **typed)
    assert response.status_code == 200
    assert response.context["event_form"].errors == {field: [message]}
    page = response.text
    for name, value in typed.items():  # what was typed comes back as it was
        if name != "date_precision":
            assert f'name="{name}" value="{value}"' in page, name
    assert not past.events.exists()


def test_an_end_in_the_same_month_is_not_before_it_at_month_precision(officer, past):
    add(client_for(officer), past, starts_at_0="2017-07-20", ends_on="2017-07-02",
        date_precision="month")  # fmt: skip
    assert past.events.get().when == "July 2017"


def test_editing_an_event_with_no_time_shows_an_empty_time_box(officer, past):
    event = Event.objects.create(
        window=past, title="Drop-in", place="Library", starts_at=london(D(2017, 7, 3)),
        time_known=False, ends_on=D(2017, 7, 5),
    )  # fmt: skip
    url = reverse("consultation:edit-event", kwargs={"pk": past.pk, "event_pk": event.pk})
    page = client_for(officer).get(url).text
    assert 'name="starts_at_0" value="2017-07-03"' in page
    assert 'name="ends_on" value="2017-07-05"' in page
    assert "value=" not in re.search(r'<input type="time" name="starts_at_1"[^>]*>', page).group(0)


def test_a_time_stored_with_only_the_month_known_is_not_offered_again(officer, past):
    """Before times could be left out, a month's event was given one; its form leaves the box
    empty, so that saving it again (its attendance, say) is not refused for that time."""
    event = Event.objects.create(
        window=past, title="Drop-in", place="Library", starts_at=london(D(2017, 7, 1), 18),
        date_precision="month",
    )  # fmt: skip
    url = reverse("consultation:edit-event", kwargs={"pk": past.pk, "event_pk": event.pk})
    client = client_for(officer)
    response = client.post(
        url, {"title": "Drop-in", "place": "Library", "starts_at_0": "2017-07-01",
              "starts_at_1": "", "date_precision": "month", "actual_attendance": 30,
              **as_read(client, url)},
    )  # fmt: skip
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.actual_attendance, event.time_known, event.when) == (30, False, "July 2017")
