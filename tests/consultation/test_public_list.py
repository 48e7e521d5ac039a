"""The public list of consultations (`/consult/`): open ones first, closing soonest at the top,
then the last year's closed ones, most recent first; a page of 20 at a time, searchable, and the
same number of queries however many consultations there are."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation.models import ConsultationWindow
from consultation.views.public import PUBLIC_PAGE_SIZE
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db
URL = reverse("consultation:public-list")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def add(strategy, title: str, state: str, closes_in: int) -> ConsultationWindow:
    return ConsultationWindow.objects.create(
        strategy=strategy,
        title=title,
        slug=re.sub(r"\W+", "-", title.lower()),
        opens_on=days(closes_in - 90),
        closes_on=days(closes_in),
        minimum_days=84,
        state=state,
    )


def titles(response) -> list[str]:
    return re.findall(r'<h2 class="h4"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_open_consultations_come_first_closing_soonest_then_the_recently_closed(lead_org):
    strategy = StrategyFactory(lead_organisation=lead_org)
    add(strategy, "Closed long ago", "closed", -400)  # over a year: not listed
    add(strategy, "Closed last month", "closed", -30)
    add(strategy, "Closed last week", "response_published", -7)
    add(strategy, "Open for weeks", "open", 40)
    add(strategy, "Open for days", "open", 3)
    add(strategy, "Planned", "planned", 100)  # not open yet: not listed
    assert titles(Client().get(URL)) == [
        "Open for days",
        "Open for weeks",
        "Closed last week",
        "Closed last month",
    ]


def test_a_page_at_a_time_with_the_same_queries_at_any_size(lead_org, django_assert_num_queries):
    strategy = StrategyFactory(lead_organisation=lead_org)
    client = Client()

    def grow_to(count: int) -> None:
        for n in range(ConsultationWindow.objects.count(), count):
            add(strategy, f"Consultation {n:03d}", "open", 10 + n)

    counts = []
    for size in (3, PUBLIC_PAGE_SIZE * 2 + 5):
        grow_to(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert len(titles(response)) == PUBLIC_PAGE_SIZE
    assert "45 consultations" in response.content.decode()
    assert "Page 1 of 3" in response.content.decode()
    last = client.get(URL, {"page": 3})
    assert titles(last) == [f"Consultation {n:03d}" for n in range(40, 45)]
    assert client.get(URL, {"page": "not a number"}).status_code == 200  # the first page


def test_search_by_title_strategy_or_council_keeps_the_words_in_the_box(lead_org, other_org):
    ours = StrategyFactory(lead_organisation=lead_org, title="Healthy lives")
    theirs = StrategyFactory(lead_organisation=other_org, title="Housing for all")
    add(ours, "Have your say on healthy lives", "open", 20)
    add(theirs, "Homes consultation", "open", 20)
    client = Client()
    assert titles(client.get(URL, {"q": "homes"})) == ["Homes consultation"]
    assert titles(client.get(URL, {"q": "housing"})) == ["Homes consultation"]
    found = client.get(URL, {"q": other_org.name[:6]})
    assert titles(found) == ["Homes consultation"] or other_org.name[:6] in lead_org.name
    none = client.get(URL, {"q": "<b>parks</b>"})
    page = none.content.decode()
    assert titles(none) == [] and "No open or recent consultation matches" in page
    assert 'value="&lt;b&gt;parks&lt;/b&gt;"' in page and "<b>parks" not in page


def test_the_next_page_keeps_the_search(lead_org):
    strategy = StrategyFactory(lead_organisation=lead_org)
    for n in range(PUBLIC_PAGE_SIZE + 1):
        add(strategy, f"Parks {n:02d}", "open", 10 + n)
    page = Client().get(URL, {"q": "parks"}).content.decode()
    assert "?q=parks&amp;page=2" in page
