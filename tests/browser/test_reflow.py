"""Reflow (WCAG 1.4.10) with the longest things people type or upload: a strategy's title, a
document's title and file name, and addresses (an evidence link, a meeting's minutes, the
agenda items from Modern.gov), each one unbroken word. At 320 pixels wide no page that shows
them scrolls sideways: the words wrap, or stay inside a table's own scrolling box."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import workflow as documents
from governance.models import AgendaItem, Meeting
from strategies.models import Strategy
from tests.browser.conftest import sign_in
from tests.browser.test_screenshots import SIDEWAYS
from tests.documents.conftest import pdf
from tests.factories import PASSWORD, add_evidence
from tests.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "Health_and_Wellbeing_Strategy_refreshed_edition_with_an_easy_read_annex_and_appendices"
URL = "https://www.example.org/" + "committee_papers_of_the_health_and_wellbeing_board_" * 3


def test_long_titles_file_names_and_addresses_do_not_scroll_sideways(new_page):
    world = build()
    strategy = world.strategy
    Strategy.objects.filter(pk=strategy.pk).update(title=f"Dudley {WORD}")
    add_evidence(strategy, title=f"Evidence {WORD}", url=URL)
    document = documents.add_document(
        world.people["officer"], strategy, title=f"Strategy {WORD}", kind="strategy",
        upload=pdf(f"{WORD}_{WORD}.pdf"), description=f"Read it at {URL}",
    )  # fmt: skip
    Meeting.objects.filter(pk=world.meeting.pk).update(minutes=f"The minutes: {URL}")
    AgendaItem.objects.create(
        meeting=world.meeting, moderngov_id=9001, position=1, number="6",
        title=f"Item {WORD}", report_reference=f"Report {WORD}", report_url=URL,
        documents=[{"title": "Report", "url": URL}, {"title": f"Appendix {WORD}", "url": URL}],
    )  # fmt: skip
    slug = strategy.slug
    pages = {
        "officer": [
            reverse("strategies:list"),
            reverse("strategy", args=[slug]),
            reverse("governance:route", args=[slug]),
            reverse("strategy-report", args=[slug]),
            reverse("documents:strategy", args=[slug]),
            reverse("documents:document", args=[document.pk]),
        ],
        "secretary": [
            reverse("governance:meetings"),
            reverse("governance:meeting", args=[world.meeting.pk]),
        ],
    }
    sideways = {}
    for who, urls in pages.items():
        page = new_page()
        sign_in(page, world.people[who].username, PASSWORD)
        page.set_viewport_size({"width": 320, "height": 640})
        for url in urls:
            assert page.goto(url).status == 200, url
            assert WORD in page.content(), f"{url} does not show the long word"
            if (extra := page.evaluate(SIDEWAYS)) > 1:
                sideways[url] = f"{extra} px too wide"
    assert not sideways, f"scroll sideways at 320 px: {sideways}"
