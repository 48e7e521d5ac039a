"""Every `<time datetime>` on the main pages holds a value the HTML standard accepts, so the
W3C checker passes them and software reading the page gets the moment it says. Django's
`date:'c'` keeps microseconds, which no HTML date or time string allows (at most three
fraction digits); the `html_datetime` filter (strategies/templatetags/waymark.py) drops them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from strategies.templatetags.waymark import html_datetime
from tests.conftest import client_for
from tests.world import World, build

pytestmark = pytest.mark.django_db

# The HTML standard's microsyntaxes (§2.3.5 "Dates and times") that a <time datetime> may hold.
YEAR = r"\d{4,}"
MONTH = rf"{YEAR}-(?:0[1-9]|1[0-2])"
DAY = rf"{MONTH}-(?:0[1-9]|[12]\d|3[01])"
YEARLESS = r"(?:--)?(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
TIME = r"(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?"
OFFSET = r"(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)"
LOCAL = rf"{DAY}[T ]{TIME}"
WEEK = rf"{YEAR}-W(?:0[1-9]|[1-4]\d|5[0-3])"
DURATION = r"P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?)?"
VALID = re.compile(
    rf"^(?:{MONTH}|{DAY}|{YEARLESS}|{TIME}|{LOCAL}|{LOCAL}{OFFSET}|{OFFSET}|{YEAR}|{WEEK}|{DURATION})$"
)
DATETIME_ATTRIBUTE = re.compile(r'<time\b[^>]*\bdatetime="([^"]*)"')


@pytest.fixture
def world(settings) -> World:
    settings.AXES_ENABLED = False
    return build()


def main_pages(w: World) -> list[tuple[str, object]]:
    slug = w.strategy.slug
    officer, secretary = w.people["officer"], w.people["secretary"]
    return [
        (reverse("home"), officer),
        (reverse("home"), w.people["manager"]),
        (reverse("strategies:list"), officer),
        (reverse("strategy", args=[slug]), officer),
        (reverse("strategy-history", args=[slug]), officer),
        (reverse("governance:route", args=[slug]), officer),
        (reverse("strategies:revisions", args=[slug]), officer),
        (reverse("timeline"), officer),
        (reverse("governance:meetings"), secretary),
        (reverse("governance:meeting", args=[w.meeting.pk]), secretary),
        (reverse("consultation:public", args=[w.window.slug]), None),
        (reverse("consultation:public-list"), None),
        (reverse("calendar"), officer),
        (reverse("account-reminders"), officer),
        (reverse("account-api-tokens"), officer),
    ]


def test_every_datetime_on_the_main_pages_is_a_valid_html_date_or_time(world):
    seen = []
    for url, user in main_pages(world):
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        for value in DATETIME_ATTRIBUTE.findall(response.content.decode()):
            assert VALID.match(value), f"{url}: datetime={value!r} is not an HTML date or time"
            seen.append(value)
    # The route's moves and the history carry times to the microsecond in the database.
    assert len(seen) >= 5


@pytest.mark.parametrize(
    "value",
    ["2026-12", "2026-12-06", "12-06", "11:05", "11:05:23.123", "2026-12-06T11:05:23+00:00",
     "2026-12-06 11:05Z", "2026-12-06T11:05:23+0100", "2026-W49", "PT4H18M3S"],
)  # fmt: skip
def test_the_pattern_takes_what_the_standard_allows(value):
    assert VALID.match(value)


@pytest.mark.parametrize(
    "value",
    ["2026-12-06T11:05:23.123456+00:00", "2026-13-01", "2026-12-06T24:00", "6 December 2026",
     "2026-12-06T11:05:23+00:00:00", ""],
)  # fmt: skip
def test_the_pattern_refuses_what_the_standard_does_not(value):
    assert not VALID.match(value)


def test_html_datetime_drops_microseconds_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    moment = datetime.datetime(2026, 7, 6, 10, 5, 23, 456789, tzinfo=datetime.UTC)
    with timezone.override("Europe/London"):
        assert html_datetime(moment) == "2026-07-06T11:05:23+01:00"
    assert html_datetime(datetime.date(2026, 12, 6)) == "2026-12-06"
    assert html_datetime(None) == ""
    assert html_datetime("") == ""
